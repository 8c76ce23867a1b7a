package io.github.encodecstream.engine;

import io.github.encodecstream.runtime.NativeCalls;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * At most {@link io.github.encodecstream.codec.Models#threads()} network runs at once across all the streams of one
 * {@link io.github.encodecstream.codec.Models}: the CPU budget holds for a process that decodes or encodes many streams at once
 * (a Java Sound host, a batch job), not only for one stream, so the cores are not oversubscribed
 * and ONNX Runtime's arena, which keeps the memory of the most runs it ever served at once, stays
 * bounded by the budget rather than by the number of streams. Fair: runs start in the order they
 * asked. A permit is also a {@link NativeCalls} call: the JVM does not exit while it is held, and
 * none is given once it shuts down.
 *
 * <p>Every run of the models' sessions holds a permit, so {@link #close} is how {@link io.github.encodecstream.codec.Models}
 * frees its sessions safely: it refuses permits from then on (a run asking for one fails with an
 * {@link IllegalStateException}) and has the sessions released once the runs holding one have
 * ended, never under a running one (ONNX Runtime would crash the JVM).
 */
public final class RunLimit {
    /** No limit (models built outside {@link io.github.encodecstream.codec.Models}, in tests). */
    static final RunLimit NONE = new RunLimit(Integer.MAX_VALUE);

    private final Semaphore permits;
    /** Runs holding a permit (guarded by this). */
    private int inUse;
    private int peak;
    private boolean closed;
    /** What {@link #close} left for the last run in flight to do; null if none. */
    private Runnable whenIdle;

    /** At most {@code runs} network runs at once. */
    public RunLimit(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        this.permits = new Semaphore(runs, true);
    }

    /** A permit to run a network, held until closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a permit.
     *
     * @throws InterruptedIOException when interrupted while waiting (the interrupt stays set), or
     *     when the JVM is shutting down
     * @throws IllegalStateException when the limit is closed (the models were closed)
     */
    public Permit acquire() throws InterruptedIOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to run the network");
        }
        synchronized (this) {
            if (closed) {
                permits.release(); // to the next one waiting, which fails the same way
                throw closedException();
            }
            inUse++;
            peak = Math.max(peak, inUse);
        }
        NativeCalls.Call call;
        try {
            call = NativeCalls.enter();
        } catch (InterruptedIOException shuttingDown) {
            end();
            throw shuttingDown;
        }
        return new Permit() {
            private boolean released;

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    call.close();
                    end();
                }
            }
        };
    }

    /** Gives a permit back; the last one after {@link #close} runs what close left. */
    private void end() {
        Runnable last = null;
        synchronized (this) {
            inUse--;
            if (inUse == 0) {
                notifyAll();
                if (closed) {
                    last = whenIdle;
                    whenIdle = null;
                }
            }
        }
        permits.release();
        if (last != null) {
            last.run();
        }
    }

    /**
     * Refuses permits from now on, waits up to {@code millis} for the runs holding one to end, and
     * runs {@code release} once none does: here when they ended in time, else on the thread of the
     * last one to end. Returns whether {@code release} ran here. Only the first call does anything.
     */
    public boolean close(long millis, Runnable release) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            if (!NativeCalls.awaitWhile(this, () -> inUse > 0, millis)) {
                whenIdle = release;
                return false;
            }
        }
        release.run();
        return true;
    }

    /** Whether {@link #close} was called. */
    public synchronized boolean closed() {
        return closed;
    }

    /** The most runs that held a permit at once (for tests). */
    public synchronized int peak() {
        return peak;
    }

    /** What using closed models throws: a run of their networks, a load, a stream's next chunk. */
    public static IllegalStateException closedException() {
        return new IllegalStateException("models closed");
    }
}
