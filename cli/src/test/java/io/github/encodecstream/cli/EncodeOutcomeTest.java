package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.EcdcEncoder;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented outcome of each kind of awkward encoder input (docs/RELIABILITY.md, "Encoder
 * input"), and that no failed or interrupted encode leaves a partial file: the output is written
 * to a temporary file beside it and moved into place only on success.
 */
@ExtendWith(ReferenceModels.class)
class EncodeOutcomeTest {
    private static final byte[] OLD = "old output".getBytes(StandardCharsets.US_ASCII);

    /** A WAV file: format tag 1 (PCM) or 3 (float), the given data, and a data size field of {@code declared} bytes. */
    static byte[] wav(int tag, int rate, int channels, int bits, byte[] data, long declared) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (declared + 36));
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) tag)
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) declared).put(data);
        return b.array();
    }

    /** A float WAV of these interleaved samples. */
    static byte[] floatWav(int rate, int channels, float[] samples) {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : samples) {
            data.putFloat(x);
        }
        return wav(3, rate, channels, 32, data.array(), samples.length * 4L);
    }

    static float[] tone(int frames, int channels, float gain) {
        float[] x = new float[frames * channels];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.021) * gain;
        }
        return x;
    }

    /** The files in {@code dir} other than those named. */
    static List<String> others(Path dir, String... names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !List.of(names).contains(n)).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void nanOrInfinityExits3NamingTheSampleAndLeavesTheOutputAlone(@TempDir Path dir) throws IOException {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = tone(24_000, 2, 0.5f);
            x[2 * 20_000 + 1] = bad;
            Path in = Files.write(dir.resolve("in.wav"), floatWav(24_000, 2, x));
            Path out = Files.write(dir.resolve("out.ecdc"), OLD);
            CliRun run = CliRun.of("encode", "--model", "24", "-b", "6", "-o", out.toString(), in.toString());
            assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
            assertEquals(1, run.errLines().length, run.stderr());
            assertTrue(run.stderr().contains(in + ": sample 20000 (0.833 s) of channel 2 of 2 is " + bad
                    + ": only finite samples can be encoded"), run.stderr());
            assertArrayEquals(OLD, Files.readAllBytes(out));
            assertEquals(List.of(), others(dir, "in.wav", "out.ecdc"), "no temporary file left");
        }
    }

    @Test
    void outOfRangeFloatsAreEncodedAsTheyAre(@TempDir Path dir) throws IOException {
        float[] x = tone(12_000, 1, 4f);
        Path in = Files.write(dir.resolve("loud.wav"), floatWav(24_000, 1, x));
        Path out = dir.resolve("loud.ecdc");
        CliRun run = CliRun.of("encode", "--model", "24", "-b", "6", "-o", out.toString(), in.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        EcdcEncoder.encode(x, EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 6).withModels(ReferenceCases.models()),
                expected);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(out), "not clipped: the encoder's file of the same floats");
    }

    @Test
    void emptyWavGivesAValidEmptyFile(@TempDir Path dir) throws IOException {
        Path in = Files.write(dir.resolve("empty.wav"), wav(1, 48_000, 2, 16, new byte[0], 0));
        Path out = dir.resolve("empty.ecdc");
        CliRun run = CliRun.of("encode", "-o", out.toString(), in.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        EcdcHeader h = EcdcBytes.read(Files.readAllBytes(out));
        assertEquals(0, h.metadata().audioLength());
        CliRun decoded = CliRun.of("-d", out.toString());
        assertEquals(Main.OK, decoded.exitCode(), decoded.toString());
        assertEquals(0, decoded.stdout().length);
    }

    /** A header declaring more than a week is refused at once, before the model loads or the output is touched. */
    @Test
    void longerThanAFileHoldsExits3BeforeEncoding(@TempDir Path dir) throws IOException {
        // 100 Hz, 8-bit mono, 0xF0000000 bytes declared: 466 days
        Path in = Files.write(dir.resolve("long.wav"), wav(1, 100, 1, 8, new byte[50], 0xF000_0000L));
        Path out = Files.write(dir.resolve("out.ecdc"), OLD);
        CliRun run = CliRun.of("encode", "-o", out.toString(), in.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().contains("long.wav: longer than an .ecdc file holds: 4026531840 samples per channel at "
                + "100 Hz (40265318.4 s), more than 29030400000 at 48000 Hz (604800 s)"), run.stderr());
        assertArrayEquals(OLD, Files.readAllBytes(out));
        assertEquals(List.of(), others(dir, "long.wav", "out.ecdc"));
    }

    /** 0xFFFFFFFF, what ffmpeg writes to a pipe, is no length: the input is encoded to its end. */
    @Test
    void placeholderSizeIsNoLength(@TempDir Path dir) throws IOException {
        byte[] data = new byte[4 * 4800];
        Path in = Files.write(dir.resolve("piped.wav"), wav(1, 48_000, 2, 16, data, 0xFFFF_FFFFL));
        Path out = dir.resolve("piped.ecdc");
        CliRun run = CliRun.of("encode", "-o", out.toString(), in.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        assertEquals(4800, EcdcBytes.read(Files.readAllBytes(out)).metadata().audioLength());
    }

    /** A WAV cut short (its producer quit): what there is, and a warning. */
    @Test
    void truncatedWavIsEncodedWithAWarning(@TempDir Path dir) throws IOException {
        byte[] data = new byte[4 * 4800];
        byte[] file = wav(1, 48_000, 2, 16, data, 4 * 48_000);
        CliRun run = CliRun.withInput(file, "encode", "-o", "-", "-");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("warning: standard input ended after 4800 of the 48000 frames its header "
                + "declares"), run.stderr());
        assertEquals(4800, EcdcBytes.read(run.stdout()).metadata().audioLength());
    }

    /** Raw PCM ending inside a frame: the partial frame is dropped with a warning, to a file as to stdout. */
    @Test
    void partialFrameAtTheEnd(@TempDir Path dir) throws IOException {
        Path out = Files.write(dir.resolve("x.ecdc"), OLD);
        CliRun run = CliRun.withInput(new byte[4 * 2400 + 1], "-e", out.toString(), "-b", "3");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("ended inside a frame: ignored its last 1 bytes"), run.stderr());
        assertEquals(2400, EcdcBytes.read(Files.readAllBytes(out)).metadata().audioLength());
        assertEquals(List.of(), others(dir, "x.ecdc"));
    }

    /** Success replaces an existing file (a new file, with no temporary left); a symbolic link's target is replaced. */
    @Test
    void successReplacesTheOutputAndFollowsLinks(@TempDir Path dir) throws IOException {
        Path target = Files.write(dir.resolve("target.ecdc"), OLD);
        Path link = Files.createSymbolicLink(dir.resolve("link.ecdc"), target.getFileName());
        CliRun run = CliRun.withInput(new byte[4 * 2400], "-e", link.toString(), "-b", "3");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2400, EcdcBytes.read(Files.readAllBytes(target)).metadata().audioLength());
        assertEquals(List.of(), others(dir, "target.ecdc", "link.ecdc"));
    }

    /** A device is written as it is, never replaced. */
    @Test
    void devNullStaysADevice() throws IOException {
        Path devNull = Path.of("/dev/null");
        if (!Files.exists(devNull)) {
            return;
        }
        CliRun run = CliRun.withInput(new byte[4 * 2400], "-e", "/dev/null", "-b", "3");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertFalse(Files.isRegularFile(devNull));
        assertTrue(Files.exists(devNull));
    }

    /** An output directory that does not exist: exit 1, nothing created. */
    @Test
    void unwritableOutput(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("missing").resolve("x.ecdc");
        CliRun run = CliRun.withInput(new byte[4 * 2400], "-e", out.toString(), "-b", "3");
        assertEquals(Main.ERROR, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().contains("cannot write " + out), run.stderr());
        assertEquals(List.of(), others(dir));
        CliRun toDir = CliRun.withInput(new byte[4 * 2400], "-e", dir.toString(), "-b", "3");
        assertEquals(Main.ERROR, toDir.exitCode(), toDir.toString());
        assertTrue(toDir.stderr().contains("is a directory"), toDir.stderr());
    }

    /** Standard output closed by its reader ({@code | head}): the encode ends quietly with 0. */
    @Test
    void closedStandardOutputEndsQuietly() {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new ProcessIo(new ByteArrayInputStream(new byte[4 * 2400]), closed, e, e,
                ProcessIo.JAVA_SOUND), "-e", "-", "-b", "3");
        assertEquals(Main.OK, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Ctrl-C in the middle of an encode (a separate JVM reading a pipe that stays open): exit 130,
     * the temporary file deleted by the shutdown hook, the existing output untouched.
     */
    @Test
    void ctrlCLeavesTheOutputAlone(@TempDir Path dir) throws Exception {
        Path out = Files.write(dir.resolve("out.ecdc"), OLD);
        CtrlC.interrupt(dir, new byte[4 * 48_000], () -> { // 1 s; working once the temporary file is there
            List<String> temporary = others(dir, "out.ecdc", "err.txt");
            assertTrue(temporary.isEmpty() || temporary.get(0).matches("\\.out\\.ecdc\\.[0-9a-z]+\\.tmp"),
                    temporary.toString());
            return !temporary.isEmpty();
        }, out, OLD, "-e", out.toString(), "-b", "3");
        assertEquals(List.of(), others(dir, "out.ecdc", "err.txt"));
    }
}
