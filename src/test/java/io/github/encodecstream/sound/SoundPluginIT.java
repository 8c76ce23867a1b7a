package io.github.encodecstream.sound;

import static io.github.encodecstream.sound.SoundTests.ints;
import static io.github.encodecstream.sound.SoundTests.maxLsb;
import static io.github.encodecstream.sound.SoundTests.readWav;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat.Encoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin in fresh JVMs, through the stand-alone program of {@code samples/}
 * (compiled with plain {@code javac}, using {@code javax.sound.sampled} only): the shaded jar on
 * the class path, and the modular jar with its dependencies on the module path.
 */
class SoundPluginIT {
    private static final Path SAMPLE = Paths.get("samples", "ecdc-to-wav", "EcdcToWav.java");
    private static Path jar;
    private static Path thinJar;
    private static Path lib;

    @TempDir
    static Path classes;

    @BeforeAll
    static void compileSample() throws Exception {
        jar = configured("encodec.jar", "target/encodec-stream.jar");
        thinJar = configured("encodec.thinJar", "target/original-encodec-stream.jar");
        lib = configured("encodec.lib", "target/lib");
        Result javac = run(List.of(tool("javac"), "-d", classes.toString(), SAMPLE.toString()));
        assertEquals(0, javac.exitCode, javac.output);
    }

    private static Path configured(String property, String fallback) {
        String value = System.getProperty(property);
        Path path = Paths.get(value == null || value.isBlank() ? fallback : value);
        assertTrue(Files.exists(path), "no " + path.toAbsolutePath() + " (run mvn verify)");
        return path.toAbsolutePath();
    }

    @Test
    void sampleOnTheClassPath(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        Result r = java(List.of("-cp", jar + File.pathSeparator + classes), "seed/seed_b6.ecdc", wav);
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("type: ECDC"), r.output);
        assertTrue(r.output.contains("title: Test Song"), r.output);
        assertTrue(r.output.contains("ecdc.model: encodec_48khz"), r.output);
        assertTrue(r.output.contains("bitrate: 6000"), r.output);
        assertTrue(r.output.contains("duration: 7000000"), r.output);
        assertTrue(r.output.contains("decoded: PCM_SIGNED 48000.0 Hz, 16 bit, stereo"), r.output);
        assertMatches("seed/seed_b6", wav, 336_000 * 2);
    }

    @Test
    void sampleOnTheModulePath(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        Result r = java(List.of("-p", thinJar + File.pathSeparator + lib, "--add-modules", "io.github.encodecstream",
                "-cp", classes.toString()), "seed/seed_b0.75.ecdc", wav);
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("type: ECDC"), r.output);
        assertTrue(r.output.contains("decoded: PCM_SIGNED 12000.0 Hz, 16 bit, mono"), r.output);
        assertTrue(r.output.contains("duration: 7000000"), r.output);
        assertMatches("seed/seed_b0.75", wav, 84_000);

        Result described = run(List.of(tool("jar"), "--describe-module", "--file", thinJar.toString()));
        assertTrue(described.output.contains("provides javax.sound.sampled.spi.AudioFileReader with "
                + EcdcAudioFileReader.class.getName()), described.output);
        assertTrue(described.output.contains("provides javax.sound.sampled.spi.FormatConversionProvider with "
                + EcdcFormatConversionProvider.class.getName()), described.output);
        assertTrue(described.output.contains("provides javax.sound.sampled.spi.AudioFileWriter with "
                + EcdcAudioFileWriter.class.getName()), described.output);
    }

    /** The shaded jar is a plain jar (no module-info); on the module path it is an automatic module of the same name. */
    @Test
    void shadedJarOnTheModulePath(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        Result r = java(List.of("-p", jar.toString(), "--add-modules", "io.github.encodecstream", "-cp", classes.toString()),
                "vectors/24k_bw6.ecdc", wav);
        assertEquals(0, r.exitCode, r.output);
        assertMatches("vectors/24k_bw6", wav, 175_001);
    }

    private static void assertMatches(String name, Path wav, int samples) throws Exception {
        int[] got = ints(readWav(wav, Encoding.PCM_SIGNED, 16), 16, false);
        assertEquals(samples, got.length);
        long lsb = maxLsb(got, SoundTests.reference(ReferenceData.file(name + ".out.f32")), 0, 16);
        report("samples/ program, " + name + ": max " + lsb + " LSB");
        assertTrue(lsb <= 1, lsb + " LSB");
    }

    /** The sample program on {@code name} with the reference models, offline, on the CPU. */
    private static Result java(List<String> paths, String name, Path wav) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool("java")));
        command.addAll(paths);
        command.addAll(Arrays.asList("EcdcToWav", ReferenceData.file(name).toAbsolutePath().toString(), wav.toString()));
        return run(command);
    }

    private static String tool(String name) {
        return Paths.get(System.getProperty("java.home"), "bin", name).toString();
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ENCODEC_") || k.equals("CLASSPATH") || k.startsWith("JAVA_TOOL"));
        env.put("ENCODEC_MODELS", ReferenceData.models().toAbsolutePath().toString());
        env.put("ENCODEC_OFFLINE", "1");
        env.put("ENCODEC_MODELS_URL", "http://127.0.0.1:9/");
        env.put("ENCODEC_DEVICE", "cpu");
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }
}
