package io.github.encodecstream.codes;

import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceCases;

import io.github.encodecstream.files.CountingInputStream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodeReaderTest {
    private static final int[] CHUNKS = {1, 7, 75, 1000};

    static Stream<Arguments> plainCasesAndChunks() {
        return ReferenceCases.plainCases().stream()
                .flatMap(c -> Arrays.stream(CHUNKS).mapToObj(n -> Arguments.of(c, n)));
    }

    static List<ReferenceCases.Case> plainCases() {
        return ReferenceCases.plainCases();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("plainCasesAndChunks")
    void sequentialCodesEqualReference(ReferenceCases.Case c, int chunk) throws IOException {
        byte[] file = Files.readAllBytes(c.ecdc());
        InputStream in = new ByteArrayInputStream(file);
        EcdcHeader header = EcdcHeader.read(in);
        SegmentLayout layout = SegmentLayout.of(header);
        CodeReader reader = new CodeReader(layout, in, header.frameDataOffset());
        int[] expected = c.stepMajorCodes();
        int[] got = new int[expected.length];
        int at = 0;
        for (int i = 0; i < layout.segmentCount(); i++) {
            assertEquals(layout.byteOffset(i), reader.position(), "segment " + i + " found where computed");
            float scale = reader.beginSegment(i);
            Double want = c.frames().get(i).scale();
            assertEquals(want == null ? 1f : (float) (double) want, scale, "scale of segment " + i);
            int[] dst = new int[chunk * c.codebooks()];
            int n;
            int steps = 0;
            while ((n = reader.readSteps(dst, chunk)) > 0) {
                System.arraycopy(dst, 0, got, at, n * c.codebooks());
                at += n * c.codebooks();
                steps += n;
            }
            assertEquals(c.frames().get(i).steps(), steps);
            assertEquals(0, reader.stepsRemaining());
            assertEquals(0, reader.readSteps(dst, chunk), "stays at the end of the segment");
        }
        assertEquals(expected.length, at);
        assertArrayEquals(expected, got);
        assertEquals(file.length, reader.position());
        assertEquals(-1, in.read(), "all bytes consumed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void eachSegmentReadsFromItsComputedOffset(ReferenceCases.Case c) throws IOException {
        byte[] file = Files.readAllBytes(c.ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(new ByteArrayInputStream(file)));
        int[] expected = c.stepMajorCodes();
        int nc = c.codebooks();
        for (int i = layout.segmentCount() - 1; i >= 0; i--) {
            int base = 0;
            for (int j = 0; j < i; j++) {
                base += c.frames().get(j).steps() * nc;
            }
            int offset = (int) layout.byteOffset(i);
            CodeReader reader = new CodeReader(layout, new ByteArrayInputStream(file, offset, file.length - offset), offset);
            reader.beginSegment(i);
            int steps = layout.segment(i).steps();
            int[] dst = new int[steps * nc];
            assertEquals(steps, reader.readSteps(dst, Integer.MAX_VALUE));
            assertArrayEquals(Arrays.copyOfRange(expected, base, base + steps * nc), dst, "segment " + i);
            assertEquals(layout.byteOffset(i + 1), reader.position());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6"})
    void seedFilesReadToTheirEnd(String seed) throws IOException {
        byte[] file = Files.readAllBytes(ReferenceCases.seed(seed));
        InputStream in = new ByteArrayInputStream(file);
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(in));
        CodeReader reader = new CodeReader(layout, in, layout.dataOffset());
        int[] dst = new int[75 * layout.codebooks()];
        for (int i = 0; i < layout.segmentCount(); i++) {
            float scale = reader.beginSegment(i);
            assertTrue(scale > 0, "scale " + scale);
            while (reader.readSteps(dst, 75) > 0) {
                for (int k = 0; k < dst.length; k++) {
                    assertTrue(dst[k] >= 0 && dst[k] < 1024);
                }
            }
        }
        assertEquals(file.length, reader.position());
    }

    @Test
    void beginSegmentSkipsForwardButNotBack() throws IOException {
        ReferenceCases.Case c = ReferenceCases.named("48k_bw6");
        byte[] file = Files.readAllBytes(c.ecdc());
        InputStream in = new ByteArrayInputStream(file);
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(in));
        CodeReader reader = new CodeReader(layout, in, layout.dataOffset());
        int[] dst = new int[7 * 4];
        assertThrows(IllegalStateException.class, () -> reader.readSteps(dst, 1), "no segment begun");
        reader.beginSegment(0);
        assertEquals(7, reader.readSteps(dst, 7));
        assertEquals(c.frames().get(3).scale().floatValue(), reader.beginSegment(3));
        assertEquals(layout.byteOffset(3) + 4, reader.position());
        int[] expected = c.stepMajorCodes();
        assertEquals(7, reader.readSteps(dst, 7));
        assertArrayEquals(Arrays.copyOfRange(expected, 3 * 150 * 4, 3 * 150 * 4 + 28), dst);
        assertThrows(IllegalStateException.class, () -> reader.beginSegment(2));
        assertThrows(IndexOutOfBoundsException.class, () -> reader.beginSegment(8));
    }

    @Test
    void readsNoMoreThanTheRequestedStepsNeed() throws IOException {
        byte[] file = Files.readAllBytes(ReferenceCases.named("48k_bw6").ecdc());
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(file));
        EcdcHeader header = EcdcHeader.read(in);
        SegmentLayout layout = SegmentLayout.of(header);
        CodeReader reader = new CodeReader(layout, in, header.frameDataOffset());
        reader.beginSegment(0);
        assertEquals(header.frameDataOffset() + 4, in.count());
        int[] dst = new int[150 * 4];
        int consumedBits = 0;
        for (int n : new int[] {1, 1, 3, 7, 2}) {
            assertEquals(n, reader.readSteps(dst, n));
            consumedBits += n * 4 * 10;
            assertEquals(header.frameDataOffset() + 4 + (consumedBits + 7) / 8, in.count());
            assertEquals(in.count(), reader.position());
        }
    }

    /** Every possible cut of a small file: the complete steps come first, then the offset of the cut. */
    @Test
    void fileCutAnywhereDeliversCompleteStepsThenTheCutOffset() throws IOException {
        ReferenceCases.Case c = ReferenceCases.named("48k_stride_plus_one");
        byte[] file = Files.readAllBytes(c.ecdc());
        int[] expected = c.stepMajorCodes();
        int nc = c.codebooks();
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(new ByteArrayInputStream(file)));
        for (int cut = (int) layout.dataOffset(); cut < file.length; cut++) {
            InputStream in = new ByteArrayInputStream(file, 0, cut);
            EcdcHeader.read(in);
            CodeReader reader = new CodeReader(layout, in, layout.dataOffset());
            int[] got = new int[expected.length];
            int at = 0;
            TruncatedEcdcException error = null;
            int[] dst = new int[7 * nc];
            try {
                for (int i = 0; i < layout.segmentCount(); i++) {
                    reader.beginSegment(i);
                    int n;
                    while ((n = reader.readSteps(dst, 7)) > 0) {
                        System.arraycopy(dst, 0, got, at, n * nc);
                        at += n * nc;
                    }
                }
            } catch (TruncatedEcdcException e) {
                error = e;
            }
            assertTrue(error != null, "cut at " + cut);
            assertEquals(cut, error.byteOffset(), "cut at " + cut);
            assertEquals(completeValues(layout, cut), at, "cut at " + cut);
            assertArrayEquals(Arrays.copyOf(expected, at), Arrays.copyOf(got, at), "cut at " + cut);
            TruncatedEcdcException again = assertThrows(TruncatedEcdcException.class, () -> reader.readSteps(dst, 1));
            assertSame(error, again, "stays failed");
        }
    }

    @Test
    void cutMidSegmentReturnsStepsFirstThenThrows() throws IOException {
        ReferenceCases.Case c = ReferenceCases.named("24k_full");
        byte[] file = Files.readAllBytes(c.ecdc());
        int nc = c.codebooks();
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(new ByteArrayInputStream(file)));
        int cut = (int) layout.dataOffset() + 1000 + 3; // 8003 bits: 100 whole steps of 80 bits
        InputStream in = new ByteArrayInputStream(file, (int) layout.dataOffset(), cut - (int) layout.dataOffset());
        CodeReader reader = new CodeReader(layout, in, layout.dataOffset());
        reader.beginSegment(0);
        int[] dst = new int[1500 * nc];
        assertEquals(100, reader.readSteps(dst, 1500));
        assertArrayEquals(Arrays.copyOf(c.stepMajorCodes(), 100 * nc), Arrays.copyOf(dst, 100 * nc));
        TruncatedEcdcException e = assertThrows(TruncatedEcdcException.class, () -> reader.readSteps(dst, 1500));
        assertEquals(cut, e.byteOffset());
        assertTrue(e.getMessage().contains("at byte " + cut), e.getMessage());
    }

    @Test
    void entropyCodedFilesAreNotSupportedYet() throws IOException {
        ReferenceCases.Case c = ReferenceCases.named("48k_bw6_lm");
        InputStream in = new ByteArrayInputStream(Files.readAllBytes(c.ecdc()));
        EcdcHeader header = EcdcHeader.read(in);
        assertTrue(header.metadata().lm());
        assertEquals(4, header.metadata().codebooks());
        assertEquals(144_017, header.metadata().audioLength());
        SegmentLayout layout = SegmentLayout.of(header);
        assertEquals(4, layout.segmentCount());
        assertEquals(5, layout.segment(3).steps());
        UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class,
                () -> new CodeReader(layout, in, header.frameDataOffset()));
        assertTrue(e.getMessage().contains("entropy-coded (lm) files are read by LmCodeReader"), e.getMessage());
        assertEquals(header.frameDataOffset(), e.byteOffset());
    }

    @Test
    void nonFiniteScaleIsRejected() throws IOException {
        byte[] file = Files.readAllBytes(ReferenceCases.named("48k_short").ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcHeader.read(new ByteArrayInputStream(file)));
        int at = (int) layout.dataOffset();
        ByteBuffer.wrap(file).putFloat(at, Float.NaN);
        CodeReader reader = new CodeReader(layout, new ByteArrayInputStream(file, at, file.length - at), at);
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> reader.beginSegment(0));
        assertEquals(at, e.byteOffset());
    }

    /** Codes wholly inside the first {@code cut} bytes, counting whole steps only. */
    private static int completeValues(SegmentLayout layout, long cut) {
        int values = 0;
        for (int i = 0; i < layout.segmentCount(); i++) {
            long codesStart = layout.byteOffset(i) + 4;
            if (cut <= codesStart) {
                break;
            }
            int steps = layout.segment(i).steps();
            long bits = (Math.min(cut, layout.byteOffset(i + 1)) - codesStart) * 8;
            values += Math.min(steps, bits / (layout.codebooks() * 10L)) * layout.codebooks();
        }
        return values;
    }
}
