package io.github.encodecstream.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@code close()} from one thread ends a call waiting in another: both within 5 s (CI's bound). */
public final class CloseEndsACall {
    private CloseEndsACall() {}

    /**
     * Closes {@code closeable} while {@code call} waits in another thread: asserts that
     * {@code close()} returns and {@code call} fails with an {@link IOException} within 5 s each, and
     * returns that exception.
     */
    public static IOException assertCloseEnds(AutoCloseable closeable, Future<?> call) throws Exception {
        long start = System.nanoTime();
        closeable.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
        long endMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(closeMillis < 5000, "close() took " + closeMillis + " ms");
        assertTrue(endMillis < 5000, "the call ended " + endMillis + " ms after close()");
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        return (IOException) e.getCause();
    }
}
