package io.github.encodecstream.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one decoder or encoder runs its networks on: a fixed pool of daemon threads,
 * started on first use and stopped by {@link #close()} (tasks in flight are interrupted and their
 * results dropped).
 */
final class Workers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final int threads;
    private final String name;
    private ExecutorService pool;

    Workers(int threads, String name) {
        this.threads = threads;
        this.name = name;
    }

    /** How many tasks run at once. */
    int threads() {
        return threads;
    }

    /** Starts a task. */
    synchronized <T> Future<T> submit(Callable<T> task) {
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "encodec-" + name + "-" + id + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool.submit(task);
    }

    /** A task's result; its IOException as it was thrown. */
    static <T> T await(Future<T> future) throws IOException {
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

    /** Stops the threads; running tasks are interrupted. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
