package io.github.encodecstream.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one decoder or encoder runs its networks on: at most {@code threads} of its tasks
 * run at once, on daemon threads of one process-wide pool (threads are reused between streams and
 * end after a minute unused, so opening many streams over time neither piles up threads nor, with
 * them, the C allocator's per-thread arenas). A thread running a task is named
 * {@code encodec-NAME-...}. {@link #close()} cancels the tasks not started, interrupts the
 * running ones and returns at once, without waiting for them (a network run cannot be stopped
 * half-way; each holds a {@link RunLimit} permit, which keeps the sessions and the JVM alive until
 * it ends); their results are dropped. What the running tasks use is released by
 * {@link #close(Runnable)}'s action once the last of them has ended.
 */
public final class Workers implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService SHARED = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "encodec-worker-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

    private final int threads;
    private final String name;
    private final ArrayDeque<FutureTask<?>> queued = new ArrayDeque<>();
    private final ArrayDeque<FutureTask<?>> running = new ArrayDeque<>();
    private boolean closed;
    /** What runs once the running tasks of a closed object have ended; null if nothing. */
    private Runnable whenIdle;

    /** At most {@code threads} tasks at once, on threads named {@code encodec-NAME-...}. */
    public Workers(int threads, String name) {
        this.threads = threads;
        this.name = "encodec-" + name + "-" + IDS.incrementAndGet();
    }

    /** How many tasks run at once. */
    public int threads() {
        return threads;
    }

    /** Queues a task; it starts when fewer than {@link #threads()} of this object's tasks run. */
    public <T> Future<T> submit(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        synchronized (this) {
            if (closed) {
                future.cancel(false);
                return future;
            }
            queued.add(future);
            dispatch();
        }
        return future;
    }

    /** Starts queued tasks while there is room (holding the lock). */
    private void dispatch() {
        while (!closed && running.size() < threads && !queued.isEmpty()) {
            FutureTask<?> next = queued.poll();
            running.add(next);
            SHARED.execute(() -> run(next));
        }
    }

    private void run(FutureTask<?> task) {
        Thread thread = Thread.currentThread();
        String idle = thread.getName();
        thread.setName(name);
        try {
            task.run();
        } finally {
            thread.setName(idle);
            Runnable last = null;
            synchronized (this) {
                running.remove(task);
                dispatch();
                if (closed && running.isEmpty()) {
                    last = whenIdle;
                    whenIdle = null;
                }
            }
            if (last != null) {
                release(last);
            }
        }
    }

    /** A task's result; its IOException as it was thrown. */
    public static <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding");
        } catch (CancellationException e) {
            throw new InterruptedIOException("decoding cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Waits for a task no longer wanted to end, whatever its result or failure (returns early,
     * the interrupt set, when interrupted).
     */
    public static void awaitEnd(Future<?> future) {
        try {
            await(future);
        } catch (IOException | RuntimeException | Error ignored) {
            // the caller reports its own failure
        }
    }

    /** Cancels the queued tasks and interrupts the running ones; returns at once. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Cancels the queued tasks, interrupts the running ones and returns at once; {@code whenIdle}
     * (null: nothing) runs once no task runs any more: now on this thread, or on the thread of the
     * last running task when it ends. Use it to release what the tasks use.
     */
    public void close(Runnable whenIdle) {
        boolean idleNow;
        synchronized (this) {
            closed = true;
            queued.forEach(f -> f.cancel(false));
            queued.clear();
            running.forEach(f -> f.cancel(true));
            idleNow = running.isEmpty();
            if (!idleNow && whenIdle != null) {
                Runnable before = this.whenIdle;
                this.whenIdle = before == null ? whenIdle : () -> {
                    before.run();
                    whenIdle.run();
                };
            }
        }
        if (idleNow && whenIdle != null) {
            release(whenIdle);
        }
    }

    private static void release(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "releasing the resources of closed workers failed", e);
        }
    }
}
