package io.github.encodecstream.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.entropy.LmSegmentDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.format.TruncatedEcdcException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LmCodeReader} on {@code encodec-stream-lm/2} files built by {@link LmV2Files}: codes read
 * back across chunk boundaries, seeks to any step, raw records, and every damaged record reported as
 * a {@link DamagedRecordException} with its span, the reader going on after it.
 */
class LmCodeReaderV2Test {
    private static final int NC = 2;
    private static final int LMC = 5;
    private static final LmWeights WEIGHTS = LmV2Files.weights(NC);

    private static LmCodeReader reader(LmV2Files.Built f) {
        return reader(f, f.bytes());
    }

    private static LmCodeReader reader(LmV2Files.Built f, byte[] bytes) {
        SegmentLayout layout = f.layout();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        in.skip(layout.dataOffset());
        return new LmCodeReader(layout, in, layout.dataOffset(), WEIGHTS);
    }

    private static LmV2Files.Built file24(long al) {
        return LmV2Files.build(ModelFamily.ENCODEC_24KHZ, al, NC, LMC, WEIGHTS);
    }

    /** Reads the rest of the segment in blocks of {@code block} steps. */
    private static int[] readAll(LmCodeReader r, int block) throws IOException {
        int[] out = new int[0];
        int[] buf = new int[block * NC];
        for (int n = r.readSteps(buf, block); n > 0; n = r.readSteps(buf, block)) {
            int at = out.length;
            out = Arrays.copyOf(out, at + n * NC);
            System.arraycopy(buf, 0, out, at, n * NC);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 320, LMC * 320 - 1, LMC * 320, LMC * 320 + 1, LMC * 320 + 320, 3 * LMC * 320 + 7})
    void chunkedCodesReadBackAcrossChunks(long al) throws IOException {
        LmV2Files.Built f = file24(al);
        SegmentLayout layout = f.layout();
        int steps = layout.segment(0).steps();
        assertEquals((steps + LMC - 1) / LMC, layout.chunkCount());
        assertEquals(f.bytes().length, layout.endOffset());
        for (int block : new int[] {1, 3, 7, 1000}) {
            LmCodeReader r = reader(f);
            assertEquals(1f, r.beginSegment(0));
            assertArrayEquals(f.codes()[0], readAll(r, block), "block " + block);
            assertEquals(f.bytes().length, r.position());
        }
        for (int first = 0; first < steps; first++) {
            LmCodeReader r = reader(f);
            r.beginSegment(0, first);
            assertEquals(first, r.step());
            assertArrayEquals(Arrays.copyOfRange(f.codes()[0], first * NC, steps * NC), readAll(r, 4), "from " + first);
        }
        for (int c = 0; c < layout.chunkCount(); c++) {
            LmCodeReader r = reader(f);
            LmCodeReader.RawSegment raw = r.readRaw(c);
            assertEquals(layout.chunkByteOffset(c + 1), r.position());
            int[] codes = LmCodeReader.decodeRecord(raw, LmCodeReader.segmentDecoder(layout, WEIGHTS), NC);
            int first = layout.chunkFirstStep(c);
            assertArrayEquals(Arrays.copyOfRange(f.codes()[0], first * NC, (first + layout.chunkStepCount(c)) * NC), codes);
            assertEquals(layout.chunkStartSample(c), raw.startSample());
            assertEquals(layout.chunkEndSample(c), raw.endSample());
        }
    }

    @Test
    void beginSegmentAgainJumpsForward() throws IOException {
        LmV2Files.Built f = file24(5L * LMC * 320);
        int steps = f.layout().segment(0).steps();
        LmCodeReader r = reader(f);
        r.beginSegment(0, 1);
        int[] buf = new int[3 * NC];
        assertEquals(3, r.readSteps(buf, 3)); // steps 1..3 of chunk 0
        for (int target : new int[] {2, 4, 3 * LMC + 1, 3 * LMC + 2, 4 * LMC}) {
            r.beginSegment(0, target);
            assertEquals(target, r.step());
            assertEquals(2, r.readSteps(buf, 2));
            assertArrayEquals(Arrays.copyOfRange(f.codes()[0], target * NC, (target + 2) * NC),
                    Arrays.copyOf(buf, 2 * NC), "to " + target);
        }
        assertThrows(IllegalStateException.class, () -> r.beginSegment(0, 1)); // behind the stream
        assertEquals(steps - 4 * LMC - 2, readAll(r, 100).length / NC);
    }

    @Test
    void emptyFileHasNoChunks() throws IOException {
        LmV2Files.Built f = file24(0);
        assertEquals(0, f.layout().chunkCount());
        assertEquals(0, f.layout().segmentCount());
        assertEquals(f.bytes().length, f.layout().endOffset());
    }

