package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Ctrl-C in the middle of a command run in a child JVM: what it must leave behind. */
final class CtrlC {
    /** Whether the child has got where it is interrupted. */
    interface Condition {
        boolean holds() throws IOException;
    }

    private CtrlC() {}

    /**
     * Runs the command line with {@code args} in a child JVM (stderr into {@code dir/err.txt}), writes
     * {@code input} to its stdin and leaves the pipe open, waits (60 s at most) until {@code working},
     * then interrupts it; asserts that it exits with {@link Main#INTERRUPTED} and that {@code output},
     * which held {@code old}, still does.
     */
    static void interrupt(Path dir, byte[] input, Condition working, Path output, byte[] old, String... args)
            throws Exception {
        Path err = dir.resolve("err.txt");
        Process p = ChildJvm.builder(Main.class.getName(), args)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            p.getOutputStream().write(input); // the pipe stays open
            p.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!working.holds()) {
                assertTrue(System.nanoTime() < deadline, "not working after 60 s");
                assertTrue(p.isAlive(), "exited: " + Files.readString(err));
                Thread.sleep(50);
            }
            Thread.sleep(300);
            ChildJvm.interrupt(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running after Ctrl-C");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(Main.INTERRUPTED, p.exitValue(), Files.readString(err));
        assertArrayEquals(old, Files.readAllBytes(output));
    }
}
