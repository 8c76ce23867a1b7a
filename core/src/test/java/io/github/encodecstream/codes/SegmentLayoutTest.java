package io.github.encodecstream.codes;

import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceCases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentLayoutTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#all")
    void segmentsAndStepsMatchManifest(ReferenceCases.Case c) throws IOException {
        SegmentLayout layout = SegmentLayout.of(read(c.ecdc()));
        assertEquals(c.frames().size(), layout.segmentCount());
        long covered = 0;
        for (int i = 0; i < layout.segmentCount(); i++) {
            SegmentLayout.Segment s = layout.segment(i);
            assertEquals(i, s.index());
            assertEquals(c.frames().get(i).steps(), s.steps(), "steps of segment " + i);
            assertEquals((long) i * layout.family().segmentStride(), s.start());
            covered = Math.max(covered, s.start() + s.length());
        }
        assertEquals(c.length(), covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#allFiles")
    void headerPlusSegmentsIsTheFileSize(Path file) throws IOException {
        SegmentLayout layout = SegmentLayout.of(read(file));
        if (layout.isEntropyCoded()) {
            assertThrows(IllegalStateException.class, () -> layout.byteOffset(0));
            return;
        }
        long sum = layout.dataOffset();
        for (int i = 0; i < layout.segmentCount(); i++) {
            assertEquals(sum, layout.byteOffset(i));
            sum += layout.byteSize(i);
        }
        assertEquals(Files.size(file), sum);
        assertEquals(Files.size(file), layout.endOffset());
    }

    @Test
    void directOffsetsEqualRunningSumsForALongFile() {
        for (long al : new long[] {1, 47_520, 47_521, 48_000, 95_040, 95_041, 95_520, 95_521, 1_000_000_007L}) {
            SegmentLayout layout = SegmentLayout.of(ModelFamily.ENCODEC_48KHZ, al, 6, 60, false);
            long sum = 60;
            for (int i = 0; i < layout.segmentCount(); i++) {
                assertEquals(sum, layout.byteOffset(i), "al " + al + " segment " + i);
                SegmentLayout.Segment s = layout.segment(i);
                assertEquals(Math.min(48_000, al - s.start()), s.length());
                assertEquals(4 + (s.steps() * 6L * 10 + 7) / 8, layout.byteSize(i));
                sum += layout.byteSize(i);
            }
            assertEquals(sum, layout.endOffset());
            SegmentLayout.Segment last = layout.segment(layout.segmentCount() - 1);
            assertEquals(al, last.start() + last.length());
            assertTrue(last.start() < al);
        }
    }

    @Test
    void emptyAudioHasNoSegments() {
        for (ModelFamily f : ModelFamily.values()) {
            SegmentLayout layout = SegmentLayout.of(f, 0, 2, 57, false);
            assertEquals(0, layout.segmentCount());
            assertEquals(57, layout.endOffset());
            assertThrows(IndexOutOfBoundsException.class, () -> layout.segment(0));
            assertThrows(IndexOutOfBoundsException.class, () -> layout.segmentContaining(0));
        }
    }

    @Test
    void theWholeTwentyFourKilohertzFileIsOneSegment() {
        SegmentLayout layout = SegmentLayout.of(ModelFamily.ENCODEC_24KHZ, EcdcMetadata.MAX_AUDIO_LENGTH, 32, 58, false);
        assertEquals(1, layout.segmentCount());
        SegmentLayout.Segment s = layout.segment(0);
        assertEquals(EcdcMetadata.MAX_AUDIO_LENGTH, s.length());
        assertEquals(90_720_000, s.steps());
        assertEquals(58 + 90_720_000L * 32 * 10 / 8, layout.endOffset());
        assertEquals(0, layout.segmentContaining(EcdcMetadata.MAX_AUDIO_LENGTH - 1));
    }

    @Test
    void segmentContaining() {
        SegmentLayout layout = SegmentLayout.of(ModelFamily.ENCODEC_48KHZ, 100_000, 4, 57, false);
        assertEquals(3, layout.segmentCount());
        assertEquals(0, layout.segmentContaining(0));
        assertEquals(0, layout.segmentContaining(47_519));
        assertEquals(1, layout.segmentContaining(47_520)); // also in segment 0's last 480 samples
        assertEquals(1, layout.segmentContaining(95_039));
        assertEquals(2, layout.segmentContaining(95_040));
        assertEquals(2, layout.segmentContaining(99_999));
        assertThrows(IndexOutOfBoundsException.class, () -> layout.segmentContaining(100_000));
        assertThrows(IndexOutOfBoundsException.class, () -> layout.segmentContaining(-1));
    }

    /**
     * Steps = ceil(len · frameRate / sampleRate) = ceil(len / 320). For 48 kHz segments (len at
     * most 48 000) Python's double division is exact enough: it agrees with the integer formula
     * for every length. It is a long 24 kHz file (one segment of {@code al} samples) where float
     * shortcuts fail: in float32 from just above 2^24 samples (about 11.7 minutes), and a plain
     * {@code int} product {@code len * 75} overflows past 28.6 million samples.
     */
    @Test
    void integerStepsWhereFloatMathFails() {
        for (ModelFamily f : ModelFamily.values()) {
            for (int len = 1; len <= 48_000; len++) {
                assertEquals((long) Math.ceil(len * (double) f.frameRate() / f.sampleRate()), f.stepsFor(len));
            }
        }
        long found = -1;
        for (long len = 1 << 24; len < (1 << 24) + 10_000 && found < 0; len++) {
            float viaFloat = (float) len * 75f / 24_000f;
            if ((long) Math.ceil(viaFloat) != exactSteps(len, 75, 24_000)) {
                found = len;
            }
        }
        assertEquals(16_777_279, found, "first length where float32 math fails");
        assertEquals(exactSteps(found, 75, 24_000), ModelFamily.ENCODEC_24KHZ.stepsFor(found));
        assertEquals(52_429, ModelFamily.ENCODEC_24KHZ.stepsFor(found));

        long big = 30_000_000;
        assertNotEquals(exactSteps(big, 75, 24_000), ((int) big * 75 + 23_999) / 24_000, "int overflow");
        assertEquals(exactSteps(big, 75, 24_000), ModelFamily.ENCODEC_24KHZ.stepsFor(big));
        long max = EcdcMetadata.MAX_AUDIO_LENGTH;
        assertEquals(exactSteps(max - 1, 150, 48_000), ModelFamily.ENCODEC_48KHZ.stepsFor(max - 1));
    }

    private static long exactSteps(long len, int frameRate, int sampleRate) {
        BigInteger[] qr = BigInteger.valueOf(len).multiply(BigInteger.valueOf(frameRate))
                .divideAndRemainder(BigInteger.valueOf(sampleRate));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    static EcdcHeader read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return EcdcHeader.read(in);
        }
    }
}