    @Test
    void readerOpenedAtAChunkStartsThere() throws IOException {
        LmV2Files.Built f = file24(4L * LMC * 320);
        SegmentLayout layout = f.layout();
        long at = layout.chunkByteOffset(2);
        ByteArrayInputStream in = new ByteArrayInputStream(f.bytes());
        in.skip(at);
        LmCodeReader r = new LmCodeReader(layout, in, at, WEIGHTS);
        r.beginSegment(0, 2 * LMC + 3);
        int steps = layout.segment(0).steps();
        assertArrayEquals(Arrays.copyOfRange(f.codes()[0], (2 * LMC + 3) * NC, steps * NC), readAll(r, 6));
        LmCodeReader behind = new LmCodeReader(layout, new ByteArrayInputStream(f.bytes(), (int) at, 1 << 20), at,
                WEIGHTS);
        assertThrows(IllegalStateException.class, () -> behind.beginSegment(0, 1));
    }

    /** Every byte of every chunk flipped: that chunk is reported with its span, the others read as they are. */
    @Test
    void damagedChunkIsReportedAndTheReaderGoesOn() throws IOException {
        long al = 3L * LMC * 320 + 100;
        LmV2Files.Built f = file24(al);
        SegmentLayout layout = f.layout();
        int steps = layout.segment(0).steps();
        for (long pos = layout.dataOffset(); pos < f.bytes().length; pos++) {
            byte[] bad = f.bytes().clone();
            bad[(int) pos] ^= 0x10;
            int c = chunkAt(layout, pos);
            LmCodeReader r = reader(f, bad);
            int[] buf = new int[steps * NC];
            DamagedRecordException e;
            if (c == 0) {
                e = assertThrows(DamagedRecordException.class, () -> r.beginSegment(0), "pos " + pos);
            } else {
                r.beginSegment(0);
                int[] before = new int[layout.chunkFirstStep(c) * NC];
                int got = r.readSteps(buf, steps);
                assertEquals(layout.chunkFirstStep(c), got, "pos " + pos);
                System.arraycopy(buf, 0, before, 0, before.length);
                assertArrayEquals(Arrays.copyOf(f.codes()[0], before.length), before);
                e = assertThrows(DamagedRecordException.class, () -> r.readSteps(buf, steps), "pos " + pos);
            }
            assertEquals(c, e.record());
            assertEquals(c * LMC * 320L, e.startSample());
            assertEquals(Math.min((c + 1) * LMC * 320L, al), e.endSample());
            assertEquals(layout.chunkFirstStep(c) + layout.chunkStepCount(c), r.step());
            int next = r.step();
            assertArrayEquals(Arrays.copyOfRange(f.codes()[0], next * NC, steps * NC), readAll(r, 4), "pos " + pos);
        }
    }

    @Test
    void damagedChunkAtTheSeekTargetIsThrownByBeginSegment() throws IOException {
        LmV2Files.Built f = file24(3L * LMC * 320);
        SegmentLayout layout = f.layout();
        byte[] bad = f.bytes().clone();
        bad[(int) layout.chunkByteOffset(1)] ^= 1;
        LmCodeReader r = reader(f, bad);
        DamagedRecordException e = assertThrows(DamagedRecordException.class, () -> r.beginSegment(0, LMC + 2));
        assertEquals(1, e.record());
        assertEquals(2 * LMC, r.step());
        int steps = layout.segment(0).steps();
        assertArrayEquals(Arrays.copyOfRange(f.codes()[0], 2 * LMC * NC, steps * NC), readAll(r, 3));
        LmCodeReader raw = reader(f, bad);
        assertThrows(DamagedRecordException.class, () -> raw.readRaw(1));
        assertEquals(layout.chunkByteOffset(2), raw.position());
        raw.readRaw(2);
    }

    @Test
    void cutFileDeliversTheWholeChunksThenSaysWhere() throws IOException {
        LmV2Files.Built f = file24(3L * LMC * 320);
        SegmentLayout layout = f.layout();
        byte[] cut = Arrays.copyOf(f.bytes(), (int) layout.chunkByteOffset(2) + 1);
        LmCodeReader r = reader(f, cut);
        r.beginSegment(0);
        int[] buf = new int[100 * NC];
        assertEquals(2 * LMC, r.readSteps(buf, 100));
        assertThrows(TruncatedEcdcException.class, () -> r.readSteps(buf, 100));
        assertThrows(TruncatedEcdcException.class, () -> r.readSteps(buf, 100)); // stays failed
        assertEquals(2L * LMC * 320 + 320, LengthBound.of(layout, cut.length));
        assertEquals(layout.audioLength(), LengthBound.of(layout, f.bytes().length));
    }

