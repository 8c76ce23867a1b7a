package io.github.encodecstream.sound;

import io.github.encodecstream.testing.Samples;
import static io.github.encodecstream.sound.SoundTests.floats;
import static io.github.encodecstream.sound.SoundTests.ints;
import static io.github.encodecstream.sound.SoundTests.maxLsb;
import static io.github.encodecstream.sound.SoundTests.readAll;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.RecordingSource;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code skip()} and the public seeks: the audio from the target on equals the reference's. */
@ExtendWith(UsesReferenceModels.class)
class SkipAndSeekTest {
    private static final int STRIDE = ModelFamily.ENCODEC_48KHZ.segmentStride();

    /** A segment boundary, inside an overlap, a random frame, near the end; for both models. */
    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("48k_full", 12L * STRIDE, "segment boundary"),
                Arguments.of("48k_full", 13L * STRIDE + 200, "inside an overlap"),
                Arguments.of("48k_full", 531_234L, "random"),
                Arguments.of("48k_full", 719_000L, "near the end"),
                Arguments.of("24k_full", 15L * 24_000, "chunk boundary"),
                Arguments.of("24k_full", 320L * 1234 + 17, "inside a frame"),
                Arguments.of("24k_full", 377_777L, "random"),
                Arguments.of("24k_full", 479_000L, "near the end"));
    }

    @ParameterizedTest(name = "{0} at {1} ({2})")
    @MethodSource("targets")
    void skipThenReadSixteenBit(String name, long frame, String what) throws Exception {
        Case c = ReferenceCases.named(name);
        float[] reference = SoundTests.reference(c.file(".out.f32"));
        for (boolean fromStream : new boolean[] {false, true}) {
            try (InputStream input = fromStream ? new BufferedInputStream(Files.newInputStream(c.file(".ecdc"))) : null;
                 AudioInputStream in = fromStream ? AudioSystem.getAudioInputStream(input)
                         : AudioSystem.getAudioInputStream(c.file(".ecdc").toFile())) {
                int frameSize = in.getFormat().getFrameSize();
                assertEquals(frame * frameSize, in.skip(frame * frameSize));
                int[] rest = ints(readAll(in), 16, false);
                assertEquals((c.length() - frame) * c.channels(), rest.length);
                long lsb = maxLsb(rest, reference, (int) frame * c.channels(), 16);
                report("skip " + (fromStream ? "STREAM " : "FILE ") + name + " to " + frame + " (" + what + "): max "
                        + lsb + " LSB");
                assertTrue(lsb <= 1, lsb + " LSB");
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1} ({2})")
    @MethodSource("targets")
    void skipThenReadFloat(String name, long frame, String what) throws Exception {
        Case c = ReferenceCases.named(name);
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(c.file(".ecdc").toFile());
             AudioInputStream in = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm)) {
            assertEquals(frame * 4L * c.channels(), in.skip(frame * 4L * c.channels()));
            float[] rest = floats(readAll(in), false);
            assertEquals((c.length() - frame) * c.channels(), rest.length);
            double error = Samples.maxError(SoundTests.reference(c.file(".out.f32")), (int) frame * c.channels(), rest);
            report("skip PCM_FLOAT " + name + " to " + frame + " (" + what + "): max error " + error);
            assertTrue(error <= 1e-4, "error " + error);
        }
    }

    /** Several moves in one stream: skips inside decoded chunks, far skips, seeks back, by time. */
    @Test
    void seekAroundOneStream() throws Exception {
        Case c = ReferenceCases.named("48k_full");
        float[] reference = SoundTests.reference(c.file(".out.f32"));
        try (EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(c.file(".ecdc").toFile())) {
            assertTrue(in.markSupported());
            byte[] buffer = new byte[4 * 1000];
            long[] moves = {0, 10, 47_000, 47_600, 400_000, 100, 719_999, 720_000, 3 * STRIDE};
            for (long target : moves) {
                in.seek(target);
                assertEquals(target, in.framePosition());
                int n = in.readNBytes(buffer, 0, buffer.length);
                int[] got = ints(Arrays.copyOf(buffer, n), 16, false);
                assertEquals(Math.min(1000, c.length() - target) * 2, got.length, "at " + target);
                assertTrue(maxLsb(got, reference, (int) target * 2, 16) <= 1, "at " + target);
                assertEquals(target + got.length / 2, in.framePosition());
            }
            in.seekMicroseconds(10_000_000); // 10 s
            assertEquals(480_000, in.framePosition());
            in.mark(4 * 5000); // a skip within the mark's limit reads on, so reset goes back
            in.skip(4 * 5000);
            in.reset();
            assertEquals(480_000, in.framePosition());
            in.mark(4 * 100); // beyond it (and beyond the frames kept from the last mark) the mark is dropped
            in.skip(4 * 50_000);
            assertThrows(IOException.class, in::reset);
            in.seek(480_000);
            in.seekMicroseconds(Long.MAX_VALUE / 2_000_000);
            assertEquals(c.length(), in.framePosition());
            assertEquals(-1, in.read(buffer));
            assertThrows(IllegalArgumentException.class, () -> in.seek(c.length() + 1));
        }
    }

    /** Skips into the chunks decoded ahead drop samples there; the audio after them is still right. */
    @Test
    void skipInsideTheDecodedChunks() throws Exception {
        Case c = ReferenceCases.named("48k_full");
        float[] reference = SoundTests.reference(c.file(".out.f32"));
        try (EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(c.file(".ecdc").toFile())) {
            byte[] buffer = new byte[4 * 1000];
            in.readNBytes(buffer, 0, 4 * 100);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (((EcdcAudioInputStream) in).bufferedBytes() < 4 * (STRIDE - 100 + 2L * STRIDE) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            for (long target : new long[] {STRIDE + 1000, 2L * STRIDE + 7, 3L * STRIDE - 1000, 3L * STRIDE + 5000}) {
                in.skip(4 * (target - in.framePosition()));
                assertEquals(target, in.framePosition());
                int[] got = ints(Arrays.copyOf(buffer, in.readNBytes(buffer, 0, buffer.length)), 16, false);
                assertEquals(2000, got.length);
                assertTrue(maxLsb(got, reference, (int) target * 2, 16) <= 1, "at " + target);
            }
        }
    }

    /** http URLs are seekable (the test server takes no ranges: going back downloads from the start again). */
    @Test
    void httpStreamsSeekBothWays() throws Exception {
        Case c = ReferenceCases.named("48k_full");
        float[] reference = SoundTests.reference(c.file(".out.f32"));
        try (SoundTests.FileServer server = new SoundTests.FileServer(c.file(".ecdc").getParent());
             EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(
                     server.url(c.file(".ecdc").getFileName().toString()))) {
            assertTrue(in.markSupported());
            byte[] buffer = new byte[4 * 1000];
            for (long target : new long[] {500_000, 1000, 650_000, 0}) {
                in.seek(target);
                int[] got = ints(Arrays.copyOf(buffer, in.readNBytes(buffer, 0, buffer.length)), 16, false);
                assertEquals(2000, got.length);
                assertTrue(maxLsb(got, reference, (int) target * 2, 16) <= 1, "at " + target);
            }
        }
    }

    @Test
    void forwardOnlyStreamsGoForward() throws Exception {
        Case c = ReferenceCases.named("24k_full");
        try (InputStream input = new BufferedInputStream(Files.newInputStream(c.file(".ecdc")));
             EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(input)) {
            assertTrue(in.markSupported()); // kept in memory: see MarkResetTest
            byte[] buffer = new byte[2 * 24_000];
            assertEquals(buffer.length, in.readNBytes(buffer, 0, buffer.length)); // read() may return a first short block
            in.seek(100_000);
            assertThrows(IOException.class, () -> in.seek(50_000));
            assertEquals(100_000, in.framePosition());
            int[] got = ints(Arrays.copyOf(buffer, in.readNBytes(buffer, 0, buffer.length)), 16, false);
            assertTrue(maxLsb(got, SoundTests.reference(c.file(".out.f32")), 100_000, 16) <= 1);
        }
    }

    /** A 48 kHz skip reads (and so decodes) only the target's segment on; a 24 kHz one starts a pre-roll before it. */
    @Test
    void skipJumpsInsteadOfDecoding() throws Exception {
        Case c48 = ReferenceCases.named("48k_full");
        long target = 600_000;
        try (RecordingSource source = new RecordingSource(c48.file(".ecdc"));
             EcdcAudioInputStream in = open(source, true)) {
            SegmentLayout layout = source.layout();
            in.read(new byte[4 * 100]); // decodes segment 0 (and segment 1 ahead)
            in.skip(4 * (target - 100));
            int[] rest = ints(readAll(in), 16, false);
            assertTrue(maxLsb(rest, SoundTests.reference(c48.file(".out.f32")), (int) target * 2, 16) <= 1);
            int segment = (int) (target / STRIDE);
            report("48k skip to " + target + ": opened the file at " + source.offsets() + ", segment "
                    + segment + " at byte " + layout.byteOffset(segment));
            assertEquals(List.of(0L, layout.byteOffset(0), layout.byteOffset(segment)), source.offsets());
        }
        Case c24 = ReferenceCases.named("24k_full");
        try (RecordingSource source = new RecordingSource(c24.file(".ecdc"));
             EcdcAudioInputStream in = open(source, true)) {
            in.skip(2 * 400_000L);
            in.read(new byte[2 * 1000]);
            long preroll = 400_000 / 320 - DecoderOptions.DEFAULT_PREROLL;
            assertEquals(List.of(0L, CodeReader.stepOffset(source.layout(), 0, (int) preroll)), source.offsets());
        }
    }

    private static EcdcAudioInputStream open(ByteSource source, boolean ahead) throws IOException {
        return EcdcAudioInputStream.open(EcdcDecoder.open(source, ReferenceCases.options()), true, ahead, -1);
    }
}
