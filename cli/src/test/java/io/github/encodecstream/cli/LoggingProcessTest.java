package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's logging, as {@code Main.main} sets it up (in a child JVM): quiet by default,
 * the library's debug lines with {@code -v}, the model store's download notices always.
 */
@ExtendWith(ReferenceModels.class)
class LoggingProcessTest {
    private static final String MAIN = Main.class.getName();

    @Test
    void decodeIsSilentOnStandardErrorWithoutV(@TempDir Path dir) throws Exception {
        String file = ReferenceData.file("vectors/24k_short.ecdc").toString();
        String out = dir.resolve("out.s16").toString();
        ChildJvm.Result quiet = ChildJvm.run(ChildJvm.builder(MAIN, "decode", "-g", "auto", "-o", out, file), 120);
        assertEquals(Main.OK, quiet.exitCode(), quiet.toString());
        assertEquals("", quiet.stderr());

        ChildJvm.Result verbose = ChildJvm.run(ChildJvm.builder(MAIN, "decode", "-v", "-g", "auto", "-o", out, file), 120);
        assertEquals(Main.OK, verbose.exitCode(), verbose.toString());
        assertTrue(verbose.stderr().contains("encodec-stream: device auto: using "), verbose.stderr());
        assertTrue(verbose.stderr().lines().allMatch(l -> l.startsWith("encodec-stream: ")), verbose.stderr());
    }

    @Test
    void downloadNoticesShowWithoutV(@TempDir Path models, @TempDir Path cache) throws Exception {
        String file = ReferenceData.file("vectors/24k_short.ecdc").toString();
        Map<String, String> online = Map.of("encodec.models", models.toString(), "encodec.cache", cache.toString(),
                "encodec.offline", "false", "encodec.modelsUrl", "http://127.0.0.1:9/", // nothing listens there
                "encodec.models.allowHttp", "true");
        ChildJvm.Result r = ChildJvm.run(ChildJvm.builder(online, MAIN, "decode", "-o", "-", file), 120);
        assertEquals(Main.MISSING_MODEL, r.exitCode(), r.toString());
        assertEquals(0, r.stdout().length);
        assertTrue(r.stderr().startsWith("encodec-stream: Downloading encodec_24khz from http://127.0.0.1:9/"),
                r.stderr());
    }

    /**
     * ONNX Runtime's natives that cannot load (no cache, no temporary folder to extract them to): the
     * input's own error still comes first, and otherwise one line says why the natives did not load.
     */
    @Test
    void onnxRuntimeThatCannotStartIsReportedAfterTheInputsErrors(@TempDir Path dir) throws Exception {
        Map<String, String> noNatives = Map.of("encodec.cache", "/proc/no-cache-here", "java.io.tmpdir", "/proc/no-tmp-here");
        ChildJvm.Result missing = ChildJvm.run(ChildJvm.builder(noNatives, MAIN, "decode", "-o", "-",
                dir.resolve("missing.ecdc").toString()), 120);
        assertEquals(Main.BAD_INPUT, missing.exitCode(), missing.toString());
        assertTrue(!missing.stderr().contains("did not start") && missing.stderr().contains("no such file"), missing.stderr());

        String file = ReferenceData.file("vectors/24k_short.ecdc").toString();
        ChildJvm.Result r = ChildJvm.run(ChildJvm.builder(noNatives, MAIN, "decode", "-o", "-", file), 120);
        assertEquals(Main.ERROR, r.exitCode(), r.toString());
        String last = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("encodec-stream: ONNX Runtime did not start: ")
                && !last.contains("ExceptionInInitializerError") && !r.stderr().contains("\tat "), r.stderr());
    }
}
