package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.RecordingSource;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PcmStream}: what a cut reads and decodes, lengths, channel conversions. */
class PcmStreamTest {
    private static float[] readAll(PcmStream s) throws IOException {
        float[] all = new float[0];
        for (float[] c = s.read(); c != null; c = s.read()) {
            float[] next = Arrays.copyOf(all, all.length + c.length);
            System.arraycopy(c, 0, next, all.length, c.length);
            all = next;
        }
        assertNull(s.read());
        return all;
    }

    @Test
    void a48kCutReadsNothingBeforeItsSegment() throws IOException {
        Path path = ReferenceData.file("seed/seed_b6.ecdc");
        RecordingSource source = new RecordingSource(path);
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            PcmStream s = PcmStream.open(decoder, 48_000, 2, TimeValue.parse("5"), TimeValue.parse("6"));
            float[] cut = readAll(s);
            assertEquals(2 * 48_000, cut.length);
            SegmentLayout layout = SegmentLayout.of(decoder.header());
            int segment = layout.segmentContaining(240_000);
            long segmentOffset = layout.byteOffset(segment);
            List<long[]> taken = source.taken();
            assertEquals(0, taken.get(0)[0], "the header");
            assertEquals(decoder.header().frameDataOffset(), taken.get(0)[1], "only the header");
            for (long[] t : taken.subList(1, taken.size())) {
                assertTrue(t[0] >= segmentOffset, "stream at " + t[0] + " before segment " + segment + " at " + segmentOffset);
            }
            assertEquals(2, taken.size(), "one stream for the codes");
            assertEquals(segmentOffset, taken.get(1)[0]);
            try (EcdcDecoder wholeFile = EcdcDecoder.open(new FileByteSource(path), ReferenceCases.options())) {
                float[] all = readAll(PcmStream.open(wholeFile, 48_000, 2, null, null));
                assertArrayEquals(Arrays.copyOfRange(all, 2 * 240_000, 2 * 288_000), cut, "the same samples as the whole");
            }
        }
    }

    @Test
    void resampledCutDecodesFromJustBeforeIt() throws IOException {
        Path path = ReferenceData.file("seed/seed_b32.ecdc"); // 48 kHz model played at 64 kHz
        RecordingSource source = new RecordingSource(path);
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            PcmStream s = PcmStream.open(decoder, 48_000, 2, TimeValue.parse("5"), null);
            assertEquals(336_000 - 240_000, s.length());
            float[] cut = readAll(s);
            assertEquals(2 * 96_000, cut.length);
            // input sample 320000 (5 s at 64 kHz) less the filter's reach
            SegmentLayout layout = SegmentLayout.of(decoder.header());
            long firstStream = source.taken().get(1)[0];
            assertTrue(firstStream >= layout.byteOffset(layout.segmentContaining(320_000 - 200) - 1), "from " + firstStream);
        }
    }

    @Test
    void nativeLengthsAndMonoToStereo() throws IOException {
        Path path = ReferenceData.file("seed/seed_b0.75.ecdc"); // 24 kHz model, sr 12000, al 84000
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(path), ReferenceCases.options())) {
            PcmStream s = PcmStream.openNative(decoder, TimeValue.parse("1"), TimeValue.parse("2"));
            assertEquals(12_000, s.rate());
            assertEquals(1, s.channels());
            assertEquals(12_000, s.length(), "a second at sr");
            float[] cut = readAll(s);
            assertEquals(12_000, cut.length);
            float[] reference = ReferenceData.readF32(ReferenceData.file("seed/seed_b0.75.out.f32"));
            for (int i = 0; i < cut.length; i++) {
                assertEquals(reference[12_000 + i], cut[i], 1e-4, "sample " + i);
            }
        }
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(path), ReferenceCases.options())) {
            PcmStream s = PcmStream.open(decoder, 24_000, 2, null, TimeValue.parse("0.5"));
            assertEquals(12_000, s.length());
            float[] out = readAll(s);
            assertEquals(24_000, out.length);
            for (int i = 0; i < out.length; i += 2) {
                assertEquals(out[i], out[i + 1]);
            }
            assertEquals(12_000, s.position());
        }
    }
}
