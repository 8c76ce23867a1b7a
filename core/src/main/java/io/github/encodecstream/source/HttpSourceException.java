package io.github.encodecstream.source;

import java.io.IOException;
import java.net.URI;

/**
 * An http(s) source failed: an error status (4xx, 5xx), a timeout, a refused or failed
 * connection, too many redirects, network errors that outlasted the retries, or a file that
 * changed on the server while it was read ({@link #isFileChanged()}). The message is
 * {@link #detail()} followed by the URL.
 */
public final class HttpSourceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The URL that failed (after redirects). */
    private final URI uri;
    /** The HTTP status, or -1 when there was no response. */
    private final int status;
    /** Whether a timeout ended it. */
    private final boolean timeout;
    /** What happened, without the URL. */
    private final String detail;
    /** Whether the file changed on the server. */
    private final boolean changed;
    /** Whether trying again may help (timeouts, dropped connections, 5xx); not part of the API. */
    final transient boolean retryable;
    /** The server's Retry-After in milliseconds, or -1. */
    final transient long retryAfterMillis;

    HttpSourceException(String detail, URI uri, int status, boolean timeout, Throwable cause) {
        this(detail, uri, status, timeout, false, false, -1, cause);
    }

    HttpSourceException(String detail, URI uri, int status, boolean timeout, boolean changed, boolean retryable,
            long retryAfterMillis, Throwable cause) {
        super(detail + ": " + uri, cause);
        this.detail = detail;
        this.uri = uri;
        this.status = status;
        this.timeout = timeout;
        this.changed = changed;
        this.retryable = retryable;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** The URL that failed (after redirects). */
    public URI uri() {
        return uri;
    }

    /** The HTTP status, or -1 when there was none (timeouts, connection failures). */
    public int status() {
        return status;
    }

    /** Whether the server did not answer (or stopped sending) within the timeout. */
    public boolean isTimeout() {
        return timeout;
    }

    /**
     * Whether the file changed on the server while it was read (another {@code ETag} or
     * {@code Last-Modified}, another length, a {@code 200} to an {@code If-Range} request, a
     * {@code Content-Range} that does not fit): reading on would mix two versions.
     */
    public boolean isFileChanged() {
        return changed;
    }

    /** What went wrong, without the URL: e.g. {@code HTTP 404 Not Found}. */
    public String detail() {
        return detail;
    }
}
