package io.github.encodecstream.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PcmConversionTest {
    @Test
    void roundsHalvesUpAndClips() {
        assertEquals(0, PcmConversion.toInt(0f, 16));
        assertEquals(1, PcmConversion.toInt(0.5f / 32768, 16));
        assertEquals(0, PcmConversion.toInt(-0.5f / 32768, 16));
        assertEquals(-1, PcmConversion.toInt(-0.51f / 32768, 16));
        assertEquals(32767, PcmConversion.toInt(1f, 16));
        assertEquals(-32768, PcmConversion.toInt(-1f, 16));
        assertEquals(-32768, PcmConversion.toInt(-7f, 16));
        assertEquals(8_388_607, PcmConversion.toInt(1f, 24));
        assertEquals(-8_388_608, PcmConversion.toInt(-1f, 24));
        assertEquals(Integer.MAX_VALUE, PcmConversion.toInt(1f, 32));
        assertEquals(Integer.MIN_VALUE, PcmConversion.toInt(-1f, 32));
        assertEquals(Integer.MAX_VALUE, PcmConversion.toInt(Float.POSITIVE_INFINITY, 32));
        assertEquals(0, PcmConversion.toInt(Float.NaN, 24));
        assertEquals(1 << 30, PcmConversion.toInt(0.5f, 32));
        // every width rounds the float itself
        float x = 0.123456789f;
        assertEquals(Math.round(x * 8_388_608.0), PcmConversion.toInt(x, 24));
        assertEquals(Math.round(x * 2_147_483_648.0), PcmConversion.toInt(x, 32));
    }

    @Test
    void signedBytesInBothOrders() {
        float[] samples = {0.5f, -1f, 1f};
        byte[] out = new byte[2 + 3 * 3];
        assertEquals(2 + 9, PcmConversion.putSigned(samples, 0, 3, 24, false, out, 2));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0x40, 0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F}, out);
        byte[] be = new byte[9];
        PcmConversion.putSigned(samples, 0, 3, 24, true, be, 0);
        assertArrayEquals(new byte[] {0x40, 0, 0, (byte) 0x80, 0, 0, 0x7F, (byte) 0xFF, (byte) 0xFF}, be);
        byte[] s32 = new byte[4];
        PcmConversion.putSigned(new float[] {-0.25f}, 0, 1, 32, true, s32, 0);
        assertEquals(-(1 << 29), ByteBuffer.wrap(s32).getInt());
        byte[] s16 = new byte[4];
        PcmConversion.putSigned(new float[] {0.25f, -0.25f}, 0, 2, 16, false, s16, 0);
        ByteBuffer le = ByteBuffer.wrap(s16).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8192, le.getShort());
        assertEquals(-8192, le.getShort());
        assertThrows(IllegalArgumentException.class, () -> PcmConversion.putSigned(samples, 0, 1, 20, false, out, 0));
    }

    @Test
    void floatsUnchanged() {
        float[] samples = {0.1f, -2.5f, Float.NaN};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] out = new byte[12];
            assertEquals(12, PcmConversion.putFloat(samples, 0, 3, order == ByteOrder.BIG_ENDIAN, out, 0));
            float[] back = new float[3];
            ByteBuffer.wrap(out).order(order).asFloatBuffer().get(back);
            assertArrayEquals(samples, back);
        }
    }
}
