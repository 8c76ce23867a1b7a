package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.Samples;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Damage in plain (not entropy-coded) files: a flipped byte of a 48 kHz file changes at most the
 * segment it lies in (its samples include the 1% overlap with each neighbour); a scale that is
 * not finite or not plausible is concealed as silence, or, with {@link Damage#FAIL}, ends the
 * audio as a cut.
 */
class PlainDamageTest {
    private static final Case CASE = ReferenceCases.named("48k_bw6");
    private static final int CHANNELS = 2;

    static float[] decode(byte[] file, DecoderOptions options, List<ConcealedSpan> spans) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), options)) {
            float[] out = Samples.drain(decoder);
            if (spans != null) {
                spans.addAll(decoder.concealedSpans());
            }
            return out;
        }
    }

    /** The segment whose record holds byte {@code offset}. */
    static int segmentAt(SegmentLayout layout, long offset) {
        int i = 0;
        while (layout.byteOffset(i + 1) <= offset) {
            i++;
        }
        return i;
    }

    /** Asserts that {@code out} equals {@code clean} sample for sample outside samples [from, to) (per channel). */
    static void assertSameOutside(float[] clean, float[] out, long from, long to, String what) {
        assertEquals(clean.length, out.length, what + ": length");
        for (int i = 0; i < clean.length; i++) {
            long sample = i / CHANNELS;
            if ((sample < from || sample >= to) && Float.floatToIntBits(clean[i]) != Float.floatToIntBits(out[i])) {
                throw new AssertionError(what + ": sample " + sample + " outside " + from + ".." + to + " differs: "
                        + clean[i] + " vs " + out[i]);
            }
        }
    }

    @Test
    void aFlippedByteChangesAtMostItsSegment() throws IOException {
        byte[] file = Files.readAllBytes(CASE.ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        DecoderOptions options = ReferenceCases.options().withThreads(2);
        float[] clean = clean(file);
        long body = file.length - layout.dataOffset();
        int positions = 10;
        for (int p = 0; p < positions; p++) {
            // spread over the body, each segment's scale bytes among them
            long offset = p % 3 == 0 ? layout.byteOffset(p / 3 % layout.segmentCount()) + p % 4
                    : layout.dataOffset() + body * p / positions + 7;
            byte[] damaged = file.clone();
            damaged[(int) offset] ^= (byte) (1 << (p % 8));
            int segment = segmentAt(layout, offset);
            SegmentLayout.Segment s = layout.segment(segment);
            List<ConcealedSpan> spans = new java.util.ArrayList<>();
            float[] out = decode(damaged, options, spans);
            assertSameOutside(clean, out, s.start(), s.start() + s.length(), "byte " + offset + " (segment " + segment + ")");
            assertTrue(spans.isEmpty() || spans.equals(List.of(spans.get(0))) && spans.get(0).record() == segment,
                    "concealed: " + spans);
        }
    }

    @ParameterizedTest
    @CsvSource({"NaN, 1", "Infinity, 2", "0, 2", "-0.5, 1", "16.5, 2"})
    void anImplausibleScaleIsConcealedAsSilence(float scale, int threads) throws IOException {
        byte[] file = Files.readAllBytes(CASE.ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        int segment = 3;
        byte[] damaged = withScale(file, layout, segment, scale);
        DecoderOptions options = ReferenceCases.options().withThreads(threads);
        float[] clean = clean(file);
        List<ConcealedSpan> spans = new java.util.ArrayList<>();
        float[] out = decode(damaged, options, spans);
        SegmentLayout.Segment s = layout.segment(segment);
        assertSameOutside(clean, out, s.start(), s.start() + s.length(), "scale " + scale);
        int overlap = CASE.sampleRate() / 100;
        for (long i = (s.start() + overlap) * CHANNELS; i < (s.start() + s.length() - overlap) * CHANNELS; i++) {
            assertEquals(0f, out[(int) i], "silence inside the segment, sample " + i / CHANNELS);
        }
        // the overlaps: the neighbours faded (linearly) into and out of the silence, never louder than they are
        for (long i = s.start() * CHANNELS; i < (s.start() + overlap) * CHANNELS; i++) {
            assertTrue(Math.abs(out[(int) i]) <= peak(clean, s.start() - overlap, s.start() + overlap) + 1e-6,
                    "fade at " + i / CHANNELS);
        }
        assertEquals(1, spans.size(), spans.toString());
        ConcealedSpan span = spans.get(0);
        assertEquals(segment, span.record());
        assertEquals("segment", span.kind());
        assertEquals(s.start(), span.startSample());
        assertEquals(s.start() + s.length(), span.endSample());
    }

    @Test
    void failStopsAtTheDamageLikeACut() throws IOException {
        byte[] file = Files.readAllBytes(CASE.ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        int segment = 2;
        byte[] damaged = withScale(file, layout, segment, Float.NaN);
        for (int threads : new int[] {1, 2}) {
            DecoderOptions options = ReferenceCases.options().withThreads(threads);
            float[] clean = clean(file);
            float[] out = new float[0];
            try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(damaged),
                    options.withDamage(Damage.FAIL))) {
                EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> {
                    float[] all = new float[0];
                    for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                        int n = all.length;
                        all = Arrays.copyOf(all, n + chunk.length);
                        System.arraycopy(chunk, 0, all, n, chunk.length);
                        holder[0] = all;
                    }
                });
                DamagedRecordException d = assertInstanceOf(DamagedRecordException.class, e);
                assertEquals(segment, d.record());
                assertEquals(0, decoder.concealedCount());
                out = holder[0];
            }
            long start = layout.segment(segment).start();
            // like a cut: every sample up to the damaged segment's start, then the previous segment's overlap tail
            assertEquals((start + CASE.sampleRate() / 100) * CHANNELS, out.length, "threads " + threads);
            assertArrayEquals(Arrays.copyOf(clean, (int) start * CHANNELS), Arrays.copyOf(out, (int) start * CHANNELS));
        }
    }

    private final float[][] holder = new float[1][];
    private static float[] clean;

    /** The undamaged decode (the same at any thread count). */
    private static synchronized float[] clean(byte[] file) throws IOException {
        if (clean == null) {
            clean = decode(file, ReferenceCases.options(), null);
        }
        return clean;
    }

    private static float peak(float[] audio, long from, long to) {
        float max = 0;
        for (long i = from * CHANNELS; i < to * CHANNELS; i++) {
            max = Math.max(max, Math.abs(audio[(int) i]));
        }
        return max;
    }

    private static byte[] withScale(byte[] file, SegmentLayout layout, int segment, float scale) {
        byte[] damaged = file.clone();
        ByteBuffer.wrap(damaged).putFloat((int) layout.byteOffset(segment), scale);
        return damaged;
    }
}
