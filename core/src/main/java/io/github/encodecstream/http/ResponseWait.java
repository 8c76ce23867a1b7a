package io.github.encodecstream.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;

/**
 * A request's connection, sending and response headers, done on a thread of its own so that the
 * caller waits on a monitor that {@link #abort()}, the deadline and {@link Thread#interrupt()} end
 * at once. (On Java 17 a connection being made or a DNS lookup cannot be ended from outside; the
 * thread finishes it within the connect timeout, then disconnects. An https socket, once made, is
 * closed at once: see {@link SocketRecorder}.)
 */
final class ResponseWait {
    private final HttpURLConnection http;
    private final SocketRecorder sockets;
    private int status;
    private IOException error;
    private boolean done;
    private boolean aborted;

    /**
     * For {@code http} (its https sockets: {@code sockets}, else null), not started: register
     * {@link #abort()} first, then {@link #start()}.
     */
    ResponseWait(HttpURLConnection http, SocketRecorder sockets) {
        this.http = http;
        this.sockets = sockets;
    }

    /** Connects and sends the request on a daemon thread. */
    void start() {
        Thread t = new Thread(this::run, "encodec-http-request");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        int s = -1;
        IOException e = null;
        try {
            http.connect();
            if (!isAborted()) {
                s = http.getResponseCode();
            }
        } catch (IOException x) {
            e = x;
        } catch (RuntimeException x) { // e.g. a proxy selector that throws
            e = new IOException(x.toString(), x);
        }
        boolean drop;
        synchronized (this) {
            status = s;
            error = e;
            done = true;
            drop = aborted;
            notifyAll();
        }
        if (drop) {
            http.disconnect();
        }
    }

    private synchronized boolean isAborted() {
        return aborted;
    }

    /**
     * The response's status once its headers are in.
     *
     * @param until the {@link System#nanoTime()} by which they must be
     * @return the status, or -1 when {@code until} passed (the request is then aborted)
     * @throws IOException the request's failure; {@code IOException("closed")} after {@link #abort()}
     */
    int await(long until) throws IOException {
        synchronized (this) {
            try {
                for (long left = until - System.nanoTime(); !done && !aborted && left > 0;
                        left = until - System.nanoTime()) {
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the response");
            }
            if (aborted) {
                throw new IOException("closed");
            }
            if (done) {
                if (error != null) {
                    throw error;
                }
                return status;
            }
        }
        abort();
        return -1;
    }

    /** Ends the wait and the request: at once where a socket is open, else as soon as it is. */
    void abort() {
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            notifyAll();
        }
        if (sockets != null) {
            sockets.close();
        }
        http.disconnect();
    }
}
