package io.github.encodecstream.codes;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the plain code reader ({@link CodeReader}) on whole files: every segment read in order,
 * then the last one again from a fresh stream positioned at a step in its middle (a seek). The
 * outcome is codes within 0..1023, as many steps as the layout says, or an
 * {@link java.io.IOException} with a message. Entropy-coded files stop at their layout: decoding
 * them needs an LM checkpoint.
 */
class CodeReaderFuzzTest {
    static Stream<Arguments> seeds() {
        return FuzzOracle.seeds(EcdcSeeds.files());
    }

    @MethodSource("seeds")
    @FuzzTest
    void codes(byte[] data) {
        FuzzOracle.check(() -> {
            InputStream in = new ByteArrayInputStream(data);
            EcdcHeader header = EcdcHeader.read(in);
            SegmentLayout layout = SegmentLayout.of(header);
            if (layout.isEntropyCoded()) {
                return;
            }
            CodeReader reader = new CodeReader(layout, in, header.frameDataOffset());
            int[] dst = new int[75 * layout.codebooks()];
            for (int i = 0; i < layout.segmentCount(); i++) {
                reader.beginSegment(i);
                readSegment(reader, layout, i, 0, dst);
            }
            int last = layout.segmentCount() - 1;
            if (last >= 0) {
                int step = layout.segment(last).steps() / 2;
                InputStream seek = new ByteArrayInputStream(data);
                long at = step == 0 ? layout.byteOffset(last) : CodeReader.stepOffset(layout, last, step);
                seek.skipNBytes(Math.min(at, data.length));
                CodeReader sought = new CodeReader(layout, seek, at);
                sought.beginSegment(last, step);
                readSegment(sought, layout, last, step, dst);
            }
        });
    }

    private static void readSegment(CodeReader reader, SegmentLayout layout, int segment, int from, int[] dst)
            throws java.io.IOException {
        int steps = from;
        int n;
        while ((n = reader.readSteps(dst, 75)) > 0) {
            for (int v = 0; v < n * layout.codebooks(); v++) {
                if (dst[v] < 0 || dst[v] > BitPacker.MAX_VALUE) {
                    throw new AssertionError("code " + dst[v]);
                }
            }
            steps += n;
        }
        if (steps != layout.segment(segment).steps()) {
            throw new AssertionError(steps + " steps in segment " + segment + " of " + layout.segment(segment).steps());
        }
    }
}
