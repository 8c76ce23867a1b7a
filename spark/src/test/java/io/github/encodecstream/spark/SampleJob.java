package io.github.encodecstream.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.encodecstream.cli.CommandLine;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.apache.spark.sql.SparkSession;

/**
 * The sample job of {@code scripts/spark-encode} ({@code samples/spark-encode/SparkEncode.java}) for
 * the tests: compiled into a folder, run in a session, its files compared with the command line's.
 */
final class SampleJob {
    private static final Path SOURCE = ReferenceData.repository().resolve("samples/spark-encode/SparkEncode.java");

    private SampleJob() {}

    /** Compiles the sample into {@code classes} and runs {@code SparkEncode.run}; returns its counts. */
    static long[] run(Path classes, SparkSession spark, Path input, Path output, double kbps) throws Exception {
        Files.createDirectories(classes);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), "-cp", System.getProperty("java.class.path"), SOURCE.toString()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                SampleJob.class.getClassLoader())) {
            return (long[]) loader.loadClass("SparkEncode")
                    .getMethod("run", SparkSession.class, Path.class, Path.class, double.class)
                    .invoke(null, spark, input, output, kbps);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    /**
     * Checks that {@code ecdcDir} holds, for each of {@code wavs}, {@code NAME.ecdc} byte for byte as
     * {@code encode -b KBPS} writes it (into {@code scratch}), and nothing else.
     */
    static void assertSameAsEncode(List<Path> wavs, Path ecdcDir, String kbps, Path scratch) throws IOException {
        try (var listed = Files.list(ecdcDir)) {
            assertEquals(wavs.size(), listed.count(), "files in " + ecdcDir);
        }
        for (Path wav : wavs) {
            Path expected = scratch.resolve(wav.getFileName() + ".cli.ecdc");
            CommandLine.Result cli = CommandLine.run("encode", "-q", "-b", kbps, "-o", expected.toString(), wav.toString());
            assertEquals(0, cli.exitCode(), cli.stderr());
            assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(ecdcDir.resolve(wav.getFileName() + ".ecdc")),
                    wav.toString());
        }
    }
}
