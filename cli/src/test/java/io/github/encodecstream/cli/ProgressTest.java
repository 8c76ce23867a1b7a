package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Progress}: a bar asked for shows at once, one that was not only once the work takes a while. */
class ProgressTest {
    private static final long TOTAL = 48_000;

    @Test
    void whenABarIsWanted() {
        assertEquals(Progress.Show.NEVER, Progress.wanted(true, true, true));
        assertEquals(Progress.Show.NOW, Progress.wanted(false, true, false));
        if (System.console() == null) { // as under the build: standard streams redirected
            assertEquals(Progress.Show.NEVER, Progress.wanted(false, false, true));
        } else {
            assertEquals(Progress.Show.DEFERRED, Progress.wanted(false, false, true));
        }
        assertEquals(Progress.Show.NEVER, Progress.wanted(false, false, false));
    }

    @Test
    void askedForShowsAtOnce() {
        assertTrue(run(Progress.Show.NOW, 0).contains("100%"));
    }

    @Test
    void neverShowsNothing() {
        assertEquals("", run(Progress.Show.NEVER, 0));
    }

    @Test
    void deferredShowsOnlyAfterTheDelay() throws Exception {
        assertEquals("", run(Progress.Show.DEFERRED, 0), "work shorter than the delay: no bar");
        String late = run(Progress.Show.DEFERRED, Progress.DEFER_MILLIS + 100);
        assertTrue(late.contains("Working") && late.contains("100%"), late);
    }

    /** A bar's output for work that steps to the end after {@code workMillis}. */
    private static String run(Progress.Show show, long workMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress progress = Progress.start(show, "Working", TOTAL, 48_000, err)) {
            progress.stepTo(TOTAL / 2);
            Thread.sleep(workMillis);
            progress.stepTo(TOTAL);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
