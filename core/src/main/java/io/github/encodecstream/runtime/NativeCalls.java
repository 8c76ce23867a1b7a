package io.github.encodecstream.runtime;

import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * ONNX Runtime's native calls in flight (session runs with the tensors around them, session
 * creation and closing), counted so that a process can end them before it exits.
 *
 * <p>ONNX Runtime's Java binding (1.26) releases its environment in a shutdown hook of its own,
 * which runs at the same time as every other hook; a thread still inside a session run then
 * crashes the JVM (SIGSEGV in {@code libonnxruntime.so}, exit code 134 instead of the one asked
 * for). That happened when Ctrl-C stopped {@code play} while a worker decoded the next segment.
 * So the command line, on a signal, first calls {@link #drain}: no new call starts (a call that
 * has not started fails with an {@link InterruptedIOException} that says so) and the running
 * ones end; only then does it exit. Releasing native memory ({@link #release}) is skipped once
 * drained: the memory goes with the process.
 */
public final class NativeCalls {
    private static final System.Logger LOG = System.getLogger(NativeCalls.class.getName());
    private static final NativeCalls PROCESS = new NativeCalls();

    private int running;
    private boolean closed;

    NativeCalls() {}

    /** A native call in progress; closing it (once or more) ends it. */
    public interface Call extends AutoCloseable {
        @Override
        void close();
    }

    /** A release of native memory: closing a session, a tensor, a run's results. */
    @FunctionalInterface
    public interface Release<E extends Exception> {
        /** Releases it. */
        void run() throws E;
    }

    /**
     * Starts a native call; close it when the call has returned.
     *
     * @throws InterruptedIOException when the JVM is shutting down
     */
    public static Call enter() throws InterruptedIOException {
        return PROCESS.begin();
    }

    /** Runs {@code release} as a native call, or not at all when the JVM is shutting down. */
    public static <E extends Exception> void release(Release<E> release) throws E {
        PROCESS.releaseUnlessClosed(release);
    }

    /** Whether {@link #drain} was called: the process is ending and native calls are refused. */
    public static boolean shuttingDown() {
        return PROCESS.closed();
    }

    /**
     * Refuses new native calls from now on, for good, and waits up to {@code millis} for those
     * running to end; returns whether none runs. For a process about to exit.
     */
    public static boolean drain(long millis) {
        return PROCESS.drainCalls(millis);
    }

    synchronized Call begin() throws InterruptedIOException {
        if (closed) {
            throw new InterruptedIOException("the process is ending: no new ONNX Runtime call starts");
        }
        running++;
        return new Call() {
            private boolean ended;

            @Override
            public void close() {
                if (!ended) {
                    ended = true;
                    end();
                }
            }
        };
    }

    <E extends Exception> void releaseUnlessClosed(Release<E> release) throws E {
        Call call;
        try {
            call = begin();
        } catch (InterruptedIOException shuttingDown) {
            return;
        }
        try (call) {
            release.run();
        }
    }

    private synchronized void end() {
        if (--running == 0) {
            notifyAll();
        }
    }

    synchronized boolean closed() {
        return closed;
    }

    /**
     * Refuses new calls from now on and waits up to {@code millis} for those running to end;
     * returns whether none runs.
     */
    synchronized boolean drainCalls(long millis) {
        closed = true;
        awaitWhile(this, () -> running > 0, millis);
        if (running > 0) {
            LOG.log(Level.WARNING, running + " ONNX Runtime call(s) still running after " + millis + " ms");
        }
        return running == 0;
    }

    /**
     * Waits on {@code monitor}, which the caller holds and notifies when {@code busy} may have
     * changed, while {@code busy} holds, at most {@code millis}; an interrupt does not end the
     * wait but stays set. Returns whether {@code busy} no longer holds.
     */
    public static boolean awaitWhile(Object monitor, BooleanSupplier busy, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        while (busy.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                monitor.wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !busy.getAsBoolean();
    }
}
