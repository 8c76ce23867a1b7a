package io.github.encodecstream.source;

import java.io.IOException;
import java.net.URI;
import java.util.OptionalLong;

/**
 * An http(s) source failed: an error status (4xx, 5xx), a timeout or a missed deadline, a refused
 * or failed connection, too many redirects or a redirect from https to http, network errors that
 * outlasted the retries, or a file that changed on the server while it was read
 * ({@link #isFileChanged()}). The message is {@link #detail()} followed by the URL.
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
    /** Whether trying again may help (timeouts, dropped connections, some statuses). */
    private final boolean retryable;
    /** The server's Retry-After in milliseconds, or -1. */
    private final long retryAfterMillis;

    private HttpSourceException(String detail, URI uri, int status, boolean timeout, boolean changed, boolean retryable,
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

    /**
     * An error status ({@code HTTP 503 Service Unavailable}); 408, 429, 500, 502, 503 and 504 may be
     * retried, after the server's {@code retryAfterMillis} (-1: none).
     */
    public static HttpSourceException ofStatus(URI uri, int status, String reason, long retryAfterMillis) {
        boolean transient_ = status == 408 || status == 429 || status == 500 || status == 502 || status == 503
                || status == 504;
        String detail = "HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason.strip());
        return new HttpSourceException(detail, uri, status, false, false, transient_, retryAfterMillis, null);
    }

    /** A server that did not answer, or stopped sending, within the timeout: may be retried. */
    public static HttpSourceException timeout(String detail, URI uri, Throwable cause) {
        return new HttpSourceException(detail, uri, -1, true, false, true, -1, cause);
    }

    /**
     * A server that sent too little before the deadline (a trickle): a timeout, not retried, since
     * asking again would repeat the trickle.
     */
    public static HttpSourceException deadline(String detail, URI uri) {
        return new HttpSourceException(detail, uri, -1, true, false, false, -1, null);
    }

    /** A connection that failed or closed early: may be retried. */
    public static HttpSourceException dropped(String detail, URI uri, Throwable cause) {
        return new HttpSourceException(detail, uri, -1, false, false, true, -1, cause);
    }

    /** A failure that trying again will not mend (a bad URL or redirect, an unknown host, an unexpected status). */
    public static HttpSourceException failed(String detail, URI uri, int status, Throwable cause) {
        return new HttpSourceException(detail, uri, status, false, false, false, -1, cause);
    }

    /** The file changed on the server ({@code how}: what differs); never retried. */
    public static HttpSourceException fileChanged(String how, URI uri, int status) {
        return new HttpSourceException("the file changed on the server (" + how + ")", uri, status, false, true, false, -1,
                null);
    }

    /**
     * The final error after {@code retries} tries that did not help ({@code ...; gave up after N
     * retries}; with 0, {@code detail} alone), with this one as its cause.
     */
    public HttpSourceException exhausted(String detail, int retries) {
        String what = retries == 0 ? detail : detail + "; gave up after " + retries + (retries == 1 ? " retry" : " retries");
        return new HttpSourceException(what, uri, status, timeout, changed, false, -1, this);
    }

    /** The URL that failed (after redirects). */
    public URI uri() {
        return uri;
    }

    /** The HTTP status, or -1 when there was none (timeouts, connection failures). */
    public int status() {
        return status;
    }

    /** Whether the server did not answer (or stopped) within the timeout, or sent too little by the deadline. */
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

    /** Whether trying the request again may help (timeouts, dropped connections, 408, 429, 500, 502-504). */
    public boolean isRetryable() {
        return retryable;
    }

    /** How long the server asked to wait before trying again ({@code Retry-After}), in milliseconds. */
    public OptionalLong retryAfterMillis() {
        return retryAfterMillis >= 0 ? OptionalLong.of(retryAfterMillis) : OptionalLong.empty();
    }

    /** What went wrong, without the URL: e.g. {@code HTTP 404 Not Found}. */
    public String detail() {
        return detail;
    }
}
