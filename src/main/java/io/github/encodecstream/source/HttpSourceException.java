package io.github.encodecstream.source;

import java.io.IOException;
import java.net.URI;

/**
 * An http(s) source failed: an error status (4xx, 5xx), a timeout, a refused or failed
 * connection, too many redirects. The message is {@link #detail()} followed by the URL.
 */
public final class HttpSourceException extends IOException {
    private static final long serialVersionUID = 1L;

    private final URI uri;
    private final int status;
    private final boolean timeout;
    private final String detail;

    HttpSourceException(String detail, URI uri, int status, boolean timeout, Throwable cause) {
        super(detail + ": " + uri, cause);
        this.detail = detail;
        this.uri = uri;
        this.status = status;
        this.timeout = timeout;
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

    /** What went wrong, without the URL: e.g. {@code HTTP 404 Not Found}. */
    public String detail() {
        return detail;
    }
}
