package io.github.encodecstream.http;

import io.github.encodecstream.source.HttpSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * A response body read on a thread of its own into a small buffer, so that the reader waits on a
 * monitor that {@link #close()} and {@link Thread#interrupt()} end at once. (On Java 17 a read of
 * an {@link HttpURLConnection} body blocked on a silent server cannot be ended from outside:
 * {@code disconnect()} waits for it, up to the read timeout; the thread then disconnects. An https
 * body's socket is closed at once: see {@link SocketRecorder}.) The
 * socket's read timeout still bounds each read; its {@code SocketTimeoutException} and any other
 * error reach the reader after the bytes that came before. A body whose reader takes nothing for
 * the read timeout is dropped.
 *
 * <p>The deadline: from the moment the reader finds the buffer empty and waits, the server has
 * the deadline to send 64 KiB (the buffer's size) or the rest of the body; the bytes that come in
 * between are handed over at once. A server that sends less (a trickle, which each read's timeout
 * lets through) fails the read at the deadline ({@link HttpSourceException#deadline}). A full
 * buffer, or 64 KiB received, ends the count.
 */
final class Body {
    private static final int SIZE = 1 << 16;

    private final HttpURLConnection http;
    private final SocketRecorder sockets;
    private final InputStream in;
    private final long idleMillis;
    private final long deadlineNanos;
    private final URI location;
    private final byte[] ring = new byte[SIZE];
    private int head;
    private int count;
    private boolean eof;
    private boolean closed;
    private IOException error;
    /** When the reader began waiting for the bytes it still waits for; only valid while {@link #starving}. */
    private long starvedSince;
    private boolean starving;
    /** Bytes received since {@link #starvedSince}. */
    private int starvedBytes;

    /**
     * Starts reading {@code in}, the body of {@code http} from {@code location} (its https sockets:
     * {@code sockets}, else null); {@code idleMillis}: how long it waits for a reader,
     * {@code deadlineNanos}: for the server (see above).
     */
    Body(HttpURLConnection http, SocketRecorder sockets, InputStream in, long idleMillis, long deadlineNanos,
            URI location) {
        this.http = http;
        this.sockets = sockets;
        this.in = in;
        this.idleMillis = idleMillis;
        this.deadlineNanos = deadlineNanos;
        this.location = location;
        Thread t = new Thread(this::pump, "encodec-http-body");
        t.setDaemon(true);
        t.start();
    }

    /** Like {@link InputStream#read(byte[], int, int)} with {@code len > 0}. */
    synchronized int read(byte[] b, int off, int len) throws IOException {
        try {
            while (count == 0 && !eof && error == null && !closed) {
                long now = System.nanoTime();
                if (!starving) {
                    starving = true;
                    starvedSince = now;
                    starvedBytes = 0;
                }
                long left = starvedSince + deadlineNanos - now;
                if (left <= 0) {
                    closed = true; // the pump stops with its next read
                    notifyAll();
                    throw HttpSourceException.deadline("the server sent only " + starvedBytes
                            + " bytes in the deadline of " + Exchange.seconds(Duration.ofNanos(deadlineNanos)) + " s",
                            location);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (closed) {
            throw new IOException("closed");
        }
        if (count == 0) {
            if (error != null) {
                throw error;
            }
            return -1;
        }
        int n = Math.min(len, Math.min(count, SIZE - head));
        System.arraycopy(ring, head, b, off, n);
        head = (head + n) % SIZE;
        count -= n;
        notifyAll();
        return n;
    }

    /**
     * Stops reading; an https socket is closed now, a plain http connection by the reading thread
     * once its read returns.
     */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        if (sockets != null) {
            sockets.close();
        }
    }

    private void pump() {
        byte[] chunk = new byte[8192];
        boolean clean = false;
        try {
            while (true) {
                int space = space();
                if (space <= 0) {
                    return;
                }
                int n = in.read(chunk, 0, Math.min(chunk.length, space));
                if (!put(chunk, n)) {
                    clean = n < 0;
                    return;
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                error = e;
                notifyAll();
            }
        } finally {
            if (clean && sockets == null) {
                closeQuietly(); // read to its end: the connection may be kept alive (http only: see SocketRecorder)
            } else {
                http.disconnect();
            }
        }
    }

    /** Free bytes in the buffer, once there are any; 0: closed, or nobody read for the idle time. */
    private synchronized int space() throws IOException {
        long end = System.nanoTime() + idleMillis * 1_000_000;
        try {
            for (long left = idleMillis; count == SIZE && !closed; left = (end - System.nanoTime()) / 1_000_000) {
                if (left <= 0) {
                    throw new IOException("the body was not read for " + idleMillis / 1000.0 + " s");
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            return 0;
        }
        return closed ? 0 : SIZE - count;
    }

    /** Adds {@code n} bytes (-1: the end); false when the body ends or was closed. */
    private synchronized boolean put(byte[] chunk, int n) {
        if (n < 0) {
            eof = true;
        } else {
            int tail = (head + count) % SIZE;
            int first = Math.min(n, SIZE - tail);
            System.arraycopy(chunk, 0, ring, tail, first);
            System.arraycopy(chunk, first, ring, 0, n - first);
            count += n;
            starvedBytes += starving ? n : 0;
            if (starvedBytes >= SIZE || count == SIZE) {
                starving = false; // the server keeps up
            }
        }
        notifyAll();
        return n >= 0 && !closed;
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }
}
