package io.github.encodecstream.http;

import io.github.encodecstream.source.HttpSourceException;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file on an http(s) server, read in as many requests as it takes: where the requests go, its
 * version (validators, length) from the first response, whether it serves ranges, and the check
 * that every later response is of the same version and starts where it was asked to. Thread-safe;
 * {@link #close()} ends every request in flight.
 */
public final class Resource implements AutoCloseable {
    /** How the file is read. */
    public enum Use {
        /**
         * Read from any offset by a reader that cannot take bytes back: the first request asks for
         * {@code bytes=0-}; a response of another version is an error.
         */
        SEEKABLE,
        /**
         * Read once, from byte 0, into something that can be started again (a file): no {@code Range}
         * on the first request; a {@code 200} to a range request or a response of another version
         * starts the file again from byte 0, within the retries.
         */
        DOWNLOAD
    }

    /** Told before each retry's wait. */
    @FunctionalInterface
    public interface RetryListener {
        /** Retry number {@code retry} after {@code problem} {@code where} (" after N of M bytes"), in {@code waitMillis}. */
        void retrying(HttpSourceException problem, String where, long waitMillis, int retry);
    }

    final URI uri;
    final HttpSettings settings;
    final Use use;
    final Connections connections;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong received = new AtomicLong();
    private final AtomicInteger retries = new AtomicInteger();
    private final Backoff backoff;
    private volatile boolean contacted;
    private volatile RetryListener listener = (problem, where, waitMillis, retry) -> { };
    // the file's identity, guarded by this
    private URI location;
    private boolean known;
    private boolean acceptsRanges;
    private boolean rangesServed;
    private Validators version = Validators.NONE;

    /**
     * The file at {@code uri}, nothing sent yet.
     *
     * @throws IllegalArgumentException when {@code uri} is not an absolute http or https URL
     */
    public Resource(URI uri, HttpSettings settings, Use use) {
        if (!Exchange.isHttp(uri)) {
            throw new IllegalArgumentException("not an http(s) URL: " + uri);
        }
        this.uri = uri;
        this.location = uri;
        this.settings = settings;
        this.use = use;
        this.connections = new Connections();
        this.backoff = new Backoff(settings.retryDelay(), settings.maxRetryDelay());
    }

    /** Sets what is told before each retry. */
    public void onRetry(RetryListener l) {
        listener = l;
    }

    /**
     * A response for the bytes from {@code offset} (from 0 where ranges are not served), tried
     * again after failures that may pass; a 416 response (nothing at that offset) has no body.
     */
    public Exchange open(long offset) throws IOException {
        for (int attempt = 0;; attempt++) {
            checkOpen();
            try {
                return request(from(offset), attempt > 0);
            } catch (HttpSourceException e) {
                if (!e.isRetryable() || attempt >= settings.retries()) {
                    throw attempt == 0 ? e : e.exhausted(e.detail(), attempt);
                }
                pause(attempt, e, offset);
            }
        }
    }

    /**
     * Sends a request for the bytes from {@code offset} and checks that the response is of the
     * file's version and starts there; a retry starts again at the URL as given (redirects anew).
     */
    Exchange request(long offset, boolean retry) throws IOException {
        boolean first;
        URI target;
        String ifRange;
        synchronized (this) {
            first = !known;
            target = retry ? uri : location;
            ifRange = !first && offset > 0 ? version.ifRange() : null;
        }
        boolean askRange = offset > 0 || (first && use == Use.SEEKABLE);
        Exchange x;
        try {
            x = Exchange.send(this, target, offset, askRange, ifRange, !contacted);
        } catch (HttpSourceException e) {
            contacted |= e.status() > 0;
            throw e;
        } catch (IOException e) {
            checkOpen();
            throw e;
        }
        contacted = true;
        try {
            synchronized (this) {
                check(x, offset, ifRange, first);
            }
        } catch (IOException e) {
            x.close();
            throw e;
        }
        return x;
    }

    /** Checks (or, for the first response, records) the version of {@code x}, a response for {@code offset}. */
    private void check(Exchange x, long offset, String ifRange, boolean first) throws HttpSourceException {
        location = x.location;
        if (x.status == 416) { // no byte at that offset (for the first request: an empty file)
            if (first) {
                known = true;
                acceptsRanges = true;
                version = new Validators(null, null, 0);
            } else if (version.length() >= 0 && offset < version.length()) {
                throw changed("HTTP 416 for bytes " + offset + "- of a file of " + version.length() + " bytes", 416);
            }
            return;
        }
        if (x.status == 206 && x.start() != offset) {
            String header = x.rangeHeader;
            if (first && use == Use.SEEKABLE) {
                throw HttpSourceException.failed("bad Content-Range '" + header + "' for bytes " + offset + "-",
                        x.location, 206, null);
            }
            throw changed("asked for bytes " + offset + "-, got Content-Range '" + header + "'", 206);
        }
        if (first || (use == Use.DOWNLOAD && x.status == 200)) {
            known = true;
            acceptsRanges = x.status == 206 || x.advertisesRanges;
            rangesServed = x.status == 206;
            version = x.validators;
            return;
        }
        String change = x.status == 200 && offset > 0 && ifRange != null && rangesServed
                ? "HTTP 200 (the whole file) to a request for bytes " + offset + "- with If-Range " + ifRange
                : version.changeTo(x.validators);
        if (change != null) {
            throw changed(change, x.status);
        }
        if (x.status == 206) {
            rangesServed = true;
        } else if (offset > 0) {
            acceptsRanges = false; // it ignored the range: read forward from now on
        }
    }

    private HttpSourceException changed(String how, int status) {
        return HttpSourceException.fileChanged(how, location, status);
    }

    /** Forgets the version: the next response starts the file again (downloads only). */
    synchronized void forget() {
        known = false;
        version = Validators.NONE;
    }

    /** Where to ask for the bytes from {@code position}: there, or 0 where ranges are not served. */
    synchronized long from(long position) {
        return !known || acceptsRanges || use == Use.DOWNLOAD ? position : 0;
    }

    /** Waits before retry number {@code n} (0: the first) after {@code problem} at {@code position}. */
    void pause(int n, HttpSourceException problem, long position) throws IOException {
        retries.incrementAndGet();
        long millis = backoff.millis(n, problem.retryAfterMillis().orElse(-1));
        listener.retrying(problem, after(position), millis, n + 1);
        if (millis > 0) {
            connections.pause(millis);
        }
        checkOpen();
    }

    /** " after N of M bytes" for a failure at {@code position}. */
    synchronized String after(long position) {
        return " after " + position + (version.length() >= 0 ? " of " + version.length() : "") + " bytes";
    }

    void checkOpen() throws IOException {
        if (connections.isClosed()) {
            throw new IOException("source is closed: " + uri);
        }
    }

    /** The URL as given. */
    public URI uri() {
        return uri;
    }

    /** Where the requests go: the URL after the redirects of the last request. */
    public synchronized URI location() {
        return location;
    }

    /** Whether the server serves byte ranges. */
    public synchronized boolean acceptsRanges() {
        return acceptsRanges;
    }

    /** The file's length, or -1 when not known. */
    public synchronized long size() {
        return version.length();
    }

    /** Bytes of response bodies read so far (including bytes read to skip forward). */
    public long bytesReceived() {
        return received.get();
    }

    /** Requests sent so far, redirects included. */
    public int requests() {
        return requests.get();
    }

    /** Retries so far (requests sent again after a network failure). */
    public int retries() {
        return retries.get();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return connections.isClosed();
    }

    /** Ends every request and read in flight; later ones fail. */
    @Override
    public void close() {
        connections.close();
    }
}
