package io.github.encodecstream.sound;

import static io.github.encodecstream.sound.SoundTests.ints;
import static io.github.encodecstream.sound.SoundTests.maxLsb;
import static io.github.encodecstream.sound.SoundTests.readWav;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.encodecstream.testing.Jdks;
import io.github.encodecstream.testing.Jdks.Jdk;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged plugin in fresh JVMs, through the stand-alone program of {@code samples/}
 * (compiled with plain {@code javac}, using {@code javax.sound.sampled} only): the shaded jar on
 * the class path, and the modular jar with its dependencies on the module path; on the JVM running
 * the tests and on Java 25 ({@link Jdks}: skipped where it is not installed).
 */
@ParameterizedClass(name = "[{index}] {0}")
@ValueSource(strings = {Jdks.RUNNING, Jdks.JAVA_25})
class SoundPluginIT {
    private static final Path SAMPLE = ReferenceData.repository().resolve(Paths.get("samples", "ecdc-to-wav", "EcdcToWav.java"));
    private static Path jar;
    private static Path thinJar;
    private static Path lib;

    @TempDir
    static Path classes;

    @Parameter
    String jdkName;

    /** The JDK the sample program runs on. */
    Jdk jdk;

    @BeforeAll
    static void compileSample() throws Exception {
        jar = configured("encodec.jar", "target/encodec-stream.jar");
        thinJar = configured("encodec.thinJar", "target/encodec-stream-" + System.getProperty("encodec.version") + ".jar");
        lib = configured("encodec.lib", "target/lib");
        Result javac = run(List.of(tool("javac"), "--release", "17", "-d", classes.toString(), SAMPLE.toString()));
        assertEquals(0, javac.exitCode, javac.output);
    }

    @BeforeEach
    void findJdk() {
        jdk = Jdks.named(jdkName);
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

    /**
     * Java 22+ warn when ONNX Runtime loads its natives in a host application; the flag README's "Java 22
     * and later" names silences it, for each way of adding the plugin: the fat jar on the class path
     * ({@code ALL-UNNAMED}), the modular jar on the module path (ONNX Runtime's automatic module) and the
     * fat jar on the module path (its automatic module, {@code io.github.encodecstream}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"class path", "module path", "fat jar on the module path"})
    void enableNativeAccessSilencesTheWarning(String layout, @TempDir Path dir) throws Exception {
        List<String> paths;
        String module;
        switch (layout) {
            case "class path":
                paths = List.of("-cp", jar + File.pathSeparator + classes);
                module = "ALL-UNNAMED";
                break;
            case "module path":
                paths = List.of("-p", thinJar + File.pathSeparator + lib, "--add-modules", "io.github.encodecstream",
                        "-cp", classes.toString());
                module = "com.microsoft.onnxruntime";
                break;
            default:
                paths = List.of("-p", jar.toString(), "--add-modules", "io.github.encodecstream", "-cp", classes.toString());
                module = "io.github.encodecstream";
        }
        List<String> enabled = new ArrayList<>(List.of("--enable-native-access=" + module));
        enabled.addAll(paths);
        Result quiet = java(enabled, "vectors/24k_short.ecdc", dir.resolve("quiet.wav"));
        assertEquals(0, quiet.exitCode, quiet.output);
        assertFalse(quiet.output.contains("restricted method"), quiet.output);
        assertFalse(quiet.output.contains("enable-native-access"), quiet.output);
        assertTrue(quiet.output.contains("decoded: PCM_SIGNED 24000.0 Hz, 16 bit, mono"), quiet.output);
        assumeTrue(jdk.feature() >= Jdks.NATIVE_ACCESS_WARNING_FROM,
                "Java " + jdk.feature() + " has no native-access warning to show");
        Result warned = java(paths, "vectors/24k_short.ecdc", dir.resolve("warned.wav"));
        assertEquals(0, warned.exitCode, warned.output);
        assertTrue(warned.output.contains("WARNING: A restricted method in java.lang.System has been called"),
                warned.output);
        assertTrue(warned.output.contains("Use --enable-native-access=" + module + " "), warned.output);
    }

    private static void assertMatches(String name, Path wav, int samples) throws Exception {
        int[] got = ints(readWav(wav, Encoding.PCM_SIGNED, 16), 16, false);
        assertEquals(samples, got.length);
        long lsb = maxLsb(got, SoundTests.reference(ReferenceData.file(name + ".out.f32")), 0, 16);
        report("samples/ program, " + name + ": max " + lsb + " LSB");
        assertTrue(lsb <= 1, lsb + " LSB");
    }

    /** The sample program on {@code name} with the reference models, offline, on the CPU, on {@link #jdk}. */
    private Result java(List<String> paths, String name, Path wav) throws Exception {
        List<String> command = new ArrayList<>(List.of(jdk.java()));
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
        env.keySet().removeIf(k -> k.startsWith("ENCODEC_") || k.equals("CLASSPATH") || k.startsWith("JAVA_TOOL")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
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
