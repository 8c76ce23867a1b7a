package io.github.encodecstream.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connections of one resource, in flight or idle: {@link #close()} ends them all from any
 * thread without waiting for the network (the wait for a response ends and the request is
 * disconnected: see {@link ResponseWait}; a body's reader is woken: see {@link Body}) and wakes a
 * retry's wait.
 */
public final class Connections implements AutoCloseable {
    private final Map<HttpURLConnection, Runnable> open = new HashMap<>();
    private boolean closed;

    /** Registers {@code c}, ended by {@code abort}; a closed set ends it at once and throws. */
    void add(HttpURLConnection c, Runnable abort) throws IOException {
        synchronized (this) {
            if (!closed) {
                open.put(c, abort);
                return;
            }
        }
        abort.run();
        throw new IOException("closed");
    }

    /** Forgets {@code c}, ending it with its abort. */
    void remove(HttpURLConnection c) {
        Runnable abort;
        synchronized (this) {
            abort = open.remove(c);
        }
        if (abort != null) {
            abort.run();
        }
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Ends every connection; later requests fail. */
    @Override
    public void close() {
        List<Runnable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(open.values());
            open.clear();
            notifyAll();
        }
        all.forEach(Runnable::run);
    }

    /** Waits {@code millis}, or until {@link #close()}; an interrupt throws. */
    synchronized void pause(long millis) throws InterruptedIOException {
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left = millis; left > 0 && !closed; left = (end - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
