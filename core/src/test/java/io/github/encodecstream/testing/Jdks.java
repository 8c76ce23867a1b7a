package io.github.encodecstream.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDKs the jar tests ({@code *IT}) run their child {@code java} processes on: {@link #RUNNING} (the
 * JVM running the tests, {@code java.home}) and {@link #JAVA_25} (Java 25, from {@code -Dencodec.java25},
 * else {@code JAVA25_HOME}, else {@value #JAVA_25_DEFAULT}). A test class parameterised over {@link #NAMES}
 * calls {@link #named(String)}, which skips (with a message) where that JDK is not installed.
 */
public final class Jdks {
    /** The parameter values: {@code @ParameterizedClass @ValueSource(strings = {Jdks.RUNNING, Jdks.JAVA_25})}. */
    public static final String RUNNING = "running JVM";
    public static final String JAVA_25 = "Java 25";
    public static final List<String> NAMES = List.of(RUNNING, JAVA_25);
    static final String JAVA_25_DEFAULT = "/usr/lib/jvm/temurin-25-jdk-amd64";

    /** Java 22 and later warn about ONNX Runtime's {@code System.load} unless native access is enabled. */
    public static final int NATIVE_ACCESS_WARNING_FROM = 22;
    /** Java 24 and later warn once when protobuf first calls a {@code sun.misc.Unsafe} memory-access method. */
    public static final int UNSAFE_WARNING_FROM = 24;

    /**
     * The four lines Java 24+ print when protobuf first calls a {@code sun.misc.Unsafe} memory-access method
     * (once per JVM: when the first ONNX graph is serialised). {@code (?m)}: line by line.
     */
    public static final Pattern PROTOBUF_UNSAFE_WARNING = Pattern.compile(
            "^WARNING: A terminally deprecated method in sun\\.misc\\.Unsafe has been called\\R"
                    + "WARNING: sun\\.misc\\.Unsafe::\\w+ has been called by com\\.google\\.protobuf\\.[\\w$.]+ \\([^)\\n]*\\)\\R"
                    + "WARNING: Please consider reporting this to the maintainers of class com\\.google\\.protobuf\\.[\\w$.]+\\R"
                    + "WARNING: sun\\.misc\\.Unsafe::\\w+ will be removed in a future release\\R",
            Pattern.MULTILINE);

    /** A JDK: its home, its feature release (17, 25...). */
    public record Jdk(String name, Path home, int feature) {
        public String java() {
            return tool("java");
        }

        public String tool(String tool) {
            return home.resolve("bin").resolve(tool).toString();
        }

        /**
         * Standard error without the protobuf {@code sun.misc.Unsafe} warning this JDK prints (Java 24+; at
         * most once); on older JDKs it is returned as it is, so tests of an empty standard error stay exact.
         */
        public String withoutUnsafeWarning(String stderr) {
            if (feature < UNSAFE_WARNING_FROM) {
                return stderr;
            }
            return PROTOBUF_UNSAFE_WARNING.matcher(stderr).replaceFirst("");
        }

        @Override
        public String toString() {
            return name + " (" + feature + ", " + home + ")";
        }
    }

    private Jdks() {}

    /** The JDK of that name ({@link #RUNNING} or {@link #JAVA_25}); skips the calling test where it is missing. */
    public static Jdk named(String name) {
        if (RUNNING.equals(name)) {
            return new Jdk(name, Paths.get(System.getProperty("java.home")), Runtime.version().feature());
        }
        if (!JAVA_25.equals(name)) {
            throw new IllegalArgumentException(name);
        }
        String configured = System.getProperty("encodec.java25");
        String from = "-Dencodec.java25";
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("JAVA25_HOME");
            from = "JAVA25_HOME";
        }
        if (configured == null || configured.isBlank()) {
            configured = JAVA_25_DEFAULT;
            from = "the default path";
        }
        Path home = Paths.get(configured);
        assumeTrue(Files.isExecutable(home.resolve("bin").resolve("java")),
                "Java 25 not found at " + home + " (" + from + "); set JAVA25_HOME to run the jar tests on Java 25");
        int feature = feature(home);
        assumeTrue(feature >= 25, "the JDK at " + home + " (" + from + ") is Java " + feature + ", not 25 or later");
        assumeTrue(feature != Runtime.version().feature(),
                "Java 25 at " + home + " is the running JVM's release: its cases run as '" + RUNNING + "'");
        return new Jdk(name, home, feature);
    }

    /** The feature release of the JDK at {@code home}, from its {@code release} file, else {@code java -version}. */
    static int feature(Path home) {
        Pattern version = Pattern.compile("(?:JAVA_VERSION=\"|version \")(\\d+)");
        try {
            Path release = home.resolve("release");
            String text;
            if (Files.isRegularFile(release)) {
                text = Files.readString(release, StandardCharsets.UTF_8);
            } else {
                Process p = new ProcessBuilder(home.resolve("bin").resolve("java").toString(), "-version")
                        .redirectErrorStream(true).start();
                text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(60, TimeUnit.SECONDS);
            }
            Matcher m = version.matcher(text);
            assumeTrue(m.find(), "no Java version found for " + home);
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            assumeTrue(false, "cannot run " + home + "/bin/java: " + e);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
