package io.github.encodecstream.cli;

import io.github.encodecstream.testing.ReferenceModels;
import org.junit.jupiter.api.extension.ExtendWith;
import io.github.encodecstream.testing.EcdcBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encodec-Stream's {@code -e} and the command {@code encode}, in-process on the reference models
 * (offline, CPU, 2 threads): headers as Encodec-Stream wrote them (the seed files), files
 * byte-identical to the reference encoder's (the test vectors), and the errors.
 */
@ExtendWith(ReferenceModels.class)
class EncodeCommandTest {
    /** 48 kHz frames of the seeds' input: 7 s of test_48k.wav. */
    private static final int SEED_FRAMES = 7 * 48_000;
    private static final Map<String, String[]> SEED_ARGS = new HashMap<>();

    static {
        for (String plain : new String[] {"0.75", "1.5", "2", "32"}) {
            SEED_ARGS.put(plain, new String[] {});
        }
        SEED_ARGS.put("4.5", new String[] {"-n", "Über Lied ✓"});
        SEED_ARGS.put("6", new String[] {"-n", "Test Song", "-s", "https://example.com/test", "-t",
            "https://example.com/thumb.jpg"});
    }


    private static byte[] seedInput;

    @BeforeAll
    static void setUp() throws Exception {
        seedInput = wavBytes(ReferenceData.file("audio/test_48k.wav"), SEED_FRAMES);
    }


