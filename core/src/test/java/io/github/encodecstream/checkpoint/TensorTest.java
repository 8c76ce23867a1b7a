package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Conversions between the stored dtypes and Java arrays. */
class TensorTest {
    private static Tensor of(DType type, int[] shape, byte[] bytes) {
        return new Tensor(type, shape, ByteBuffer.wrap(bytes));
    }

    @Test
    void float16Conversion() {
        short[] halves = {0x0000, (short) 0x8000, 0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x7C00, (short) 0xFC00, 0x7E00};
        ByteBuffer b = ByteBuffer.allocate(2 * halves.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : halves) {
            b.putShort(h);
        }
        float[] f = of(DType.FLOAT16, new int[] {halves.length}, b.array()).toFloats();
        assertEquals(0f, f[0]);
        assertEquals(-0f, f[1]);
        assertEquals(1f, f[2]);
        assertEquals(-2f, f[3]);
        assertEquals(65504f, f[4]);
        assertEquals(0x1p-24f, f[5]); // smallest subnormal
        assertEquals(1023 * 0x1p-24f, f[6]); // largest subnormal
        assertEquals(Float.POSITIVE_INFINITY, f[7]);
        assertEquals(Float.NEGATIVE_INFINITY, f[8]);
        assertTrue(Float.isNaN(f[9]));
    }

    @Test
    void bfloat16Conversion() {
        float[] f = of(DType.BFLOAT16, new int[] {2}, new byte[] {(byte) 0x80, 0x3F, 0x20, (byte) 0xC1}).toFloats();
        assertArrayEquals(new float[] {1f, -10f}, f);
    }

    @Test
    void floatsToIntegersAndBooleans() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1.7f).putFloat(2.9f).putFloat(0f).putFloat(Float.NaN);
        Tensor t = of(DType.FLOAT32, new int[] {2, 2}, b.array());
        assertArrayEquals(new long[] {-1, 2, 0, 0}, t.toLongs());
        assertArrayEquals(new boolean[] {true, true, false, true}, t.toBooleans());
        assertEquals(4, t.numel());
    }

    @Test
    void integerTypesToFloatingPoint() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(-3);
        Tensor t = of(DType.INT64, new int[] {2}, b.array());
        assertArrayEquals(new float[] {(float) Long.MAX_VALUE, -3f}, t.toFloats());
        assertArrayEquals(new double[] {(double) Long.MAX_VALUE, -3}, t.toDoubles());
        assertArrayEquals(new float[] {1, 0, 1}, of(DType.BOOL, new int[] {3}, new byte[] {1, 0, 1}).toFloats());
        assertArrayEquals(new long[] {255, 0}, of(DType.UINT8, new int[] {2}, new byte[] {-1, 0}).toLongs());
    }

    @Test
    void immutable() {
        int[] shape = {2};
        Tensor t = of(DType.INT8, shape, new byte[] {1, 2});
        shape[0] = 5;
        t.shape()[0] = 7;
        assertArrayEquals(new int[] {2}, t.shape());
        t.toLongs()[0] = 9;
        assertArrayEquals(new long[] {1, 2}, t.toLongs());
        assertThrows(IllegalArgumentException.class, () -> of(DType.INT16, new int[] {2}, new byte[] {1, 2}));
    }
}
