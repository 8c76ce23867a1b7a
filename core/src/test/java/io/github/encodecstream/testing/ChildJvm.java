package io.github.encodecstream.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a new JVM: this JVM's {@code java}, its class path (target/classes and the
 * test class path) and its {@code encodec.*} system properties (what {@link ReferenceModels} sets),
 * without the caller's {@code ENCODEC_*} settings and JVM options from the environment.
 * For what has to be in place before the JVM starts: the environment (ALSA's configuration), the
 * command line's own logging set-up ({@code Main.main}), signals.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** A process builder for {@code java -cp ... -Dencodec.*=... mainClass args}. */
    public static ProcessBuilder builder(String mainClass, String... args) {
        return builder(Map.of(), mainClass, args);
    }

    /** The same with some system properties other than this JVM's. */
    public static ProcessBuilder builder(Map<String, String> properties, String mainClass, String... args) {
        Map<String, String> all = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("encodec."))
                .forEach(k -> all.put(k, System.getProperty(k)));
        all.putAll(properties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (sigintIgnored()) {
            // a JVM started with SIGINT ignored (this one is a background job without job control) keeps
            // ignoring it: perl (perl-base, always there on Debian) restores the default, then runs java
            command.addAll(0, List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""));
        }
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // nothing from the caller's settings, and no "Picked up ..._OPTIONS" notes on standard error
        builder.environment().keySet().removeIf(k -> k.startsWith("ENCODEC_") || k.equals("CLASSPATH")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        return builder;
    }

    /** What a child wrote, and its exit code. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", stderr: " + stderr;
        }
    }

    /** Runs the process to its end (at most {@code seconds}), standard input empty, capturing both outputs. */
    public static Result run(ProcessBuilder builder, long seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("child-jvm");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        try {
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("still running after " + seconds + " s: " + builder.command()
                        + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }

    /** Sends {@code SIGINT} (Ctrl-C) to a process. */
    public static void interrupt(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + process.pid()).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -INT " + process.pid() + " failed");
        }
    }

    /** Whether this process ignores SIGINT (Linux: /proc/self/status), which its children inherit. */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (2 - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return false;
    }
}