    /** The first {@code frames} frames of a 16-bit WAV file: its raw little-endian PCM. */
    static byte[] wavBytes(Path wav, int frames) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(16, f.getSampleSizeInBits());
            assertFalse(f.isBigEndian());
            return in.readNBytes(frames * f.getFrameSize());
        }
    }

    /** A WAV file of the first {@code frames} frames of {@code wav}. */
    static Path wavSlice(Path wav, int frames, Path dir) throws Exception {
        AudioFormat f;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            f = in.getFormat();
        }
        byte[] pcm = wavBytes(wav, frames);
        Path out = dir.resolve("slice-" + wav.getFileName());
        try (AudioInputStream s = new AudioInputStream(new ByteArrayInputStream(pcm), f, frames)) {
            AudioSystem.write(s, AudioFileFormat.Type.WAVE, out.toFile());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.5", "6", "0.75", "1.5", "2", "32"})
    void seedHeaders(String kbps, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.ecdc");
        String[] args = SEED_ARGS.get(kbps);
        String[] all = new String[args.length + 4];
        all[0] = "-e";
        all[1] = out.toString();
        all[2] = "-b";
        all[3] = kbps;
        System.arraycopy(args, 0, all, 4, args.length);
        CliRun run = CliRun.withInput(seedInput, all);
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());

        byte[] actual = Files.readAllBytes(out);
        byte[] seed = Files.readAllBytes(ReferenceData.file("seed/seed_b" + kbps + ".ecdc"));
        assertEquals(EcdcBytes.read(seed).version(), EcdcBytes.read(actual).version());
        assertEquals(EcdcBytes.read(seed).metadata(), EcdcBytes.read(actual).metadata());
        assertArrayEquals(EcdcBytes.headerBytes(seed), EcdcBytes.headerBytes(actual), "header bytes as seed_b" + kbps);

        // decodes with -d to 7 s of 48 kHz stereo s16le
        CliRun decoded = CliRun.of("-d", out.toString());
        assertEquals(Main.OK, decoded.exitCode(), decoded.toString());
        assertEquals(SEED_FRAMES * 4, decoded.stdout().length);
    }

    @Test
    void encodeToStandardOutputWithDefaultBitrate() throws Exception {
        byte[] pcm = Arrays.copyOf(seedInput, 48_000 * 4); // 1 s
        CliRun run = CliRun.withInput(pcm, "-e", "-");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        EcdcHeader h = EcdcBytes.read(run.stdout());
        assertEquals(EcdcHeader.VERSION_STREAM, h.version());
        assertEquals(6.0, h.metadata().bitrate());
        assertEquals(48_000, h.metadata().audioLength());
        assertEquals(4, h.metadata().codebooks());
    }

    @Test
    void partialLastFrameIsDroppedWithAWarning(@TempDir Path dir) throws Exception {
        byte[] pcm = Arrays.copyOf(seedInput, 4800 * 4 + 3);
        Path out = dir.resolve("x.ecdc");
        CliRun run = CliRun.withInput(pcm, "-e", out.toString(), "-b", "3");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("ignored its last 3 bytes"), run.stderr());
        assertEquals(4800, EcdcBytes.read(Files.readAllBytes(out)).metadata().audioLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"48k_bw6", "24k_bw6"})
    void modelAndBandwidthGiveTheReferenceFile(String name, @TempDir Path dir) throws Exception {
        boolean is48 = name.startsWith("48");
        Path wav = wavSlice(ReferenceData.file(is48 ? "audio/test_48k.wav" : "audio/test_24k.wav"),
                is48 ? 350_003 : 175_001, dir);
        Path out = dir.resolve("out.ecdc");
        CliRun run = CliRun.of("encode", "--model", is48 ? "48" : "24", "-b", "6", "-o", out.toString(), wav.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        byte[] expected = Files.readAllBytes(ReferenceData.file("vectors/" + name + ".ecdc"));
        assertArrayEquals(expected, Files.readAllBytes(out), name + ": byte-identical to the reference encoder's");
    }

    @Test
    void wavFromStandardInput(@TempDir Path dir) throws Exception {
        // 0.5 s of the 48 kHz file through the 24 kHz model: mixed to mono and resampled
        Path wav = wavSlice(ReferenceData.file("audio/test_48k.wav"), 24_000, dir);
        CliRun run = CliRun.withInput(Files.readAllBytes(wav), "encode", "--model", "24", "-b", "1.5", "-n", "x",
                "-o", "-", "-");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        EcdcHeader h = EcdcBytes.read(run.stdout());
        assertEquals(EcdcHeader.VERSION_STREAM, h.version()); // a name needs version 193
        assertEquals("encodec_24khz", h.metadata().model());
        assertEquals(12_000, h.metadata().audioLength());
        assertEquals(2, h.metadata().codebooks());
        assertEquals("x", h.metadata().name());
        assertEquals(null, h.metadata().bitrate());
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        Path out = dir.resolve("x.ecdc");
        String o = out.toString();
        String[][] cases = {
            {"-b", "6"},
            {"-n", "x", "-i", "y"},
            {"-e", o, "-d", "y"},
            {"-e", o, "-ss", "1"},
            {"-e", o, "-b", "0"},
            {"-e", o, "-b", "-3"},
            {"-e", o, "-b", "1e9"},
            {"encode", "--model", "48", "-b", "4.5", "-o", o, "x.wav"},
            {"encode", "--model", "48", "-b", "1.5", "-o", o, "x.wav"},
            {"encode", "--model", "32", "-o", o, "x.wav"},
            {"encode", "x.wav"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.withInput(new byte[0], args);
            assertEquals(Main.USAGE, run.exitCode(), String.join(" ", args) + ": " + run);
            assertEquals(1, run.errLines().length, run.stderr());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void badInputs(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("x.ecdc");
        Path text = Files.writeString(dir.resolve("notes.wav"), "not audio at all, not a RIFF header either");
        String[][] cases = {
            {"encode", "-o", out.toString(), dir.resolve("missing.wav").toString()},
            {"encode", "-o", out.toString(), text.toString()},
            {"encode", "-o", out.toString(), "-"},
        };
        for (String[] args : cases) {
            CliRun run = CliRun.withInput("garbage".getBytes(), args);
            assertEquals(Main.BAD_INPUT, run.exitCode(), String.join(" ", args) + ": " + run);
            assertEquals(1, run.errLines().length, run.stderr());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void outputIsTheInput(@TempDir Path dir) throws Exception {
        Path wav = wavSlice(ReferenceData.file("audio/test_24k.wav"), 2400, dir);
        byte[] before = Files.readAllBytes(wav);
        CliRun run = CliRun.of("encode", "-o", wav.toString(), wav.toString());
        assertEquals(Main.USAGE, run.exitCode(), run.toString());
        assertArrayEquals(before, Files.readAllBytes(wav));
    }

    @Test
    void missingModelExits4AndLeavesTheOutputAlone(@TempDir Path models, @TempDir Path dir) throws IOException {
        Path out = Files.writeString(dir.resolve("old.ecdc"), "old");
        String saved = System.getProperty("encodec.models");
        System.setProperty("encodec.models", models.toString());
        try {
            CliRun run = CliRun.withInput(new byte[4800 * 4], "-e", out.toString(), "-b", "6");
            assertEquals(Main.MISSING_MODEL, run.exitCode(), run.toString());
            assertEquals(1, run.errLines().length, run.stderr());
            assertTrue(run.stderr().contains("encodec_48khz"), run.stderr());
            assertEquals("old", Files.readString(out));
        } finally {
            System.setProperty("encodec.models", saved);
        }
    }

    @Test
    void emptyInputGivesAnEmptyFile() throws Exception {
        CliRun run = CliRun.withInput(new byte[0], "-e", "-", "-b", "1.5");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals(0, EcdcBytes.read(run.stdout()).metadata().audioLength());
    }
}
