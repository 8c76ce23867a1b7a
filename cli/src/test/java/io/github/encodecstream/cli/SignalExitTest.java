package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal in the middle of a decode (a separate JVM, its standard output read for a moment and
 * then left full): the JVM's usual exit code, 128 + the signal's number, and no error message for
 * the work cut short ({@link SignalExit}: the network runs in flight end before the JVM exits).
 */
@ExtendWith(ReferenceModels.class)
class SignalExitTest {
    @Test
    void ctrlCExits130Quietly(@TempDir Path dir) throws Exception {
        assertEquals(130, stopDecode(dir, true));
    }

    @Test
    void sigtermExits143Quietly(@TempDir Path dir) throws Exception {
        assertEquals(143, stopDecode(dir, false));
    }

    /** Starts a decode, waits for its first audio, signals it; returns its exit code. */
    private static int stopDecode(Path dir, boolean interrupt) throws Exception {
        Path err = dir.resolve("err.txt");
        Process p = ChildJvm.builder(Main.class.getName(), "decode",
                        ReferenceData.file("seed/seed_b6.ecdc").toString())
                .redirectError(err.toFile()).start();
        try {
            p.getOutputStream().close();
            InputStream audio = p.getInputStream();
            assertTrue(audio.readNBytes(4800).length == 4800, "no audio: " + Files.readString(err));
            if (interrupt) {
                ChildJvm.interrupt(p);
            } else {
                // SIGTERM alone: Process.destroy() would also close our end of the pipe, and the
                // child, seeing its reader gone, may end quietly (exit 0) before the signal is handled
                p.toHandle().destroy();
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running 30 s after the signal");
        } finally {
            p.destroyForcibly();
        }
        assertEquals("", Files.readString(err, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
