package io.github.encodecstream.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.entropy.ArithmeticDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.ReferenceCases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LengthBound}: a declared {@code al} is believed only as far as the file's size can hold it. */
class LengthBoundTest {
    private static final long WEEK = EcdcMetadata.MAX_AUDIO_LENGTH;

    static Stream<Path> referenceFiles() {
        return ReferenceCases.allFiles().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceFiles")
    void completeFilesReportTheirDeclaredLength(Path file) throws IOException {
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(Files.readAllBytes(file)));
        assertEquals(layout.audioLength(), LengthBound.of(layout, Files.size(file)));
        assertEquals(layout.audioLength(), LengthBound.of(layout, Files.size(file) + 1000), "bytes after the data");
        assertEquals(layout.audioLength(), LengthBound.of(layout, -1), "size unknown");
    }

    @Test
    void eightyByteFileDeclaringAWeekHoldsSixStepsAndTheCutOne() throws IOException {
        byte[] file = EcdcSeeds.eightyByteWeek();
        assertEquals(80, file.length);
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(file));
        long data = 80 - layout.dataOffset();
        assertEquals(15, data);
        // 2 codebooks x 10 bits: 6 complete steps in 120 bits; the length ends with the 7th, where the data ends
        assertEquals(7 * 320, LengthBound.of(layout, 80));
        assertEquals(WEEK, LengthBound.of(layout, -1), "a stream of unknown size: as declared");
    }

    /** Every cut of small plain files: the bound is above what the code reader delivers, and at most one step or segment more. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plainSeeds")
    void everyCutOfAPlainFileBoundsWhatItsCodesHold(String json) throws IOException {
        byte[] whole = EcdcSeeds.plain(193, json);
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(whole));
        for (int size = (int) layout.dataOffset(); size <= whole.length; size++) {
            long bound = LengthBound.of(layout, size);
            long held = samplesReadable(layout, Arrays.copyOf(whole, size));
            if (size == whole.length) {
                assertEquals(layout.audioLength(), bound);
                assertEquals(layout.audioLength(), held);
                continue;
            }
            // a 48 kHz file whose last segment is shorter than the overlap has all its samples in the one before
            assertTrue(held < bound || held == layout.audioLength(),
                    size + " bytes: " + held + " samples of codes, bound " + bound);
            long unit = layout.family().isSegmented() ? layout.family().segmentLength() : 320;
            assertTrue(bound <= held + unit, size + " bytes: " + held + " samples of codes, bound " + bound);
            assertEquals(expected(layout, size), bound, size + " bytes");
        }
    }

    static Stream<String> plainSeeds() {
        return Stream.of("{\"m\":\"encodec_24khz\",\"al\":4800,\"nc\":3,\"lm\":false}",
                "{\"m\":\"encodec_24khz\",\"al\":4801,\"nc\":32,\"lm\":false}",
                "{\"m\":\"encodec_48khz\",\"al\":143000,\"nc\":1,\"lm\":false}",
                "{\"m\":\"encodec_48khz\",\"al\":120000,\"nc\":4,\"lm\":false}");
    }

    /** The samples of the complete steps (24 kHz) or segments (48 kHz) that the code reader reads from a cut file. */
    private static long samplesReadable(SegmentLayout layout, byte[] file) throws IOException {
        CodeReader reader = new CodeReader(layout, new ByteArrayInputStream(file), 0);
        int[] codes = new int[1000 * layout.codebooks()];
        long samples = 0;
        try {
            for (int s = 0; s < layout.segmentCount(); s++) {
                reader.beginSegment(s);
                int steps = 0;
                for (int n = reader.readSteps(codes, 1000); n > 0; n = reader.readSteps(codes, 1000)) {
                    steps += n;
                    if (!layout.family().isSegmented()) {
                        samples = Math.min(layout.audioLength(), (long) steps * 320);
                    }
                }
                SegmentLayout.Segment segment = layout.segment(s);
                samples = segment.start() + segment.length();
            }
        } catch (TruncatedEcdcException e) {
            // the samples before the cut
        }
        return samples;
    }

    /** The bound computed by walking the records one by one. */
    private static long expected(SegmentLayout layout, long size) {
        if (!layout.family().isSegmented()) {
            long complete = (size - layout.dataOffset()) * 8 / (10L * layout.codebooks());
            return Math.min(layout.audioLength(), (complete + 1) * 320);
        }
        long end = layout.dataOffset();
        for (int s = 0; s < layout.segmentCount(); s++) {
            end += layout.byteSize(s);
            if (end > size) {
                return Math.min(layout.audioLength(), (long) s * 47_520 + 48_000);
            }
        }
        return layout.audioLength();
    }

    @Test
    void plain48kFileDeclaringAWeekHoldsTheSegmentsItsBytesReach() throws IOException {
        byte[] header = EcdcBytes.header(193, "{\"m\":\"encodec_48khz\",\"al\":" + WEEK + ",\"nc\":2,\"lm\":false}");
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(header));
        long record = 4 + 150 * 2 * 10 / 8; // scale and 150 steps of 2 codes
        long size = layout.dataOffset() + 3 * record + 10;
        assertEquals(3L * 47_520 + 48_000, LengthBound.of(layout, size), "three records, the cut in the fourth");
        assertEquals(48_000, LengthBound.of(layout, layout.dataOffset()), "no data: the first segment");
    }

    @Test
    void entropyCoded48kFileWithSegmentLengthsEndsWithTheSegmentOfTheCut() throws IOException {
        byte[] whole = EcdcSeeds.files().get("48k lm with segment lengths"); // lms [3, 2]: records of 7 and 6 bytes
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(whole));
        long data = layout.dataOffset();
        assertEquals(data + 13, whole.length);
        for (long size = data; size < data + 7; size++) {
            assertEquals(48_000, LengthBound.of(layout, size), size - data + " bytes of data");
        }
        for (long size = data + 7; size <= data + 13; size++) {
            assertEquals(48_600, LengthBound.of(layout, size), size - data + " bytes of data");
        }
    }

    @Test
    void referenceStyleEntropyCoded48kFileHoldsOneSegmentPerSevenBytes() throws IOException {
        byte[] header = EcdcBytes.header(0, "{\"m\": \"encodec_48khz\", \"al\": " + WEEK + ", \"nc\": 4, \"lm\": true}");
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(header));
        assertTrue(!layout.hasByteOffsets());
        // each record holds at least a 4-byte scale and the 3 bytes read before the first symbol
        assertEquals(48_000, LengthBound.of(layout, layout.dataOffset() + 6));
        assertEquals(47_520 + 48_000, LengthBound.of(layout, layout.dataOffset() + 7));
        assertEquals(10L * 47_520 + 48_000, LengthBound.of(layout, layout.dataOffset() + 70));
    }

    @Test
    void entropyCoded24kFileIsBoundedByTheCodersMostSymbols() throws IOException {
        byte[] header = EcdcBytes.header(193, "{\"m\":\"encodec_24khz\",\"al\":" + WEEK
                + ",\"nc\":2,\"lm\":true,\"lmv\":\"encodec-stream-lm/1\",\"lmh\":\"0123abcd\"}");
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(header));
        long size = layout.dataOffset() + 10;
        long steps = ArithmeticDecoder.maxSymbols(10, LmWeights.CARDINALITY) / 2;
        assertEquals((steps + 1) * 320, LengthBound.of(layout, size));
        // weak, as documented: 10 bytes may hold about 35 minutes, yet not the week declared
        assertTrue(LengthBound.of(layout, size) < 24_000L * 3600, LengthBound.of(layout, size) + " samples");
        assertEquals(320, LengthBound.of(layout, layout.dataOffset() + 2), "no symbol before 3 bytes");
        long realistic = 24_000L * 60; // a minute at 1.5 kbit/s: 11 250 bytes of plain codes, fewer coded
        byte[] minute = EcdcBytes.header(193, "{\"m\":\"encodec_24khz\",\"al\":" + realistic
                + ",\"nc\":2,\"lm\":true,\"lmv\":\"encodec-stream-lm/1\",\"lmh\":\"0123abcd\"}");
        SegmentLayout minuteLayout = SegmentLayout.of(EcdcBytes.read(minute));
        assertEquals(realistic, LengthBound.of(minuteLayout, minuteLayout.dataOffset() + 1000));
    }
}
