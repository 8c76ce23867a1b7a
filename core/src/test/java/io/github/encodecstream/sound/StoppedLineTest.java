package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.AlsaFileInput;
import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java Sound tutorial's recorder: {@code AudioSystem.write(new AudioInputStream(line), ...)}
 * ended by {@code line.stop(); line.close()} from another thread. A stopped line's stream returns
 * 0 from {@code read}, which the JDK's writers take as the end; the ECDC writer, the conversion
 * and the copy of ECDC bytes must too, at once and without spinning, writing the audio read.
 */
class StoppedLineTest {
    /** The most a write may take after the line's last bytes, models loaded (measured: well under a second). */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @BeforeAll
    static void models() throws Exception {
        WriterTests.useReferenceModels();
        // load both models before anything is timed
        for (int bitrate : new int[] {1500, 6000}) {
            AudioFormat f = WriterTests.format(Encoding.PCM_SIGNED, 24_000, 16, 1, false,
                    Map.of(EcdcProperties.BITRATE, bitrate));
            WriterTests.write(new AudioInputStream(new ByteArrayInputStream(new byte[2 * 2400]), f, 2400));
        }
    }

    /** A stopped line's stream: the bytes recorded, then 0 from every read, never -1. */
    static final class StoppedLine extends InputStream {
        private final byte[] recorded;
        private int position;
        int zeroReads;

        StoppedLine(byte[] recorded) {
            this.recorded = recorded;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("a line is read in frames");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position == recorded.length) {
                zeroReads++;
                return 0;
            }
            int n = Math.min(len, recorded.length - position);
            System.arraycopy(recorded, position, b, off, n);
            position += n;
            return n;
        }
    }

    @ParameterizedTest(name = "{0} Hz, {1} bits, {2} channels, {3} bit/s")
    @CsvSource({
        "48000, 16, 2, 6000",  // the 48 kHz model at its own rate
        "16000, 8, 2, 6000",   // the tutorial's format: resampled for the 48 kHz model
        "24000, 16, 1, 1500",  // the 24 kHz model at its own rate
    })
    void writerEndsAtTheFirstReadOfZero(int rate, int bits, int channels, int bitrate, @TempDir Path dir)
            throws Exception {
        AudioFormat format = WriterTests.format(Encoding.PCM_SIGNED, rate, bits, channels, true,
                Map.of(EcdcProperties.BITRATE, bitrate));
        int frames = rate + 123; // a second and a bit
        byte[] recorded = WriterTests.bytes(WriterTests.sine(rate, channels, frames, 440, 0.5, 0), format);

        // the JDK's WAVE writer ends there: this is how a stopped line's stream behaves
        StoppedLine wavLine = new StoppedLine(recorded);
        Path wav = dir.resolve("recorded.wav");
        assertTimeoutPreemptively(PROMPTLY, () -> AudioSystem.write(new AudioInputStream(wavLine, format,
                AudioSystem.NOT_SPECIFIED), AudioFileFormat.Type.WAVE, wav.toFile()));
        assertEquals(frames, AudioSystem.getAudioFileFormat(wav.toFile()).getFrameLength());

        StoppedLine line = new StoppedLine(recorded);
        Path file = dir.resolve("recorded.ecdc");
        long start = System.nanoTime();
        assertTimeoutPreemptively(PROMPTLY, () -> AudioSystem.write(new AudioInputStream(line, format,
                AudioSystem.NOT_SPECIFIED), EcdcFileFormatType.ECDC, file.toFile()));
        System.out.printf("[sound] stopped line, %d Hz %d-bit %d ch at %d bit/s: write returned in %.0f ms, "
                + "%d reads of 0%n", rate, bits, channels, bitrate, (System.nanoTime() - start) / 1e6, line.zeroReads);
        assertEquals(1, line.zeroReads, "the first read of 0 ends the input: no spinning");
        long expected = PcmEncoder.encodedLength(frames, rate, EncodeSettings.choose(format.properties(), rate, channels));
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(expected, EcdcHeader.read(in).metadata().audioLength(), "al: the recorded frames at the model's rate");
        }

        // the conversion to ECDC reads its source the same way, and gives the same file
        StoppedLine converted = new StoppedLine(recorded);
        byte[] bytes = assertTimeoutPreemptively(PROMPTLY, () -> AudioSystem.getAudioInputStream(
                EcdcAudioFileWriter.targetFormat(format.properties()),
                new AudioInputStream(converted, format, AudioSystem.NOT_SPECIFIED)).readAllBytes());
        assertArrayEquals(Files.readAllBytes(file), bytes);
        assertEquals(1, converted.zeroReads);
    }

    /** A stream of ECDC bytes (copied, not encoded) that ends in reads of 0 is copied to there. */
    @Test
    void copyOfEcdcBytesEndsAtTheFirstReadOfZero() throws Exception {
        Path source = ReferenceCases.named("48k_bw6").ecdc();
        AudioFormat coded = AudioSystem.getAudioFileFormat(source.toFile()).getFormat();
        StoppedLine line = new StoppedLine(Files.readAllBytes(source));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTimeoutPreemptively(PROMPTLY, () -> AudioSystem.write(new AudioInputStream(line, coded,
                AudioSystem.NOT_SPECIFIED), EcdcFileFormatType.ECDC, out));
        assertArrayEquals(Files.readAllBytes(source), out.toByteArray());
        assertEquals(1, line.zeroReads);
    }

    /**
     * A real {@code TargetDataLine} (ALSA's capture in a child JVM, see {@link AlsaFileInput}),
     * recorded for a second with the tutorial's code: the write returns promptly after the line is
     * closed, and the file holds exactly the frames the writer read from the line.
     */
    @Test
    void tutorialRecorderOnARealLine(@TempDir Path dir) throws Exception {
        AlsaFileInput device = AlsaFileInput.in(dir);
        device.startFeeding(192_000, i -> (int) (100 * Math.sin(i / 4 * 2 * Math.PI * 440 / 48_000)) >> (i % 2 == 0 ? 0 : 8));
        Path file = dir.resolve("recorded.ecdc");
        ProcessBuilder builder = ChildJvm.builder(Map.of("encodec.models", ReferenceData.models().toString(),
                "encodec.offline", "true", "encodec.device", "cpu", "encodec.threads", "2"),
                RecorderProbe.class.getName(), "ECDC", file.toString(), "1000");
        builder.environment().putAll(device.environment());
        ChildJvm.Result run = ChildJvm.run(builder, 180);
        device.finish();
        String out = new String(run.stdout(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitCode(), run + "\n" + out);
        long frames = value(out, "frames");
        double returnedMs = Double.parseDouble(line(out, "returned-ms"));
        System.out.printf("[sound] tutorial recorder on ALSA capture: %d frames recorded, write returned %.0f ms "
                + "after the line was closed%n", frames, returnedMs);
        assertTrue(frames >= 4_800, "a second recorded: " + frames + " frames");
        assertTrue(returnedMs < PROMPTLY.toMillis(), "returned " + returnedMs + " ms after close");
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(frames, EcdcHeader.read(in).metadata().audioLength(), "al: the frames read from the line");
        }
        assertEquals(value(out, "bytes"), Files.size(file));
    }

    private static long value(String out, String key) {
        return Long.parseLong(line(out, key));
    }

    private static String line(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in: " + out));
    }
}
