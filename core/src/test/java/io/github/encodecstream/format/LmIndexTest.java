package io.github.encodecstream.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code encodec-stream-lm/2} headers: the {@code lmc} key and the version rules, the binary
 * {@link LmIndex} after the JSON with its header CRC, and damage to any byte of header or index
 * refused before any audio.
 */
class LmIndexTest {
    private static EcdcMetadata.Builder v2(ModelFamily family, long al) {
        EcdcMetadata.Builder b = EcdcMetadata.builder().family(family).audioLength(al).codebooks(4).lm(true)
                .lmVersion(EcdcMetadata.LM_VERSION).lmChecksum("0123abcd");
        return family.isSegmented() ? b : b.lmChunkSteps(EcdcMetadata.LM_CHUNK_STEPS);
    }

    private static EcdcHeader header24(long al, int... lengths) {
        int[] crcs = new int[lengths.length];
        Arrays.setAll(crcs, i -> 0x1234567 * (i + 1));
        return EcdcHeader.of(193, v2(ModelFamily.ENCODEC_24KHZ, al).build(), new LmIndex(lengths, crcs));
    }

    private static EcdcHeader read(byte[] bytes) throws IOException {
        return EcdcHeader.read(new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void headerWithIndexRoundTrips() throws IOException {
        // 375 steps of 320 samples per chunk: 3 chunks for 2 × 120 000 + 1 samples
        EcdcHeader h = header24(240_001, 900, 0, 17);
        assertEquals("{\"m\":\"encodec_24khz\",\"al\":240001,\"nc\":4,\"lm\":true,\"lmv\":\"encodec-stream-lm/2\","
                + "\"lmh\":\"0123abcd\",\"lmc\":375}", h.metadata().toJson());
        byte[] bytes = h.toBytes();
        assertEquals(9 + h.jsonLength() + 3 * 8 + 4, bytes.length);
        assertEquals(bytes.length, h.frameDataOffset());
        EcdcHeader back = EcdcHeader.read(new ByteArrayInputStream(bytes));
        assertEquals(h, back);
        assertArrayEquals(bytes, back.toBytes());
        assertArrayEquals(new int[] {900, 0, 17}, back.lmIndex().lengths());
        assertEquals(0x1234567 * 3, back.lmIndex().crc(2));
        back.requireCodesDecodable();
        // the stored CRC covers every byte from the magic to the last entry
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        assertEquals(LmIndex.crc32c(bytes, 0, bytes.length - 4), stored);
    }

    @Test
    void fortyEightKilohertzIndexHasOneEntryPerSegment() throws IOException {
        EcdcMetadata m = v2(ModelFamily.ENCODEC_48KHZ, 100_000).build();
        assertEquals(3, m.lmRecordCount());
        assertNull(m.lmChunkSteps());
        assertTrue(m.codesDecodable());
        assertThrows(IllegalArgumentException.class, () -> EcdcHeader.of(193, m));
        assertThrows(IllegalArgumentException.class, () -> EcdcHeader.of(193, m, new LmIndex(new int[2], new int[2])));
        int max = EcdcMetadata.maxLmSegmentBytes(ModelFamily.ENCODEC_48KHZ, 4);
        assertThrows(IllegalArgumentException.class,
                () -> EcdcHeader.of(193, m, new LmIndex(new int[] {1, 2, max + 1}, new int[3])));
        EcdcHeader h = EcdcHeader.of(193, m, new LmIndex(new int[] {1, 2, max}, new int[3]));
        assertEquals(h, read(h.toBytes()));
    }

    @Test
    void versionRulesOfTheKeys() {
        // lmc: 24 kHz, version 2, 1..375, required there
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_24KHZ, 1).lmChunkSteps(null).build());
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_24KHZ, 1).lmChunkSteps(0).build());
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_24KHZ, 1).lmChunkSteps(376).build());
        assertEquals(1, v2(ModelFamily.ENCODEC_24KHZ, 1).lmChunkSteps(1).build().lmChunkSteps());
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_48KHZ, 1).lmChunkSteps(375).build());
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_24KHZ, 1)
                .lmVersion(EcdcMetadata.LM_VERSION_1).build());
        // no lms in version 2
        assertThrows(IllegalArgumentException.class, () -> v2(ModelFamily.ENCODEC_48KHZ, 1).lmSegmentBytes(new int[] {5})
                .build());
        // version 1 has no index
        EcdcMetadata v1 = v2(ModelFamily.ENCODEC_48KHZ, 1).lmVersion(EcdcMetadata.LM_VERSION_1)
                .lmSegmentBytes(new int[] {5}).build();
        assertFalse(v1.hasLmIndex());
        assertEquals(0, v1.lmRecordCount());
        assertTrue(EcdcMetadata.LM_VERSIONS.contains(EcdcMetadata.LM_VERSION_1));
        assertTrue(EcdcMetadata.LM_VERSIONS.contains(EcdcMetadata.LM_VERSION));
    }

    @Test
    void missingOrInvalidLmcIsAFormatError() {
        for (String lmc : new String[] {"", ",\"lmc\":0", ",\"lmc\":376", ",\"lmc\":\"5\"", ",\"lmc\":1.5"}) {
            String json = "{\"m\":\"encodec_24khz\",\"al\":0,\"nc\":2,\"lm\":true,\"lmv\":\"encodec-stream-lm/2\","
                    + "\"lmh\":\"0123abcd\"" + lmc + "}";
            assertThrows(EcdcFormatException.class, () -> read(withIndex(json, 0)), lmc);
        }
    }

    /** A header of {@code json} followed by a valid index of {@code records} empty entries. */
    private static byte[] withIndex(String json, int records) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(9 + j.length + 8 * records + 4);
        b.put(EcdcHeader.MAGIC).put((byte) 193).putInt(j.length).put(j);
        for (int i = 0; i < records; i++) {
            b.putLong(0);
        }
        b.putInt(LmIndex.crc32c(b.array(), 0, b.position()));
        return b.array();
    }

    @Test
    void everyDamagedByteOfHeaderOrIndexIsRefused() {
        EcdcHeader h = header24(240_001, 900, 12, 17);
        byte[] good = h.toBytes();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                int at = i;
                // fatal before any audio: unreadable, or readable but refused (e.g. lmv changed to an unknown version)
                assertThrows(EcdcFormatException.class, () -> read(bad).requireCodesDecodable(), "byte " + at);
            }
        }
    }

    @Test
    void badEntryWithAValidCrcIsAFormatError() {
        int max = EcdcMetadata.maxLmChunkBytes(4, 375);
        String json = v2(ModelFamily.ENCODEC_24KHZ, 320).build().toJson();
        byte[] bytes = withIndex(json, 1);
        int entry = bytes.length - 12;
        ByteBuffer.wrap(bytes).putInt(entry, max + 1);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, LmIndex.crc32c(bytes, 0, bytes.length - 4));
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> read(bytes));
        assertTrue(e.getMessage().contains("outside 0.." + max), e.getMessage());
        assertEquals(entry, e.byteOffset());
        ByteBuffer.wrap(bytes).putInt(entry, -1); // 2^32 - 1 unsigned
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, LmIndex.crc32c(bytes, 0, bytes.length - 4));
        assertThrows(EcdcFormatException.class, () -> read(bytes));
    }

    @Test
    void cutIndexIsATruncation() {
        byte[] good = header24(240_001, 900, 12, 17).toBytes();
        int jsonEnd = good.length - 3 * 8 - 4;
        for (int n = jsonEnd; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(TruncatedEcdcException.class, () -> EcdcHeader.read(new ByteArrayInputStream(cut)));
            assertThrows(TruncatedEcdcException.class, () -> read(cut));
        }
    }

    /** A week of 24 kHz audio in chunks of one step declares 226 800 000 entries (1.8 GB of index). */
    @Test
    void hugeIndexIsRefusedFromTheFileSizeOrTheDataBeforeAllocating() {
        long al = EcdcMetadata.MAX_AUDIO_LENGTH / 2;
        String json = v2(ModelFamily.ENCODEC_24KHZ, al).lmChunkSteps(1).build().toJson();
        byte[] small = withIndex(json, 10);
        TruncatedEcdcException e = assertThrows(TruncatedEcdcException.class, () -> read(small));
        assertTrue(e.getMessage().contains("LM index"), e.getMessage());
        // size unknown: the stream ends, after at most a block's worth of allocation
        InputStream endless = new InputStream() {
            private int left = small.length + 100_000;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }
        };
        byte[] head = Arrays.copyOf(small, small.length - 84);
        InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(head), endless);
        assertThrows(TruncatedEcdcException.class, () -> EcdcHeader.read(in));
    }
}
