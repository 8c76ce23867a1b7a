package io.github.encodecstream.codec;

import io.github.encodecstream.runtime.NativeCalls;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@link Models#threads()} network runs at once across all the streams of one
 * {@link Models}: the CPU budget holds for a process that decodes or encodes many streams at once
 * (a Java Sound host, a batch job), not only for one stream, so the cores are not oversubscribed
 * and ONNX Runtime's arena, which keeps the memory of the most runs it ever served at once, stays
 * bounded by the budget rather than by the number of streams. Fair: runs start in the order they
 * asked. A permit is also a {@link NativeCalls} call: the JVM does not exit while it is held, and
 * none is given once it shuts down.
 */
final class RunLimit {
    /** No limit (models built outside {@link Models}, in tests). */
    static final RunLimit NONE = new RunLimit(Integer.MAX_VALUE);

    private final Semaphore permits;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    RunLimit(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        this.permits = new Semaphore(runs, true);
    }

    /** A permit to run a network, held until closed. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a permit.
     *
     * @throws InterruptedIOException when interrupted while waiting (the interrupt stays set), or
     *     when the JVM is shutting down
     */
    Permit acquire() throws InterruptedIOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to run the network");
        }
        NativeCalls.Call call;
        try {
            call = NativeCalls.enter();
        } catch (InterruptedIOException shuttingDown) {
            permits.release();
            throw shuttingDown;
        }
        peak.accumulateAndGet(inUse.incrementAndGet(), Math::max);
        return () -> {
            inUse.decrementAndGet();
            call.close();
            permits.release();
        };
    }

    /** The most runs that held a permit at once (for tests). */
    int peak() {
        return peak.get();
    }
}
