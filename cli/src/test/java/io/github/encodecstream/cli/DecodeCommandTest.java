package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code decode} in-process on the reference models (offline, CPU), and its errors. */
class DecodeCommandTest {
    static final double TOLERANCE = 1e-4;
    private static final Map<String, String> SAVED = new HashMap<>();

    @TempDir
    static Path emptyCache;

    @BeforeAll
    static void useReferenceModels() {
        set("encodec.models", ReferenceData.models().toString());
        set("encodec.offline", "true");
        set("encodec.device", "cpu");
        set("encodec.threads", "2");
        set("encodec.cache", emptyCache.toString());
        set("encodec.modelsUrl", "http://127.0.0.1:9/"); // never reach the network, whatever happens
    }

    @AfterAll
    static void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static void set(String key, String value) {
        if (!SAVED.containsKey(key)) {
            SAVED.put(key, System.getProperty(key));
        }
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    static float[] f32(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static void assertMatchesReference(Case c, float[] actual) throws IOException {
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        assertEquals(c.length() * c.channels(), actual.length, c.name() + ": samples");
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= TOLERANCE, c.name() + ": max abs error " + max);
    }

    @ParameterizedTest
    @ValueSource(strings = {"24k_short", "48k_short", "48k_stride_plus_one", "24k_silence"})
    void decodesToFileAsFloat32(String name, @TempDir Path dir) throws IOException {
        Case c = ReferenceCases.named(name);
        Path out = dir.resolve(name + ".f32");
        CliRun run = CliRun.of("decode", "--native", "--format", "f32le", "-o", out.toString(), c.file(".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals(0, run.stdout().length);
        assertMatchesReference(c, f32(Files.readAllBytes(out)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b6"})
    void decodesSeedFilesAtTheirOwnLength(String name) throws IOException {
        Path ecdc = ReferenceData.file("seed/" + name + ".ecdc");
        com.fasterxml.jackson.databind.JsonNode info = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CliRun.of("info", "--json", ecdc.toString()).stdout());
        CliRun run = CliRun.of("decode", "--native", "--format", "f32le", ecdc.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        float[] actual = f32(run.stdout());
        float[] expected = ReferenceData.readF32(ReferenceData.file("seed/" + name + ".out.f32"));
        assertEquals(info.get("length").asLong() * info.get("channels").asInt(), actual.length);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, "sample " + i);
        }
    }

    @Test
    void dashWritesToStandardOutput() throws IOException {
        Case c = ReferenceCases.named("48k_short");
        CliRun run = CliRun.of("decode", "--native", "--format", "F32LE", "-o", "-", c.file(".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertMatchesReference(c, f32(run.stdout()));
        CliRun byDefault = CliRun.of("decode", "--native", "-f", "f32le", c.file(".ecdc").toString());
        assertArrayEquals(run.stdout(), byDefault.stdout());
    }

    @Test
    void dashInputReadsTheRunsStandardInput() throws IOException {
        Case c = ReferenceCases.named("48k_short");
        byte[] file = Files.readAllBytes(c.file(".ecdc"));
        CliRun fromStdin = CliRun.withInput(file, "decode", "--native", "-f", "f32le", "-");
        assertEquals(Main.OK, fromStdin.exitCode(), fromStdin.toString());
        assertMatchesReference(c, f32(fromStdin.stdout()));
        CliRun flag = CliRun.withInput(file, "-d", "-");
        assertEquals(Main.OK, flag.exitCode(), flag.toString());
        assertArrayEquals(CliRun.of("-d", c.file(".ecdc").toString()).stdout(), flag.stdout());
        CliRun info = CliRun.withInput(file, "info", "-");
        assertEquals(Main.OK, info.exitCode(), info.toString());
        assertEquals(CliRun.of("info", c.file(".ecdc").toString()).out(), info.out());
        CliRun empty = CliRun.withInput(new byte[0], "decode", "-");
        assertEquals(Main.BAD_INPUT, empty.exitCode(), empty.toString());
        assertEquals(0, empty.stdout().length);
    }

    @Test
    void s16leIsTheDefaultFormat() throws IOException {
        Case c = ReferenceCases.named("24k_short");
        CliRun run = CliRun.of("decode", "--native", c.file(".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        assertEquals(expected.length * 2, run.stdout().length);
        ByteBuffer b = ByteBuffer.wrap(run.stdout()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * 32767.0, b.getShort(), 1.5, "sample " + i);
        }
    }

    @Test
    void withoutNativeWrites48kStereo() throws IOException {
        Case c = ReferenceCases.named("24k_short");
        CliRun run = CliRun.of("decode", "-f", "f32le", c.file(".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        float[] out = f32(run.stdout());
        assertEquals(2 * Math.round(c.length() * 2.0), out.length, "24 kHz mono: twice the samples, two channels");
        for (int i = 0; i < out.length; i += 2) {
            assertEquals(out[i], out[i + 1], "frame " + i / 2);
        }
    }

    @Test
    void rateAndChannels() throws IOException {
        Case c = ReferenceCases.named("48k_one_segment");
        float[] stereo = f32(CliRun.of("decode", "--native", "-f", "f32le", c.file(".ecdc").toString()).stdout());
        CliRun mono = CliRun.of("decode", "--rate", "48000", "--channels", "1", "-f", "f32le", c.file(".ecdc").toString());
        assertEquals(Main.OK, mono.exitCode(), mono.toString());
        float[] m = f32(mono.stdout());
        assertEquals(stereo.length / 2, m.length);
        for (int i = 0; i < m.length; i++) {
            assertEquals((stereo[2 * i] + stereo[2 * i + 1]) * 0.5f, m[i], "mean of the channels, sample " + i);
        }
        CliRun half = CliRun.of("decode", "-r", "24000", "-c", "2", "-f", "f32le", c.file(".ecdc").toString());
        assertEquals(Main.OK, half.exitCode(), half.toString());
        assertEquals(2 * Math.round(c.length() / 2.0), f32(half.stdout()).length);
    }

    @Test
    void wavFile(@TempDir Path dir) throws Exception {
        Case c = ReferenceCases.named("24k_short");
        Path wav = dir.resolve("out.wav");
        CliRun run = CliRun.of("decode", "--format", "wav", "-o", wav.toString(), c.file(".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        byte[] raw = CliRun.of("decode", c.file(".ecdc").toString()).stdout();
        try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
            javax.sound.sampled.AudioFormat f = in.getFormat();
            assertEquals(48_000f, f.getSampleRate());
            assertEquals(2, f.getChannels());
            assertEquals(16, f.getSampleSizeInBits());
            assertFalse(f.isBigEndian());
            assertEquals(raw.length / 4, in.getFrameLength());
            assertArrayEquals(raw, in.readAllBytes());
        }
        Path nativeWav = dir.resolve("native.wav");
        assertEquals(Main.OK, CliRun.of("decode", "--native", "-f", "wav", "-o", nativeWav.toString(),
                ReferenceData.file("seed/seed_b0.75.ecdc").toString()).exitCode());
        try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(nativeWav.toFile())) {
            assertEquals(12_000f, in.getFormat().getSampleRate(), "played at sr");
            assertEquals(1, in.getFormat().getChannels());
            assertEquals(84_000, in.getFrameLength());
        }
    }

    @Test
    void progressBarOnlyWhenAskedOrOnATerminal(@TempDir Path dir) {
        String file = ReferenceData.file("vectors/24k_short.ecdc").toString();
        CliRun plain = CliRun.of("decode", "-o", dir.resolve("a.raw").toString(), file);
        assertEquals("", plain.stderr(), "standard error is no terminal here");
        CliRun forced = CliRun.of("decode", "--progress", "-o", dir.resolve("b.raw").toString(), file);
        assertEquals(Main.OK, forced.exitCode(), forced.toString());
        assertTrue(forced.stderr().contains("Decoding") && forced.stderr().contains("100%"), forced.stderr());
        CliRun quiet = CliRun.of("-q", "decode", "--progress", "-o", dir.resolve("c.raw").toString(), file);
        assertEquals("", quiet.stderr());
        CliRun quietAfter = CliRun.of("decode", "--progress", "-q", "-o", dir.resolve("d.raw").toString(), file);
        assertEquals("", quietAfter.stderr());
    }

    @Test
    void badOptionsAreUsageErrors() {
        String file = ReferenceData.file("vectors/24k_short.ecdc").toString();
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", "--format", "mp3", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", "--device", "tpu", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", "--threads", "-1", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", "--rate", "44100", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", "--channels", "1", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--channels", "3", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--rate", "0", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "-ss", "5", "-to", "2", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "-ss", "abc", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--timeout", "0", file));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native"));
        InfoCommandTest.assertUsage(CliRun.of("decode", "--native", file, file));
    }

    @Test
    void badInputExits3(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("decode", "--native", "/no/such/file.ecdc");
        assertEquals(Main.BAD_INPUT, missing.exitCode(), missing.toString());
        assertEquals(1, missing.errLines().length, missing.stderr());
        assertTrue(missing.stderr().contains("/no/such/file.ecdc: no such file or directory"), missing.stderr());

        Path wav = ReferenceData.file("audio/test_24k.wav");
        CliRun notEcdc = CliRun.of("decode", "--native", "-o", dir.resolve("x").toString(), wav.toString());
        assertEquals(Main.BAD_INPUT, notEcdc.exitCode(), notEcdc.toString());
        assertTrue(notEcdc.stderr().contains("not an .ecdc file"), notEcdc.stderr());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void truncatedFileWritesWhatItCanThenExits3(@TempDir Path dir) throws IOException {
        Case c = ReferenceCases.named("48k_stride_plus_one");
        byte[] bytes = Files.readAllBytes(c.file(".ecdc"));
        Path cut = dir.resolve("cut.ecdc");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        Path out = dir.resolve("cut.f32");
        CliRun run = CliRun.of("decode", "--native", "--format", "f32le", "-o", out.toString(), cut.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().startsWith("encodec-stream: " + cut + ": "), run.stderr());
        float[] partial = f32(Files.readAllBytes(out));
        assertTrue(partial.length < c.length() * c.channels(), "partial output " + partial.length);
    }

    /** {@code c}'s file with segment {@code segment}'s scale replaced by NaN (damage), written to {@code dir}. */
    private static Path withNanScale(Case c, int segment, Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(c.file(".ecdc"));
        io.github.encodecstream.codes.SegmentLayout layout = io.github.encodecstream.codes.SegmentLayout.of(
                io.github.encodecstream.format.EcdcHeader.read(new java.io.ByteArrayInputStream(bytes)));
        ByteBuffer.wrap(bytes).putFloat((int) layout.byteOffset(segment), Float.NaN);
        Path damaged = dir.resolve("damaged.ecdc");
        Files.write(damaged, bytes);
        return damaged;
    }

    @Test
    void damagedSegmentIsConcealedNamedOnStandardErrorAndExits3(@TempDir Path dir) throws IOException {
        Case c = ReferenceCases.named("48k_bw6");
        Path damaged = withNanScale(c, 2, dir);
        Path out = dir.resolve("out.f32");
        CliRun run = CliRun.of("decode", "--native", "--format", "f32le", "-o", out.toString(), damaged.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        String[] lines = run.errLines();
        assertEquals(2, lines.length, run.stderr());
        assertEquals("encodec-stream: damaged data: 1.980\u20132.980 s concealed (segment 2 has scale NaN, outside (0, 16.0] (at byte 1575))",
                lines[0]);
        assertEquals("encodec-stream: " + damaged + ": 1 damaged span concealed with silence", lines[1]);
        assertEquals(c.length() * c.channels(), f32(Files.readAllBytes(out)).length, "the whole length is written");
    }

    @Test
    void aFlippedByteOfAnLmFileIsConcealedAndNamed(@TempDir Path dir) throws Exception {
        Path wav = EncodeCommandTest.wavSlice(ReferenceData.file("audio/test_48k.wav"), 150_000, dir);
        Path coded = dir.resolve("lm.ecdc");
        CliRun encode = CliRun.of("encode", "-q", "-b", "6", "--lm", "-o", coded.toString(), wav.toString());
        assertEquals(Main.OK, encode.exitCode(), encode.toString());
        byte[] bytes = Files.readAllBytes(coded);
        io.github.encodecstream.codes.SegmentLayout layout = io.github.encodecstream.codes.SegmentLayout.of(
                io.github.encodecstream.format.EcdcHeader.read(new java.io.ByteArrayInputStream(bytes)));
        bytes[(int) layout.byteOffset(1) + 40] ^= 0x04; // inside segment 1's coded stream
        Path damaged = dir.resolve("damaged.ecdc");
        Files.write(damaged, bytes);
        Path clean = dir.resolve("clean.f32");
        Path out = dir.resolve("out.f32");
        assertEquals(Main.OK, CliRun.of("decode", "-q", "--native", "-f", "f32le", "-o", clean.toString(),
                coded.toString()).exitCode());
        CliRun run = CliRun.of("decode", "-q", "--native", "-f", "f32le", "-o", out.toString(), damaged.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        String[] lines = run.errLines();
        assertEquals(2, lines.length, run.stderr());
        assertTrue(lines[0].startsWith("encodec-stream: damaged data: 0.990\u20131.990 s concealed (segment 1 is damaged: "
                + "its CRC-32C is "), lines[0]);
        float[] a = f32(Files.readAllBytes(clean));
        float[] b = f32(Files.readAllBytes(out));
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            long sample = i / 2;
            if (sample < 47_520 || sample >= 95_520) {
                assertEquals(a[i], b[i], "outside the concealed segment, sample " + sample);
            } else if (sample >= 48_000 && sample < 95_040) {
                assertEquals(0f, b[i], "silence at " + sample);
            }
        }
    }

    @Test
    void strictStopsAtTheFirstDamageWithExit3(@TempDir Path dir) throws IOException {
        Case c = ReferenceCases.named("48k_bw6");
        Path damaged = withNanScale(c, 2, dir);
        Path out = dir.resolve("out.f32");
        CliRun run = CliRun.of("decode", "--strict", "--native", "--format", "f32le", "-o", out.toString(),
                damaged.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().contains("segment 2 has scale NaN, outside (0, 16.0]"), run.stderr());
        assertEquals((2 * 47_520 + 480) * 2, f32(Files.readAllBytes(out)).length, "the audio up to the damage");
        CliRun flag = CliRun.of("-d", damaged.toString(), "--strict");
        assertEquals(Main.BAD_INPUT, flag.exitCode(), flag.toString());
        assertEquals(Main.USAGE, CliRun.of("-i", damaged.toString(), "--strict").exitCode());
    }

    @Test
    void referenceLmFileIsRefusedWithExit3(@TempDir Path dir) {
        Path out = dir.resolve("lm.f32");
        CliRun run = CliRun.of("decode", "--native", "-o", out.toString(),
                ReferenceData.file("vectors/48k_bw6_lm.ecdc").toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertEquals(3, run.exitCode());
        assertTrue(run.stderr().contains("not written by encodec-stream's deterministic LM"), run.stderr());
        assertTrue(run.stderr().contains("floating-point arithmetic"), run.stderr());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingModelExits4(@TempDir Path models, @TempDir Path dir) {
        set("encodec.models", models.toString());
        try {
            Path out = dir.resolve("out.f32");
            CliRun run = CliRun.of("decode", "--native", "-o", out.toString(),
                    ReferenceData.file("vectors/48k_short.ecdc").toString());
            assertEquals(Main.MISSING_MODEL, run.exitCode(), run.toString());
            assertEquals(1, run.errLines().length, run.stderr());
            String err = run.stderr();
            assertTrue(err.contains("encodec_48khz-7e698e3e.th"), err);
            assertTrue(err.contains("http://127.0.0.1:9/encodec_48khz-7e698e3e.th"), err);
            assertTrue(err.contains(models.toString()), err);
            assertTrue(err.contains("ENCODEC_MODELS"), err);
            assertFalse(Files.exists(out), "no output for a missing model");
        } finally {
            set("encodec.models", ReferenceData.models().toString());
        }
    }

    @Test
    void offlineOptionTurnsDownloadsOff(@TempDir Path models) {
        set("encodec.models", models.toString());
        set("encodec.offline", null);
        try {
            CliRun run = CliRun.of("decode", "--native", "--offline", "-o", "-",
                    ReferenceData.file("vectors/24k_short.ecdc").toString());
            assertEquals(Main.MISSING_MODEL, run.exitCode(), run.toString());
            assertTrue(run.stderr().contains("downloads are off"), run.stderr());
            assertTrue(run.stderr().contains("encodec_24khz-d7cc33bc.th"), run.stderr());
        } finally {
            set("encodec.models", ReferenceData.models().toString());
            set("encodec.offline", "true");
        }
    }

    @Test
    void unwritableOutputExits1(@TempDir Path dir) {
        Path out = dir.resolve("no-such-dir").resolve("out.f32");
        CliRun run = CliRun.of("decode", "--native", "-o", out.toString(),
                ReferenceData.file("vectors/24k_short.ecdc").toString());
        assertEquals(Main.ERROR, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertEquals("encodec-stream: cannot write " + out + ": no such file or directory", run.stderr().strip());
    }

    @Test
    void closedStandardOutputEndsQuietly() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int[] writes = {0};
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (writes[0]++ > 0) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        PrintStream errStream = new PrintStream(err, true);
        int code = Main.run(CliRun.io(closedPipe, errStream), "-d", ReferenceData.file("seed/seed_b0.75.ecdc").toString());
        assertEquals(Main.OK, code, err.toString());
        assertEquals("", err.toString());
    }

    @Test
    void failingStandardOutputExits1() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        PrintStream errStream = new PrintStream(err, true);
        int code = Main.run(CliRun.io(full, errStream), "decode", "--native", "-o", "-",
                ReferenceData.file("vectors/24k_short.ecdc").toString());
        assertEquals(Main.ERROR, code, err.toString());
        assertEquals("encodec-stream: cannot write standard output: No space left on device", err.toString().strip());
    }
}
