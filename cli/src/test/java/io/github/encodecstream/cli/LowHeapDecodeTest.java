package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding in a small heap (a child JVM with {@code -Xmx96m}): the first run prepares the model
 * (reading the checkpoint, building the graphs), the second loads it prepared; a heap too small
 * for either ends in one line and exit code 1, not a stack trace.
 */
@ExtendWith(ReferenceModels.class)
class LowHeapDecodeTest {
    private static final String MAIN = Main.class.getName();

    private static ChildJvm.Result decode(String heap, Case c, Path out) throws Exception {
        ProcessBuilder builder = ChildJvm.builder(MAIN, "decode", "-f", "f32le", "-o", out.toString(), c.file(".ecdc").toString());
        List<String> command = builder.command();
        command.add(command.indexOf("-cp"), "-Xmx" + heap);
        return ChildJvm.run(builder, 300);
    }

    @ParameterizedTest
    @ValueSource(strings = {"48k_bw6", "24k_bw6"})
    void decodesIn96Megabytes(String name, @TempDir Path dir) throws Exception {
        Case c = ReferenceCases.named(name);
        for (String run : new String[] {"preparing", "prepared"}) {
            Path out = dir.resolve(run + ".f32");
            ChildJvm.Result r = decode("96m", c, out);
            assertEquals(Main.OK, r.exitCode(), run + ": " + r);
            assertTrue(Files.size(out) >= c.length() * c.channels() * 4, run + ": " + Files.size(out) + " bytes");
        }
        assertEquals(-1, Files.mismatch(dir.resolve("preparing.f32"), dir.resolve("prepared.f32")));
    }

    @Test
    void tooSmallAHeapIsOneLine(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = decode("12m", ReferenceCases.named("24k_bw6"), dir.resolve("out.f32"));
        assertEquals(Main.ERROR, r.exitCode(), r.toString());
        assertTrue(r.stderr().startsWith("encodec-stream: out of memory"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }
}
