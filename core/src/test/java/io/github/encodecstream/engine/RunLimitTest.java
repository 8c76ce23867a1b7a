package io.github.encodecstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InterruptedIOException;
import org.junit.jupiter.api.Test;

/** The limit on network runs at once (the models' CPU budget across their streams: {@code codec.RunBudgetTest}). */
class RunLimitTest {
    @Test
    void aWaitingRunIsInterruptible() throws Exception {
        RunLimit limit = new RunLimit(1);
        try (RunLimit.Permit held = limit.acquire()) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedIOException.class, limit::acquire);
            assertEquals(true, Thread.interrupted(), "the interrupt stays set");
        }
        limit.acquire().close(); // released: free again
    }
}
