package io.github.encodecstream.codes;

import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceCases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BitPackerTest {
    @Test
    void packsLeastSignificantBitFirst() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitPacker p = new BitPacker(out);
        p.write(1023);
        p.write(0);
        p.write(1);
        assertArrayEquals(new byte[] {(byte) 0xFF, 0x03, 0x10}, out.toByteArray());
        p.flush();
        assertArrayEquals(new byte[] {(byte) 0xFF, 0x03, 0x10, 0x00}, out.toByteArray());
        p.flush();
        assertEquals(4, out.size(), "nothing pending");
        assertEquals(4, BitPacker.packedSize(3));
    }

    @Test
    void roundTripForEveryCount() throws IOException {
        Random random = new Random(42);
        for (int count = 0; count <= 50; count++) {
            int[] values = random.ints(count, 0, 1024).toArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitPacker p = new BitPacker(out);
            for (int v : values) {
                p.write(v);
            }
            p.flush();
            byte[] bytes = out.toByteArray();
            assertEquals(BitPacker.packedSize(count), bytes.length);
            BitUnpacker u = new BitUnpacker();
            int[] back = new int[count];
            int at = 0;
            for (byte b : bytes) {
                u.push(b);
                while (u.hasValue() && at < count) {
                    back[at++] = u.pull();
                }
            }
            assertArrayEquals(values, back);
            assertEquals(bytes.length * 8 - count * 10, u.pendingBits(), "only the fill is left");
            u.clear();
            assertFalse(u.hasValue());
            assertEquals(0, u.pendingBits());
        }
    }

    @Test
    void rejectsOutOfRangeCodesAndMisuse() {
        BitPacker p = new BitPacker(new ByteArrayOutputStream());
        assertThrows(IllegalArgumentException.class, () -> p.write(1024));
        assertThrows(IllegalArgumentException.class, () -> p.write(-1));
        BitUnpacker u = new BitUnpacker();
        assertThrows(IllegalStateException.class, u::pull);
        u.push(1);
        u.push(2);
        assertThrows(IllegalStateException.class, () -> u.push(3));
        assertEquals(1 | (2 & 3) << 8, u.pull());
    }

    static List<ReferenceCases.Case> plainCases() {
        return ReferenceCases.plainCases();
    }

    /** Header, scales and packed codes rebuild each reference file byte for byte. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void rewritingReferenceFilesReproducesThem(ReferenceCases.Case c) throws IOException {
        byte[] file = Files.readAllBytes(c.ecdc());
        EcdcMetadata metadata = EcdcMetadata.builder().model(c.model()).audioLength(c.length())
                .codebooks(c.codebooks()).lm(false).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcHeader.of(EcdcHeader.VERSION_REFERENCE, metadata).write(out);
        DataOutputStream data = new DataOutputStream(out);
        BitPacker packer = new BitPacker(out);
        int[] codes = c.stepMajorCodes();
        int at = 0;
        for (ReferenceCases.Frame f : c.frames()) {
            if (f.scale() != null) {
                data.writeFloat(f.scale().floatValue());
            }
            for (int i = 0; i < f.steps() * c.codebooks(); i++) {
                packer.write(codes[at++]);
            }
            packer.flush();
        }
        assertArrayEquals(file, out.toByteArray());
    }
}
