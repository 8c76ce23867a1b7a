package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Damaged {@code encodec-stream-lm/2} files: every flipped byte of the body is concealed (48 kHz:
 * the segment's span, its frame zeros faded by the overlap-add; 24 kHz: the chunk's span, silence
 * with 5 ms fades, the stream restarted from silence after it), the rest of the audio equal to the
 * undamaged decode; {@link Damage#FAIL} stops there as at a cut. Also: LM files decode to exactly
 * their plain twins' audio at 1, 2 and 3 threads, and a 24 kHz seek reads from the chunk of its
 * pre-roll on. Small generated LM weights (the layout and the decoder are under test, not the LM).
 */
class LmDamageTest {
    private static final double SEEK_TOLERANCE = 1e-6; // Seek24kTest: a pre-rolled seek against the whole decode
    private static Models models;

    static synchronized Models models() {
        if (models == null) {
            ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
            models = Models.builder().store(store).device("cpu").threads(2).build();
            models.useLm(ModelFamily.ENCODEC_48KHZ, LmWeights.random(48, 16, 16, 1, 32), "0123abcd");
            models.useLm(ModelFamily.ENCODEC_24KHZ, LmWeights.random(24, 32, 16, 1, 32), "0123abcd");
        }
        return models;
    }

    /** The reference's test sound looped to {@code samples}, encoded at 6 kbps with {@link #models()}. */
    static byte[] encode(ModelFamily family, int samples, boolean lm) throws IOException {
        float[] wav = Encoding.wav(family == ModelFamily.ENCODEC_24KHZ ? "test_24k.wav" : "test_48k.wav");
        float[] pcm = new float[samples * family.channels()];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = wav[i % wav.length];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcEncoder.encode(pcm, EncoderOptions.of(family, 6).withModels(models()).withLm(lm), out);
        return out.toByteArray();
    }

    private static byte[] file48;
    private static byte[] file24;
    private static byte[] plain24;
    private static final float[][] CLEAN = new float[3][];

    /** 48 kHz, 6 kbps, 4.2 s: 5 segments. */
    static synchronized byte[] file48() throws IOException {
        if (file48 == null) {
            file48 = encode(ModelFamily.ENCODEC_48KHZ, 200_000, true);
        }
        return file48;
    }

    /** 24 kHz, 6 kbps, 16.7 s: chunks of 5 s, the last one short. */
    static synchronized byte[] file24() throws IOException {
        if (file24 == null) {
            file24 = encode(ModelFamily.ENCODEC_24KHZ, 400_000, true);
        }
        return file24;
    }

    static synchronized byte[] plain24() throws IOException {
        if (plain24 == null) {
            plain24 = encode(ModelFamily.ENCODEC_24KHZ, 400_000, false);
        }
        return plain24;
    }

    /** The undamaged decode: 0: 48 kHz; 1: 24 kHz, 1 thread; 2: 24 kHz, 2 threads (within 1e-5 of one). */
    static synchronized float[] clean(int which) throws IOException {
        if (CLEAN[which] == null) {
            CLEAN[which] = decode(which == 0 ? file48() : file24(), options(which == 1 ? 1 : 2), new ArrayList<>());
        }
        return CLEAN[which];
    }

    static DecoderOptions options(int threads) {
        return DecoderOptions.defaults().withModels(models()).withThreads(threads);
    }

    static float[] decode(byte[] file, DecoderOptions options, List<ConcealedSpan> spans) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(file), options)) {
            float[] out = io.github.encodecstream.testing.Samples.drain(decoder);
            spans.addAll(decoder.concealedSpans());
            return out;
        }
    }

    /** {@code positions} byte offsets spread over the records (the body after the index). */
    static long[] positions(byte[] file, int positions) throws IOException {
        long from = SegmentLayout.of(EcdcBytes.read(file)).dataOffset();
        long[] out = new long[positions];
        for (int p = 0; p < positions; p++) {
            out[p] = from + (file.length - from) * p / positions + p % 7;
        }
        return out;
    }

    @Test
    void aFlippedByteOfA48kFileConcealsItsSegmentOnly() throws IOException {
        byte[] file = file48();
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        float[] clean = clean(0);
        float peak = peak(clean, 0, clean.length);
        int overlap = 480;
        long[] offsets = positions(file, 24);
        for (int p = 0; p < offsets.length; p++) {
            long offset = offsets[p];
            byte[] damaged = file.clone();
            damaged[(int) offset] ^= (byte) (1 << (p % 8));
            int segment = 0;
            while (layout.byteOffset(segment + 1) <= offset) {
                segment++;
            }
            int threads = 1 + p % 3;
            List<ConcealedSpan> spans = new ArrayList<>();
            float[] out = decode(damaged, options(threads), spans);
            String what = "byte " + offset + " (segment " + segment + ", " + threads + " threads)";
            assertEquals(1, spans.size(), what + ": " + spans);
            ConcealedSpan span = spans.get(0);
            SegmentLayout.Segment s = layout.segment(segment);
            assertEquals(List.of(segment, s.start(), s.start() + s.length()),
                    List.of(span.record(), span.startSample(), span.endSample()), what);
            assertEquals(clean.length, out.length, what);
            for (int i = 0; i < out.length; i++) {
                long sample = i / 2;
                boolean inside = sample >= span.startSample() && sample < span.endSample();
                if (!inside) {
                    assertEquals(Float.floatToIntBits(clean[i]), Float.floatToIntBits(out[i]), what + ": sample " + sample);
                } else if (sample >= span.startSample() + overlap && sample < span.endSample() - overlap) {
                    assertEquals(0f, out[i], what + ": silence at " + sample);
                } else {
                    assertTrue(Math.abs(out[i]) <= peak, what + ": fade at " + sample + " " + out[i]);
                }
            }
        }
    }

    @Test
    void aFlippedByteOfA24kFileConcealsItsChunkAndTheStreamRestarts() throws IOException {
        byte[] file = file24();
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        assertTrue(layout.isChunked() && layout.chunkCount() == 4, "chunks: " + layout.chunkCount());
        float peak = peak(clean(1), 0, clean(1).length);
        int fade = 120;
        long[] offsets = positions(file, 8);
        for (int p = 0; p < offsets.length; p++) {
            long offset = offsets[p];
            byte[] damaged = file.clone();
            damaged[(int) offset] ^= (byte) (1 << (p % 8));
            int chunk = 0;
            while (layout.chunkByteOffset(chunk + 1) <= offset) {
                chunk++;
            }
            int threads = 1 + p % 3;
            float[] clean = clean(threads == 1 ? 1 : 2);
            List<ConcealedSpan> spans = new ArrayList<>();
            float[] out = decode(damaged, options(threads), spans);
            String what = "byte " + offset + " (chunk " + chunk + ", " + threads + " threads)";
            assertEquals(1, spans.size(), what + ": " + spans);
            ConcealedSpan span = spans.get(0);
            assertEquals(List.of(chunk, "chunk", layout.chunkStartSample(chunk), layout.chunkEndSample(chunk)),
                    List.of(span.record(), span.kind(), span.startSample(), span.endSample()), what);
            assertConcealedChunk(clean, out, span, fade, peak, what, threads <= 2); // the clean decode's thread count
        }
    }

    /**
     * Before the span: the clean audio, bit for bit when decoded at the same thread count (else
     * within the parallel spans' tolerance), its last 5 ms faded; the span silent; after it, never
     * louder than the file's peak, and from one second on within the seek tolerance (in parallel,
     * the spans' 1e-5).
     */
    static void assertConcealedChunk(float[] clean, float[] out, ConcealedSpan span, int fade, float peak, String what,
            boolean exactBefore) {
        assertEquals(clean.length, out.length, what);
        long settle = span.endSample() + 24_000;
        for (int i = 0; i < out.length; i++) {
            double d = Math.abs(out[i] - clean[i]);
            if (i < span.startSample() - fade) {
                assertTrue(exactBefore ? d == 0 : d <= 1e-5, what + ": before the span, sample " + i + " differs by " + d);
            } else if (i < span.startSample()) {
                assertTrue(Math.abs(out[i]) <= Math.abs(clean[i]) + 1e-5, what + ": fade-out at " + i);
            } else if (i < span.endSample()) {
                assertEquals(0f, out[i], what + ": silence at " + i);
            } else if (i < settle) {
                assertTrue(Math.abs(out[i]) <= peak, what + ": after the span, sample " + i + " = " + out[i]);
            } else {
                assertTrue(d <= (exactBefore ? SEEK_TOLERANCE : 1e-5), what + ": one second after the span, sample " + i + " differs by " + d);
            }
        }
        assertTrue(span.endSample() >= out.length || Math.abs(out[(int) span.endSample()]) < peak * 1e-2 + 1e-4,
                what + ": fade-in starts near silence");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ENCODEC_48KHZ, 1", "ENCODEC_48KHZ, 3", "ENCODEC_24KHZ, 1", "ENCODEC_24KHZ, 2"})
    void failStopsAtTheFirstDamagedRecordLikeACut(ModelFamily family, int threads) throws IOException {
        boolean segmented = family.isSegmented();
        byte[] file = segmented ? file48() : file24();
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        int record = 2;
        long offset = segmented ? layout.byteOffset(record) + 9 : layout.chunkByteOffset(record) + 9;
        byte[] damaged = file.clone();
        damaged[(int) offset] ^= 0x10;
        float[] clean = clean(segmented ? 0 : threads == 1 ? 1 : 2);
        float[] got = new float[0];
        try (EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(damaged), options(threads).withDamage(Damage.FAIL))) {
            EcdcFormatException e = null;
            try {
                for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                    int n = got.length;
                    got = Arrays.copyOf(got, n + chunk.length);
                    System.arraycopy(chunk, 0, got, n, chunk.length);
                }
            } catch (EcdcFormatException thrown) {
                e = thrown;
            }
            DamagedRecordException d = assertInstanceOf(DamagedRecordException.class, e);
            assertEquals(record, d.record());
            assertThrows(DamagedRecordException.class, decoder::read, "a later read repeats it");
            assertEquals(0, decoder.concealedCount());
        }
        int channels = family.channels();
        long start = segmented ? layout.segment(record).start() : layout.chunkStartSample(record);
        long expected = segmented ? start + 480 : start; // 48 kHz: the previous segment's overlap tail, as at a cut
        assertEquals(expected * channels, got.length, "audio up to the damage");
        int exact = (int) (start * channels);
        double error = 0;
        for (int i = 0; i < exact; i++) {
            error = Math.max(error, Math.abs(got[i] - clean[i]));
        }
        assertTrue(segmented || threads == 1 ? error == 0 : error <= 1e-5, "before the damage: " + error);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ENCODEC_48KHZ", "ENCODEC_24KHZ"})
    void lmFilesDecodeToTheirPlainTwinsAtAnyThreadCount(ModelFamily family) throws IOException {
        byte[] lm = family.isSegmented() ? file48() : file24();
        byte[] plain = family.isSegmented() ? encode(family, 200_000, false) : plain24();
        for (int threads = 1; threads <= 3; threads++) {
            float[] a = decode(plain, options(threads), new ArrayList<>());
            float[] b = decode(lm, options(threads), new ArrayList<>());
            assertArrayEquals(a, b, threads + " threads");
        }
    }

    @Test
    void a24kSeekReadsFromThePrerollsChunkOnly() throws IOException {
        byte[] lm = file24();
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(lm));
        long target = layout.chunkStartSample(3) - 3_000; // just before the end of chunk 2
        long prerollStart = (target / 320 - DecoderOptions.DEFAULT_PREROLL) * 320;
        for (int threads = 1; threads <= 2; threads++) {
            List<Long> opened = new ArrayList<>();
            float[] seeked;
            try (EcdcDecoder decoder = EcdcDecoder.open(recording(lm, opened), options(threads))) {
                decoder.seek(target);
                seeked = io.github.encodecstream.testing.Samples.drain(decoder);
            }
            float[] plain;
            try (EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(plain24()), options(threads))) {
                decoder.seek(target);
                plain = io.github.encodecstream.testing.Samples.drain(decoder);
            }
            assertArrayEquals(plain, seeked, "the plain file's seek, " + threads + " threads");
            long chunkOffset = layout.chunkByteOffset(layout.chunkOf(prerollStart / 320));
            assertTrue(opened.size() >= 2 && opened.subList(1, opened.size()).stream().allMatch(o -> o == chunkOffset),
                    "the header, then the pre-roll's chunk at " + chunkOffset + ": " + opened);
        }
    }

    /** A source over {@code bytes} that records the offsets it is opened at. */
    private static ByteSource recording(byte[] bytes, List<Long> opened) {
        ByteSource inner = ByteSource.of(bytes);
        return new ByteSource() {
            @Override
            public InputStream openAt(long offset) throws IOException {
                opened.add(offset);
                return inner.openAt(offset);
            }

            @Override
            public boolean isSeekable() {
                return true;
            }

            @Override
            public OptionalLong size() throws IOException {
                return inner.size();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    private static float peak(float[] audio, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(audio[i]));
        }
        return max;
    }
}
