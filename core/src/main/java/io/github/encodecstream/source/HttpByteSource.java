package io.github.encodecstream.source;

import io.github.encodecstream.http.Exchange;
import io.github.encodecstream.http.HttpSettings;
import io.github.encodecstream.http.Resource;
import io.github.encodecstream.http.ResumingInputStream;
import io.github.encodecstream.runtime.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A file on an http(s) server, streamed: nothing is downloaded before it is read.
 *
 * <p>{@link #open(URI, Options)} sends the first request ({@code GET} with {@code Range: bytes=0-})
 * and keeps its response for the stream at offset 0. Later {@link #openAt(long)} calls go forward
 * on a released stream when the gap is at most {@link Options#forwardSkipLimit()} bytes, else send
 * {@code Range: bytes=OFFSET-} when the server accepts ranges (it answered 206 or advertised
 * {@code Accept-Ranges: bytes}); a server that does not is read forward from where a released
 * stream stands, or from the start (so every offset can be reached, going back costs a new download
 * from the start). Redirects (301, 302, 303, 307, 308) are followed up to
 * {@link Options#maxRedirects()}, from http to https too, but not from https to http unless
 * {@link Options#insecureRedirects()} (system property {@code encodec.http.allowInsecureRedirects});
 * later requests go to the final location.
 *
 * <p><b>Retries and resumption.</b> When a stream's connection drops, times out or ends before the
 * promised length ({@code Content-Length}, {@code Content-Range}), the stream reconnects to the
 * original URL (redirects are followed again) with {@code Range: bytes=N-} and {@code If-Range}
 * (the strong {@code ETag}, else {@code Last-Modified}) and goes on from the byte it stopped at; a
 * server without range support is asked for the whole file again and the bytes already delivered
 * are dropped. Failed requests with a timeout, a dropped connection or HTTP 408, 429, 500, 502,
 * 503, 504 are also retried. Up to {@link Options#retries()} tries follow one another without
 * progress, after {@link Options#retryDelay()}, doubling up to {@link Options#maxRetryDelay()}
 * (or the server's {@code Retry-After}, within that bound); data received resets the count.
 * Defaults: 5 retries, 0.25 s doubling to 4 s; the system properties {@code encodec.http.retries}
 * and {@code encodec.http.retryDelay} (seconds; the longest delay is 16 times it) change them.
 *
 * <p>Bytes of two versions of a file are never mixed: a response with another {@code ETag},
 * {@code Last-Modified} or total length than the first, a {@code 200} to an {@code If-Range}
 * request of a server that served ranges, or a {@code Content-Range} that does not start at the
 * requested byte fails with an {@link HttpSourceException} that says the file changed on the
 * server ({@link HttpSourceException#isFileChanged()}). A server that sends neither {@code ETag}
 * nor {@code Last-Modified} can only be checked by its length.
 *
 * <p><b>Deadline.</b> The timeouts bound each wait of the socket, so a server that trickles (a
 * byte every few seconds) would pass them; {@link Options#deadline()} (default 120 s, system
 * property {@code encodec.http.deadline} in seconds) bounds it: the response to a request, its
 * redirects included, must arrive within the deadline, and once a read of a stream waits for
 * bytes, the server must send 64 KiB (or the rest of the file) within the deadline. Bytes that
 * come in between are returned at once; a read that waits past the deadline fails with an
 * {@link HttpSourceException} ({@link HttpSourceException#isTimeout()}) that is not retried. A
 * reader that is slower than the server (a player) never meets the deadline.
 *
 * <p>Failures are {@link HttpSourceException}s: an error status (4xx, 5xx) with the status line, a
 * connection that cannot be made within {@link Options#connectTimeout()}, a server that sends no
 * data for {@link Options#readTimeout()} (while waiting for the response or in the middle of the
 * body) or too little by the deadline, a refused redirect, retries that ran out (the message names
 * the last network error and the byte offset).
 *
 * <p>A facade over the http engine shared with the model downloader, built on
 * {@link HttpURLConnection}. {@link #close()} returns at once, from any thread, and makes every
 * request and read in flight (also in other threads) fail with an {@code IOException} that says
 * the source is closed. An https socket is closed at once; a silent plain http socket, which
 * Java 17 cannot close from outside while it is read, is dropped in the background at the server's
 * next byte or within the read timeout, and a connection being made within the connect timeout. Streams from {@link #openAt(long)} are
 * independent; the source is thread-safe.
 */
public final class HttpByteSource implements ByteSource {
    /** Default number of retries (without progress) after a network failure. */
    public static final int DEFAULT_RETRIES = HttpSettings.DEFAULT_RETRIES;

    /** Default delay before the first retry; it doubles for each further one up to 16 times this. */
    public static final Duration DEFAULT_RETRY_DELAY = HttpSettings.DEFAULT_RETRY_DELAY;

    /** System property overriding {@link #DEFAULT_RETRIES}. */
    public static final String RETRIES_PROPERTY = Settings.HTTP_RETRIES_PROPERTY;

    /** System property (seconds) overriding {@link #DEFAULT_RETRY_DELAY}; the longest delay is 16 times it. */
    public static final String RETRY_DELAY_PROPERTY = Settings.HTTP_RETRY_DELAY_PROPERTY;

    /** Default deadline (see the class comment). */
    public static final Duration DEFAULT_DEADLINE = Settings.DEFAULT_HTTP_DEADLINE;

    /** System property (seconds) overriding {@link #DEFAULT_DEADLINE}. */
    public static final String DEADLINE_PROPERTY = Settings.HTTP_DEADLINE_PROPERTY;

    /** System property: {@code true} follows redirects from https to http, which are refused by default. */
    public static final String INSECURE_REDIRECTS_PROPERTY = Settings.HTTP_INSECURE_REDIRECTS_PROPERTY;

    /**
     * Settings.
     *
     * @param connectTimeout how long to wait for a connection
     * @param readTimeout how long to wait for the response and for each read of the body
     * @param maxRedirects redirects followed per request
     * @param forwardSkipLimit bytes read and dropped rather than sending a new range request
     * @param userAgent the {@code User-Agent} header
     * @param retries tries after a network failure before giving up, counted from the last byte received
     * @param retryDelay the wait before the first retry; it doubles with each further one
     * @param maxRetryDelay the longest wait between two tries
     * @param deadline how long a response, or 64 KiB of a body a read waits for, may take (see the class comment)
     * @param insecureRedirects whether a redirect from https to http is followed (else it fails)
     */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
            String userAgent, int retries, Duration retryDelay, Duration maxRetryDelay, Duration deadline,
            boolean insecureRedirects) {
        /** Checks the values (those of the engine's settings as {@link HttpSettings} does). */
        public Options {
            settings(connectTimeout, readTimeout, maxRedirects, userAgent, retries, retryDelay, maxRetryDelay, deadline,
                    insecureRedirects);
            if (forwardSkipLimit < 0) {
                throw new IllegalArgumentException("forwardSkipLimit must be >= 0");
            }
        }

        /**
         * The settings without a deadline and redirect rule: those of the system properties
         * {@value HttpByteSource#DEADLINE_PROPERTY} and {@value HttpByteSource#INSECURE_REDIRECTS_PROPERTY}.
         */
        public Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
                String userAgent, int retries, Duration retryDelay, Duration maxRetryDelay) {
            this(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, retries, retryDelay,
                    maxRetryDelay, Settings.fromSystem().httpDeadline(), Settings.fromSystem().httpInsecureRedirects());
        }

        /** The settings without retries, with the default retries, delays, deadline and redirect rule. */
        public Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
                String userAgent) {
            this(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, HttpSettings.defaultRetries(),
                    HttpSettings.defaultRetryDelay(), HttpSettings.defaultRetryDelay().multipliedBy(16));
        }

        /**
         * 15 s to connect, 30 s without data, 10 redirects (none from https to http), forward skips
         * up to 256 KiB, 5 retries after 0.25 s doubling to 4 s, a 120 s deadline (or as the system
         * properties {@value HttpByteSource#RETRIES_PROPERTY}, {@value HttpByteSource#RETRY_DELAY_PROPERTY},
         * {@value HttpByteSource#DEADLINE_PROPERTY} and {@value HttpByteSource#INSECURE_REDIRECTS_PROPERTY}
         * say).
         *
         * @throws IllegalArgumentException when one of those properties is not a valid number
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(15), Duration.ofSeconds(30), 10, 256 * 1024, "encodec-stream");
        }

        /** With both timeouts set to {@code timeout}, and the deadline raised to it where it is shorter. */
        public Options withTimeout(Duration timeout) {
            return new Options(timeout, timeout, maxRedirects, forwardSkipLimit, userAgent, retries, retryDelay,
                    maxRetryDelay, HttpSettings.atLeast(deadline, timeout), insecureRedirects);
        }

        /** With another forward-skip limit (0: every jump forward is a range request, where accepted). */
        public Options withForwardSkipLimit(long bytes) {
            return new Options(connectTimeout, readTimeout, maxRedirects, bytes, userAgent, retries, retryDelay,
                    maxRetryDelay, deadline, insecureRedirects);
        }

        /** With another number of retries (0: the first network error fails). */
        public Options withRetries(int n) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, n, retryDelay,
                    maxRetryDelay, deadline, insecureRedirects);
        }

        /** With other delays between tries: {@code first}, doubling up to {@code max}. */
        public Options withRetryDelays(Duration first, Duration max) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, retries, first, max,
                    deadline, insecureRedirects);
        }

        /** With another deadline (see the class comment). */
        public Options withDeadline(Duration d) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, retries,
                    retryDelay, maxRetryDelay, d, insecureRedirects);
        }

        /** Following redirects from https to http ({@code true}), or failing on them. */
        public Options withInsecureRedirects(boolean allow) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, retries,
                    retryDelay, maxRetryDelay, deadline, allow);
        }

        /** The engine's settings: these, with the system's proxies. */
        HttpSettings settings() {
            return settings(connectTimeout, readTimeout, maxRedirects, userAgent, retries, retryDelay, maxRetryDelay,
                    deadline, insecureRedirects);
        }

        private static HttpSettings settings(Duration connectTimeout, Duration readTimeout, int maxRedirects,
                String userAgent, int retries, Duration retryDelay, Duration maxRetryDelay, Duration deadline,
                boolean insecureRedirects) {
            return new HttpSettings(connectTimeout, readTimeout, maxRedirects, userAgent, retries, retryDelay,
                    maxRetryDelay, null, deadline, insecureRedirects, null);
        }
    }

    private final Options options;
    private final Resource resource;
    private Exchange idle; // a healthy response released by a closed stream, guarded by this

    private HttpByteSource(URI uri, Options options) {
        this.options = options;
        this.resource = new Resource(uri, options.settings(), Resource.Use.SEEKABLE);
    }

    /** Opens {@code uri} with default options. */
    public static HttpByteSource open(URI uri) throws IOException {
        return open(uri, Options.defaults());
    }

    /**
     * Sends the first request and keeps its response for offset 0.
     *
     * @throws IllegalArgumentException when {@code uri} is not an absolute http or https URL
     * @throws HttpSourceException when the server cannot be reached or answers with an error
     */
    public static HttpByteSource open(URI uri, Options options) throws IOException {
        HttpByteSource source = new HttpByteSource(uri, Objects.requireNonNull(options));
        Exchange first = source.resource.open(0);
        if (first.hasBody()) {
            source.release(first);
        } else {
            first.close(); // an empty file
        }
        return source;
    }

    /** Whether {@code text} looks like an http or https URL. */
    public static boolean isHttpUrl(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        return s.startsWith("http://") || s.startsWith("https://");
    }

    /** The URL as given. */
    public URI uri() {
        return resource.uri();
    }

    /** The settings. */
    public Options options() {
        return options;
    }

    /** Where the requests go: the URL after the redirects of the last request. */
    public URI location() {
        return resource.location();
    }

    /** Whether the server serves byte ranges. */
    public boolean acceptsRanges() {
        return resource.acceptsRanges();
    }

    /** Bytes of response bodies read so far (including bytes read to skip forward). */
    public long bytesReceived() {
        return resource.bytesReceived();
    }

    /** Requests sent so far, redirects included. */
    public int requests() {
        return resource.requests();
    }

    /** Retries so far (requests sent again after a network failure). */
    public int retries() {
        return resource.retries();
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Exchange c;
        synchronized (this) {
            if (resource.isClosed()) {
                throw new IOException("source is closed: " + uri());
            }
            c = idle;
            idle = null;
        }
        if (c == null || c.position() > offset
                || (offset - c.position() > options.forwardSkipLimit() && resource.acceptsRanges())) {
            if (c != null) {
                c.close();
            }
            long size = resource.size();
            c = size >= 0 && offset >= size ? null : resource.open(offset);
            if (c != null && !c.hasBody()) {
                c.close(); // 416: nothing there
                c = null;
            }
        }
        ResumingInputStream stream = new ResumingInputStream(resource, c, this::release);
        stream.skipTo(offset);
        return stream;
    }

    @Override
    public boolean isSeekable() {
        return true;
    }

    @Override
    public OptionalLong size() {
        long size = resource.size();
        return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }

    /** Ends every request and read in flight, also in other threads; later ones fail. */
    @Override
    public void close() {
        resource.close();
        synchronized (this) {
            idle = null;
        }
    }

    @Override
    public String toString() {
        return "HttpByteSource[" + uri() + "]";
    }

    /** Called by a closed stream: keeps a healthy response for a later {@link #openAt(long)}. */
    private void release(Exchange c) {
        Exchange old;
        synchronized (this) {
            if (resource.isClosed()) {
                old = c;
            } else {
                old = idle;
                idle = c;
            }
        }
        if (old != null) {
            old.close();
        }
    }
}