    private static int chunkAt(SegmentLayout layout, long pos) {
        int c = 0;
        while (layout.chunkByteOffset(c + 1) <= pos) {
            c++;
        }
        return c;
    }

    // 48 kHz

    private static LmV2Files.Built file48(long al, float... scales) {
        return LmV2Files.build(ModelFamily.ENCODEC_48KHZ, al, NC, 0, WEIGHTS, scales);
    }

    @Test
    void segmentsReadBackWithTheirScales() throws IOException {
        LmV2Files.Built f = file48(100_000, 0.25f, 1f, 16f);
        SegmentLayout layout = f.layout();
        assertEquals(3, layout.segmentCount());
        LmCodeReader r = reader(f);
        for (int s = 0; s < 3; s++) {
            assertEquals(f.scales()[s], r.beginSegment(s));
            assertArrayEquals(f.codes()[s], readAll(r, 7));
        }
        assertEquals(f.bytes().length, r.position());
        LmCodeReader seek = reader(f);
        seek.beginSegment(1, 30);
        assertArrayEquals(Arrays.copyOfRange(f.codes()[1], 30 * NC, f.codes()[1].length), readAll(seek, 50));
        LmCodeReader raw = reader(f);
        LmSegmentDecoder decoder = LmCodeReader.segmentDecoder(layout, WEIGHTS);
        for (int s = 0; s < 3; s++) {
            LmCodeReader.RawSegment segment = raw.readRaw(s);
            assertEquals(f.scales()[s], segment.scale());
            assertArrayEquals(f.codes()[s], LmCodeReader.decodeRecord(segment, decoder, NC));
        }
    }

    @Test
    void everyDamagedSegmentIsReportedWithItsSpan() throws IOException {
        LmV2Files.Built f = file48(100_000, 0.5f);
        SegmentLayout layout = f.layout();
        for (long pos = layout.dataOffset(); pos < f.bytes().length; pos++) {
            byte[] bad = f.bytes().clone();
            bad[(int) pos] ^= 0x04;
            int s = 0;
            while (layout.byteOffset(s + 1) <= pos) {
                s++;
            }
            for (boolean rawApi : new boolean[] {false, true}) {
                LmCodeReader r = reader(f, bad);
                for (int i = 0; i < 3; i++) {
                    if (i == s) {
                        int seg = s;
                        DamagedRecordException e = assertThrows(DamagedRecordException.class,
                                () -> read(r, layout, seg, rawApi), "pos " + pos);
                        assertEquals(s, e.record());
                        assertEquals(s * 47_520L, e.startSample());
                        assertEquals(Math.min(s * 47_520L + 48_000, 100_000), e.endSample());
                        assertEquals(layout.byteOffset(s + 1), r.position());
                    } else {
                        assertArrayEquals(f.codes()[i], read(r, layout, i, rawApi), "pos " + pos + " segment " + i);
                    }
                }
            }
        }
    }

    private static int[] read(LmCodeReader r, SegmentLayout layout, int segment, boolean rawApi) throws IOException {
        if (rawApi) {
            return LmCodeReader.decodeRecord(r.readRaw(segment), LmCodeReader.segmentDecoder(layout, WEIGHTS), NC);
        }
        r.beginSegment(segment);
        return readAll(r, 64);
    }

    @Test
    void implausibleScaleIsDamage() throws IOException {
        for (float scale : new float[] {0f, -1f, 16.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            LmV2Files.Built f = file48(60_000, 1f, scale);
            LmCodeReader r = reader(f);
            r.beginSegment(0);
            readAll(r, 100);
            DamagedRecordException e = assertThrows(DamagedRecordException.class, () -> r.beginSegment(1));
            assertTrue(e.getMessage().contains("scale"), e.getMessage());
            assertEquals(1, e.record());
            LmCodeReader raw = reader(f);
            raw.readRaw(0);
            assertThrows(DamagedRecordException.class, () -> raw.readRaw(1));
        }
    }

    @Test
    void cutSegmentIsATruncation() throws IOException {
        LmV2Files.Built f = file48(100_000, 0.5f);
        SegmentLayout layout = f.layout();
        byte[] cut = Arrays.copyOf(f.bytes(), (int) layout.byteOffset(2) - 1);
        LmCodeReader r = reader(f, cut);
        r.beginSegment(0);
        assertThrows(TruncatedEcdcException.class, () -> r.beginSegment(1));
        assertThrows(TruncatedEcdcException.class, () -> r.beginSegment(2));
        assertEquals(47_520L + 48_000, LengthBound.of(layout, cut.length));
        EcdcFormatException header = assertThrows(EcdcFormatException.class,
                () -> EcdcHeader.read(new ByteArrayInputStream(Arrays.copyOf(f.bytes(), 40)), 40));
        assertTrue(header instanceof TruncatedEcdcException, header.toString());
    }
}
