package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.testing.Jdks;
import io.github.encodecstream.testing.Jdks.Jdk;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the packaged jar ({@code -Dencodec.jar}, set by failsafe) as {@code java -jar} in a fresh
 * process with no class path, models from the reference folder via {@code ENCODEC_MODELS}; on the JVM
 * running the tests and on Java 25 ({@link Jdks}: skipped where it is not installed). Also checks what
 * the jars hold: the executable jar, the per-platform jars and the thin modular jar.
 */
@ParameterizedClass(name = "[{index}] {0}")
@ValueSource(strings = {Jdks.RUNNING, Jdks.JAVA_25})
class JarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The platforms of ONNX Runtime's natives ({@code ai/onnxruntime/native/PLATFORM/}) with a jar of their own. */
    static final List<String> PLATFORMS = List.of("linux-x64", "linux-aarch64", "osx-aarch64", "win-x64");
    /** ONNX Runtime 1.29.0's natives make the executable jar 45 MB (1.26.0's: 37 MB); with macOS debug symbols it is over 55 MB. */
    static final long FAT_JAR_LIMIT = 48_000_000;
    static final long PLATFORM_JAR_LIMIT = 25_000_000;
    /** The thin jar's own classes: everything else is a dependency's. */
    static final String OWN_PACKAGE = "io/github/encodecstream/";
    private static Path jar;

    @TempDir
    static Path emptyCache;

    @Parameter
    String jdkName;

    /** The JDK the child processes run on. */
    Jdk jdk;

    @BeforeAll
    static void findJar() {
        String configured = System.getProperty("encodec.jar");
        jar = Paths.get(configured == null || configured.isBlank() ? "target/encodec-stream.jar" : configured);
        assertTrue(Files.isRegularFile(jar), "no jar at " + jar.toAbsolutePath() + " (run mvn verify)");
    }

    @BeforeEach
    void findJdk() {
        jdk = Jdks.named(jdkName);
    }

    /**
     * What a finished process wrote. {@code stderr}: without the protobuf {@code sun.misc.Unsafe} warning
     * of Java 24+ ({@link Jdk#withoutUnsafeWarning}); {@code rawStderr}: all of it.
     */
    record Result(int exitCode, byte[] stdout, String stderr, String rawStderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        List<String> errLines() {
            return stderr.lines().collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", stderr: " + rawStderr;
        }
    }

    /** {@code java -jar JAR args...} with the reference models, offline, on the CPU. */
    Result run(Path models, String... args) throws IOException, InterruptedException {
        return run(models, null, args);
    }

    /** As {@link #run(Path, String...)}, standard input read from {@code stdin} (null: none). */
    Result run(Path models, Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(Arrays.asList(args));
        return java(command, models, stdin);
    }

    /** {@code java ARGS...} (JVM options, then {@code -jar} or a class) on {@link #jdk}, as {@link #run}. */
    Result java(List<String> javaArgs, Path models, Path stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(jdk.java());
        command.addAll(javaArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        environment(pb, models);
        Path out = Files.createTempFile("encodec-it", ".out");
        Path err = Files.createTempFile("encodec-it", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(
                    stdin == null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(stdin.toFile()));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            return new Result(p.exitValue(), Files.readAllBytes(out), jdk.withoutUnsafeWarning(stderr), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The reference models, offline, on the CPU, nothing from the caller's ENCODEC_ or JVM option settings. */
    static void environment(ProcessBuilder pb, Path models) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ENCODEC_") || k.equals("CLASSPATH") || k.startsWith("JAVA_TOOL")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("ENCODEC_MODELS", models.toString());
        env.put("ENCODEC_OFFLINE", "1");
        env.put("ENCODEC_CACHE", emptyCache.toString());
        env.put("ENCODEC_MODELS_URL", "http://127.0.0.1:9/"); // never the network
        env.put("ENCODEC_DEVICE", "cpu");
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(ReferenceData.models(), args);
    }

    static void assertMatchesReference(Case c, byte[] bytes) throws IOException {
        float[] actual = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(actual);
        assertEquals(0, bytes.length % 4, "whole floats");
        assertEquals(c.length() * c.channels(), actual.length, c.name() + ": length x channels floats");
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= 1e-4, c.name() + ": max abs error " + max);
    }

    @ParameterizedTest
    @ValueSource(strings = {"24k_bw6", "48k_bw6", "24k_short", "48k_short"})
    void decodesLikeTheReference(String name, @TempDir Path dir) throws Exception {
        Case c = ReferenceCases.named(name);
        Path out = dir.resolve(name + ".f32");
        Result r = run("decode", "--native", "--format", "f32le", "-o", out.toString(), c.file(".ecdc").toString());
        assertEquals(Main.OK, r.exitCode(), r.toString());
        assertEquals("", r.stderr());
        assertEquals(0, r.stdout().length);
        assertMatchesReference(c, Files.readAllBytes(out));
    }

    @Test
    void decodesToStandardOutput() throws Exception {
        Case c = ReferenceCases.named("48k_stride_plus_one");
        Result r = run("decode", "--native", "--format", "f32le", "-o", "-", c.file(".ecdc").toString());
        assertEquals(Main.OK, r.exitCode(), r.toString());
        assertEquals("", r.stderr());
        assertMatchesReference(c, r.stdout());
    }

    @Test
    void encodesStandardInputWithE(@TempDir Path dir) throws Exception {
        int frames = 2 * 48_000; // 2 s of test_48k.wav as s16le, 48 kHz, stereo
        Path pcm = Files.write(dir.resolve("in.s16"),
                EncodeCommandTest.wavBytes(ReferenceData.file("audio/test_48k.wav"), frames));
        Path out = dir.resolve("out.ecdc");
        Result r = run(ReferenceData.models(), pcm, "-e", out.toString(), "-b", "6", "-n", "Jar");
        assertEquals(Main.OK, r.exitCode(), r.toString());
        assertEquals("", r.stderr());
        Result info = run("info", "--json", out.toString());
        assertEquals(Main.OK, info.exitCode(), info.toString());
        JsonNode i = JSON.readTree(info.stdout());
        assertEquals(193, i.get("version").asInt());
        assertEquals("Jar", i.get("name").asText());
        assertEquals(frames, i.get("length").asLong());
        Result decoded = run("-d", out.toString());
        assertEquals(Main.OK, decoded.exitCode(), decoded.toString());
        assertEquals(frames * 4, decoded.stdout().length);
    }

    @Test
    void infoJson() throws Exception {
        Case c = ReferenceCases.named("48k_bw6");
        Result r = run("info", "--json", c.file(".ecdc").toString());
        assertEquals(Main.OK, r.exitCode(), r.toString());
        JsonNode info = JSON.readTree(r.stdout());
        assertEquals(0, info.get("version").asInt());
        assertEquals("encodec_48khz", info.get("model").asText());
        assertEquals(48000, info.get("sample_rate").asInt());
        assertEquals(2, info.get("channels").asInt());
        assertEquals(c.length(), info.get("length").asLong());
        assertEquals(c.length() / 48000.0, info.get("duration_seconds").asDouble(), 1e-12);
        assertEquals(4, info.get("codebooks").asInt());
        assertEquals(6.0, info.get("bandwidth_kbps").asDouble(), 1e-9);
        assertFalse(info.get("lm").asBoolean());
        for (String key : List.of("name", "source", "thumbnail")) {
            assertTrue(info.get(key).isNull(), key);
        }
        assertTrue(info.get("extra").isObject());

        Result seed = run("info", "--json", ReferenceData.file("seed/seed_b6.ecdc").toString());
        assertEquals(Main.OK, seed.exitCode(), seed.toString());
        JsonNode s = JSON.readTree(seed.stdout());
        assertEquals(193, s.get("version").asInt());
        assertEquals("Test Song", s.get("name").asText());
        assertEquals("https://example.com/test", s.get("source").asText());
        assertEquals("https://example.com/thumb.jpg", s.get("thumbnail").asText());
        assertEquals(7.0, s.get("duration_seconds").asDouble(), 1e-12);
        assertEquals(6.0, s.get("bandwidth_kbps").asDouble(), 1e-9);
    }

    @Test
    void versionAndHelp() throws Exception {
        for (String[] args : new String[][] {{"--version"}, {"decode", "--version"}, {"info", "-V"}}) {
            Result r = run(args);
            assertEquals(Main.OK, r.exitCode(), r.toString());
            assertEquals("", r.rawStderr());
            String version = r.out().strip();
            assertTrue(version.startsWith("encodec-stream "), version);
            assertFalse(version.contains("development"), "the jar's manifest gives the version: " + version);
            assertFalse(version.contains("unknown"), "ONNX Runtime's version is found: " + version);
            String project = System.getProperty("encodec.version");
            String onnxRuntime = System.getProperty("encodec.onnxruntimeVersion");
            if (project != null && onnxRuntime != null) { // set by failsafe
                assertEquals("encodec-stream " + project + " (ONNX Runtime " + onnxRuntime + ")", version);
            }
        }
        Result help = run("--help");
        assertEquals(Main.OK, help.exitCode(), help.toString());
        assertEquals("", help.rawStderr());
        assertTrue(help.out().contains("Exit codes"), help.out());
    }

    /** {@code --version} reads ONNX Runtime's version from its jar: its native library is not even looked for. */
    @Test
    void versionLoadsNoNativeLibrary(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("classes.log");
        Result r = java(List.of("-Xlog:class+load=info:file=" + log, "-jar", jar.toAbsolutePath().toString(), "--version"),
                ReferenceData.models(), null);
        assertEquals(Main.OK, r.exitCode(), r.toString());
        List<String> onnxRuntime = Files.readAllLines(log).stream()
                .filter(l -> l.contains(" ai.onnxruntime.")).collect(Collectors.toList());
        assertFalse(onnxRuntime.stream().anyMatch(l -> l.contains(" ai.onnxruntime.OnnxRuntime ")),
                "ONNX Runtime's native loader was loaded: " + onnxRuntime);
    }

    /** Reading a header uses no native library and no protobuf: not a word on standard error, on any Java. */
    @Test
    void infoPrintsNothingOnStandardError() throws Exception {
        Path seed = ReferenceData.file("seed/seed_b6.ecdc");
        for (String[] args : new String[][] {{"info", seed.toString()}, {"info", "--json", seed.toString()},
                {"-i", seed.toString()}}) {
            Result r = run(args);
            assertEquals(Main.OK, r.exitCode(), r.toString());
            assertEquals("", r.rawStderr(), String.join(" ", args));
        }
    }

    /**
     * The manifest's {@code Enable-Native-Access: ALL-UNNAMED}: on Java 22+ {@code java -jar} loads ONNX
     * Runtime's natives without the "restricted method" warning. The only lines a decode may print there are
     * protobuf's {@code sun.misc.Unsafe} warning (Java 24+), once, when the first graph is built.
     */
    @Test
    void decodeWarnsNothingAboutNativeAccess() throws Exception {
        Case c = ReferenceCases.named("24k_short");
        Result r = run("decode", "--native", "--format", "f32le", c.file(".ecdc").toString());
        assertEquals(Main.OK, r.exitCode(), r.toString());
        assertMatchesReference(c, r.stdout());
        assertNoNativeAccessWarning(r.rawStderr());
        assertEquals("", r.stderr(), "nothing but protobuf's Unsafe warning");
        if (jdk.feature() < Jdks.UNSAFE_WARNING_FROM) {
            assertEquals("", r.rawStderr());
        } else {
            // once when a graph is built; none when the prepared model is already in the cache
            assertTrue(Jdks.PROTOBUF_UNSAFE_WARNING.matcher(r.rawStderr()).results().count() <= 1, r.rawStderr());
            report("decode on Java " + jdk.feature() + ", standard error:\n" + r.rawStderr());
        }
    }

    /**
     * A host application (the jar on the class path, no manifest of its own) meets the warning on Java 22+,
     * and {@code --enable-native-access=ALL-UNNAMED} (accepted from Java 17 on) silences it: what README's
     * "Java 22 and later" says.
     */
    @Test
    void onTheClassPathEnableNativeAccessSilencesTheWarning() throws Exception {
        Case c = ReferenceCases.named("24k_short");
        List<String> decode = List.of("-cp", jar.toAbsolutePath().toString(), Main.class.getName(),
                "decode", "--native", "--format", "f32le", c.file(".ecdc").toString());
        List<String> enabled = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        enabled.addAll(decode);
        Result quiet = java(enabled, ReferenceData.models(), null);
        assertEquals(Main.OK, quiet.exitCode(), quiet.toString());
        assertNoNativeAccessWarning(quiet.rawStderr());
        assertEquals("", quiet.stderr());
        assumeTrue(jdk.feature() >= Jdks.NATIVE_ACCESS_WARNING_FROM,
                "Java " + jdk.feature() + " has no native-access warning to show");
        Result warned = java(decode, ReferenceData.models(), null);
        assertEquals(Main.OK, warned.exitCode(), warned.toString());
        assertTrue(warned.stderr().contains("WARNING: A restricted method in java.lang.System has been called"),
                warned.rawStderr());
        assertTrue(warned.stderr().contains("--enable-native-access=ALL-UNNAMED"), warned.rawStderr());
    }

    static void assertNoNativeAccessWarning(String stderr) {
        assertFalse(stderr.contains("restricted method"), stderr);
        assertFalse(stderr.contains("enable-native-access"), stderr);
        assertFalse(stderr.contains("Restricted methods"), stderr);
    }

    private static void report(String line) {
        System.out.println("[JarIT] " + line);
    }

    @Test
    void missingModelExits4(@TempDir Path emptyModels, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.f32");
        Result r = run(emptyModels, "decode", "--native", "--format", "f32le", "-o", out.toString(),
                ReferenceData.file("vectors/24k_short.ecdc").toString());
        assertEquals(Main.MISSING_MODEL, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.stderr());
        assertTrue(r.stderr().startsWith("encodec-stream: "), r.stderr());
        assertTrue(r.stderr().contains("encodec_24khz-d7cc33bc.th"), r.stderr());
        assertTrue(r.stderr().contains("ENCODEC_MODELS"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out));
    }

    @Test
    void errorExitCodes() throws Exception {
        Result usage = run("decode", "--channels", "3", ReferenceData.file("vectors/24k_short.ecdc").toString());
        assertEquals(Main.USAGE, usage.exitCode(), usage.toString());
        assertEquals(1, usage.errLines().size(), usage.stderr());
        assertTrue(usage.stderr().contains("--channels"), usage.stderr());

        Result notEcdc = run("info", ReferenceData.file("audio/test_48k.wav").toString());
        assertEquals(Main.BAD_INPUT, notEcdc.exitCode(), notEcdc.toString());
        assertEquals(1, notEcdc.errLines().size(), notEcdc.stderr());

        Result lm = run("decode", "--native", "-o", "-", ReferenceData.file("vectors/48k_bw6_lm.ecdc").toString());
        assertEquals(Main.BAD_INPUT, lm.exitCode(), lm.toString());
        assertTrue(lm.stderr().contains("not written by encodec-stream's deterministic LM"), lm.stderr());
        assertEquals(0, lm.stdout().length);
    }

    @Test
    void verboseLogsOnStandardErrorOnly() throws Exception {
        Case c = ReferenceCases.named("24k_short");
        Result r = run("decode", "--native", "-v", "--format", "f32le", c.file(".ecdc").toString());
        assertEquals(Main.OK, r.exitCode(), r.toString());
        assertMatchesReference(c, r.stdout());
        assertTrue(r.errLines().stream().allMatch(l -> l.startsWith("encodec-stream: ")), r.stderr());
        assertTrue(r.stderr().contains("encodec_24khz"), r.stderr());
    }

    @Test
    void encodecStreamFlags() throws Exception {
        Path seed = ReferenceData.file("seed/seed_b6.ecdc");
        Result info = run("-i", seed.toString());
        assertEquals(Main.OK, info.exitCode(), info.toString());
        assertEquals(Files.readString(ReferenceData.file("seed/seed_b6.seed-info.txt")), info.out());

        Result cut = run("-ss", "2.5", "-to", "5", "-d", seed.toString());
        assertEquals(Main.OK, cut.exitCode(), cut.toString());
        assertEquals("", cut.stderr());
        assertEquals(120_000 * 4, cut.stdout().length, "samples 120000..239999, s16 stereo");
        float[] reference = ReferenceData.readF32(ReferenceData.file("seed/seed_b6.out.f32"));
        ByteBuffer b = ByteBuffer.wrap(cut.stdout()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 240_000; i++) {
            int expected = io.github.encodecstream.dsp.PcmConversion.toInt(reference[240_000 + i], 16);
            assertEquals(expected, b.getShort(), 1, "sample " + i);
        }
    }

    @Test
    void standardInput() throws Exception {
        Path seed = ReferenceData.file("seed/seed_b6.ecdc");
        List<String> command = List.of(jdk.java(), "-jar", jar.toAbsolutePath().toString(), "-ss", "6", "-d", "-");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(seed.toFile());
        environment(pb, ReferenceData.models());
        Path out = Files.createTempFile("encodec-it", ".out");
        Path err = Files.createTempFile("encodec-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(Main.OK, p.exitValue(), Files.readString(err));
            Result file = run("-ss", "6", "-d", seed.toString());
            assertEquals(48_000 * 4, file.stdout().length);
            assertTrue(Arrays.equals(file.stdout(), Files.readAllBytes(out)), "the same as from the file");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** As {@code -d FILE | head -c 1000}: the reader takes 1000 bytes and closes the pipe. */
    @Test
    void readerThatQuitsEarlyEndsTheDecodeQuietly() throws Exception {
        List<String> command = List.of(jdk.java(), "-jar", jar.toAbsolutePath().toString(),
                "-d", ReferenceData.file("seed/seed_b32.ecdc").toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        environment(pb, ReferenceData.models());
        Path err = Files.createTempFile("encodec-it", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            byte[] first;
            try (InputStream out = p.getInputStream()) {
                first = out.readNBytes(1000);
            }
            assertEquals(1000, first.length);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the decode ends");
            assertEquals(Main.OK, p.exitValue(), Files.readString(err));
            assertEquals("", jdk.withoutUnsafeWarning(Files.readString(err)), "nothing on standard error, no stack trace");
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void playWithoutAudioDeviceSaysSo() throws Exception {
        Result r = run("play", "-ss", "6.9", ReferenceData.file("seed/seed_b6.ecdc").toString());
        assertTrue(r.exitCode() == Main.OK || r.exitCode() == Main.NO_AUDIO, r.toString());
        if (r.exitCode() == Main.NO_AUDIO) {
            assertEquals(1, r.errLines().size(), r.stderr());
            assertTrue(r.stderr().startsWith("encodec-stream: no audio output device found"), r.stderr());
        }
    }

    @Test
    void launcherScript() throws Exception {
        Path script = ReferenceData.repository().resolve(Paths.get("bin", "ecdc")).toAbsolutePath();
        assertTrue(Files.isRegularFile(script), script.toString());
        for (boolean viaEnvironment : new boolean[] {true, false}) {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "-i",
                    ReferenceData.file("seed/seed_b6.ecdc").toString());
            environment(pb, ReferenceData.models());
            pb.environment().put("JAVA_HOME", jdk.home().toString());
            if (viaEnvironment) {
                pb.environment().put("ENCODEC_JAR", jar.toAbsolutePath().toString());
            }
            Path out = Files.createTempFile("encodec-it", ".out");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectErrorStream(false).start();
                p.getOutputStream().close();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.exitValue(), stderr);
                assertEquals(Files.readString(ReferenceData.file("seed/seed_b6.seed-info.txt")), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }

    @Test
    void jarIsSelfContained() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertEquals("io.github.encodecstream.cli.Main", main.getValue(Attributes.Name.MAIN_CLASS));
            assertNotNull(main.getValue(Attributes.Name.IMPLEMENTATION_VERSION));
            assertEquals(null, main.getValue(Attributes.Name.CLASS_PATH), "no external class path");
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"), "java -jar on Java 22+: no warning");
            for (String cls : List.of("picocli/CommandLine.class", "ai/onnxruntime/OrtSession.class",
                    "com/fasterxml/jackson/databind/ObjectMapper.class", "net/razorvine/pickle/Unpickler.class",
                    "com/google/protobuf/Message.class")) {
                assertNotNull(file.getEntry(cls), cls);
            }
            assertTrue(file.stream().anyMatch(e -> e.getName().startsWith("ai/onnxruntime/native/")), "ONNX Runtime native library");
            List<JarEntry> services = file.stream()
                    .filter(e -> !e.isDirectory() && e.getName().matches("META-INF/services/[^/]+"))
                    .collect(Collectors.toList());
            for (JarEntry service : services) {
                for (String provider : providers(file.getInputStream(service))) {
                    assertNotNull(file.getEntry(provider.replace('.', '/') + ".class"),
                            service.getName() + " names " + provider + ", which is not in the jar");
                }
            }
            // the project's own service files are merged in whole
            Path own = jar.toAbsolutePath().getParent().resolve("classes/META-INF/services");
            if (Files.isDirectory(own)) {
                try (Stream<Path> files = Files.list(own)) {
                    for (Path p : files.collect(Collectors.toList())) {
                        JarEntry merged = file.getJarEntry("META-INF/services/" + p.getFileName());
                        assertNotNull(merged, "service file " + p.getFileName());
                        List<String> inJar = providers(file.getInputStream(merged));
                        try (InputStream in = Files.newInputStream(p)) {
                            assertTrue(inJar.containsAll(providers(in)), p.getFileName() + ": " + inJar);
                        }
                    }
                }
            }
        }
    }

    /** The executable jar: ONNX Runtime's natives for every platform, without macOS debug symbols. */
    @Test
    void fatJarHasEveryPlatformAndNoDebugSymbols() throws IOException {
        long size = Files.size(jar);
        report(jar.getFileName() + ": " + size + " bytes");
        assertTrue(size <= FAT_JAR_LIMIT, jar + " is " + size + " bytes, over " + FAT_JAR_LIMIT);
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNoDebugSymbols(file);
            Map<String, List<String>> natives = natives(file);
            if ("onnxruntime".equals(System.getProperty("encodec.onnxruntimeArtifact", "onnxruntime"))) {
                assertEquals(PLATFORMS.stream().sorted().collect(Collectors.toList()),
                        natives.keySet().stream().sorted().collect(Collectors.toList()), natives.toString());
            }
            assertNotNull(file.getEntry("META-INF/LICENSE"), "the licence");
            JarEntry notice = file.getJarEntry("META-INF/NOTICE");
            assertNotNull(notice, "the notice");
            try (InputStream in = file.getInputStream(notice)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.startsWith("encodec-stream"), "ours first: " + text);
                assertTrue(text.contains("CC-BY-NC 4.0"), "EnCodec's weights are licensed separately");
            }
        }
    }

    /**
     * {@code target/encodec-stream-PLATFORM.jar}, where built: executable, self-contained, with that
     * platform's natives only, at most 25 MB; the one for this machine decodes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linux-x64", "linux-aarch64", "osx-aarch64", "win-x64"})
    void platformJarHoldsOnlyItsPlatform(String platform) throws Exception {
        Path platformJar = jar.toAbsolutePath().resolveSibling(
                jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-" + platform + ".jar");
        assumeTrue(Files.isRegularFile(platformJar), "not built (-DplatformJars.skip=true or -Pgpu): " + platformJar);
        long size = Files.size(platformJar);
        report(platformJar.getFileName() + ": " + size + " bytes");
        assertTrue(size <= PLATFORM_JAR_LIMIT, platformJar + " is " + size + " bytes, over " + PLATFORM_JAR_LIMIT);
        try (JarFile file = new JarFile(platformJar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertEquals("io.github.encodecstream.cli.Main", main.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            assertNoDebugSymbols(file);
            Map<String, List<String>> natives = natives(file);
            assertEquals(List.of(platform), List.copyOf(natives.keySet()), natives.toString());
            assertTrue(natives.get(platform).stream().anyMatch(n -> n.contains("onnxruntime4j_jni")), natives.toString());
            assertTrue(natives.get(platform).stream().anyMatch(n -> n.matches("(lib)?onnxruntime\\.(so|dylib|dll)")),
                    natives.toString());
            for (String cls : List.of("ai/onnxruntime/OrtSession.class", "com/google/protobuf/Message.class",
                    "picocli/CommandLine.class")) {
                assertNotNull(file.getEntry(cls), cls);
            }
        }
        if (platform.equals(thisPlatform())) {
            Case c = ReferenceCases.named("24k_short");
            Result r = java(List.of("-jar", platformJar.toString(), "decode", "--native", "--format", "f32le",
                    c.file(".ecdc").toString()), ReferenceData.models(), null);
            assertEquals(Main.OK, r.exitCode(), r.toString());
            assertEquals("", r.stderr());
            assertMatchesReference(c, r.stdout());
        }
    }

    /** The main artifact (what Maven users depend on, the module-path jar): our classes, no dependency's. */
    @Test
    void thinJarHoldsNoDependency() throws IOException {
        String configured = System.getProperty("encodec.thinJar");
        assumeTrue(configured != null && !configured.isBlank(), "-Dencodec.thinJar not set (failsafe sets it)");
        Path thin = Paths.get(configured);
        assertTrue(Files.isRegularFile(thin), "no thin jar at " + thin.toAbsolutePath() + " (run mvn verify)");
        report(thin.getFileName() + ": " + Files.size(thin) + " bytes");
        try (JarFile file = new JarFile(thin.toFile())) {
            assertNotNull(file.getEntry("module-info.class"), "modular");
            for (String dependency : List.of("ai/onnxruntime/", "net/razorvine/", "com/google/protobuf/",
                    "com/fasterxml/", "picocli/", "me/tongfei/", "org/jline/")) {
                assertFalse(file.stream().anyMatch(e -> e.getName().startsWith(dependency)), dependency);
            }
            List<String> foreign = file.stream().map(JarEntry::getName)
                    .filter(n -> !n.startsWith("META-INF/") && !n.equals("module-info.class"))
                    .filter(n -> !n.startsWith(OWN_PACKAGE) && !OWN_PACKAGE.startsWith(n))
                    .collect(Collectors.toList());
            assertEquals(List.of(), foreign, "only io/github/encodecstream/ and META-INF/");
            assertFalse(file.stream().anyMatch(e -> e.getName().startsWith(OWN_PACKAGE + "cli/")),
                    "the command line is a module of its own");
            assertNotNull(file.getEntry("META-INF/LICENSE"), "the licence");
            assertEquals(null, file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH));
        }
    }

    /** The library's runtime dependencies (core/target/lib): none of the command line's (picocli, progressbar, jline). */
    @Test
    void libraryNeedsNoCommandLine() throws IOException {
        String configured = System.getProperty("encodec.lib");
        assumeTrue(configured != null && !configured.isBlank(), "-Dencodec.lib not set (failsafe sets it)");
        List<String> jars;
        try (var list = Files.list(Paths.get(configured))) {
            jars = list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        report("the library's dependencies: " + jars);
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("onnxruntime")), jars.toString());
        assertEquals(List.of(), jars.stream().filter(n -> n.startsWith("picocli") || n.startsWith("progressbar")
                || n.startsWith("jline")).collect(Collectors.toList()), "command-line dependencies in the library's");
    }

    /** What {@code package} writes for publishing beside the thin jar: its sources and its javadoc. */
    @Test
    void sourcesAndJavadocJars() throws IOException {
        String configured = System.getProperty("encodec.thinJar");
        assumeTrue(configured != null && !configured.isBlank(), "-Dencodec.thinJar not set (failsafe sets it)");
        String base = Paths.get(configured).toAbsolutePath().toString().replaceFirst("\\.jar$", "");
        try (JarFile sources = new JarFile(base + "-sources.jar"); JarFile javadoc = new JarFile(base + "-javadoc.jar")) {
            assertNotNull(sources.getEntry("module-info.java"), sources.getName());
            assertTrue(sources.stream().filter(e -> e.getName().endsWith(".java")).count() > 10, sources.getName());
            assertNotNull(javadoc.getEntry("index.html"), javadoc.getName());
        }
    }

    /** ONNX Runtime's native files by platform: {@code ai/onnxruntime/native/PLATFORM/FILE}. */
    static Map<String, List<String>> natives(JarFile file) {
        return file.stream().filter(e -> !e.isDirectory())
                .map(JarEntry::getName)
                .filter(n -> n.startsWith("ai/onnxruntime/native/"))
                .map(n -> n.substring("ai/onnxruntime/native/".length()))
                .collect(Collectors.groupingBy(n -> n.substring(0, n.indexOf('/')), java.util.TreeMap::new,
                        Collectors.mapping(n -> n.substring(n.indexOf('/') + 1), Collectors.toList())));
    }

    static void assertNoDebugSymbols(JarFile file) {
        List<String> debug = file.stream().map(JarEntry::getName)
                .filter(n -> n.contains(".dSYM/") || n.endsWith(".dSYM")).collect(Collectors.toList());
        assertEquals(List.of(), debug, "macOS debug symbols (.dSYM)");
    }

    /** This machine as ONNX Runtime names its native folders, or null. */
    static String thisPlatform() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx"
                : os.startsWith("windows") ? "win" : null;
        return cpu == null || system == null ? null : system + "-" + cpu;
    }

    private static List<String> providers(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty())
                    .collect(Collectors.toList());
        }
    }
}
