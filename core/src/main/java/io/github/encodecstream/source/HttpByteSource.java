package io.github.encodecstream.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file on an http(s) server, streamed: nothing is downloaded before it is read.
 *
 * <p>{@link #open(URI, Options)} sends the first request ({@code GET} with {@code Range: bytes=0-})
 * and keeps its response for the stream at offset 0. Later {@link #openAt(long)} calls go forward
 * on a released stream when the gap is at most {@link Options#forwardSkipLimit()} bytes, else send
 * {@code Range: bytes=OFFSET-} when the server accepts ranges (it answered 206 or advertised
 * {@code Accept-Ranges: bytes}); a server that does not is read forward from where a released
 * stream stands, or from the start (so every offset can be reached, going back costs a new download
 * from the start). Redirects (301, 302, 303, 307, 308) are followed, also between http and https, up
 * to {@link Options#maxRedirects()}; later requests go to the final location.
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
 * <p>Failures are {@link HttpSourceException}s: an error status (4xx, 5xx) with the status line, a
 * connection that cannot be made within {@link Options#connectTimeout()}, a server that sends no
 * data for {@link Options#readTimeout()} (while waiting for the response or in the middle of the
 * body), retries that ran out (the message names the last network error and the byte offset).
 *
 * <p>Built on {@link HttpURLConnection}, whose read timeout bounds each read of the body. Streams
 * from {@link #openAt(long)} are independent; the source is thread-safe.
 */
public final class HttpByteSource implements ByteSource {
    /** {@code bytes FIRST-LAST/TOTAL}; numbers of up to 18 digits, so that each fits a long (more: a bad header). */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)",
            Pattern.CASE_INSENSITIVE);

    /** Default number of retries (without progress) after a network failure. */
    public static final int DEFAULT_RETRIES = 5;

    /** Default delay before the first retry; it doubles for each further one up to 16 times this. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(250);

    /** System property overriding {@link #DEFAULT_RETRIES}. */
    public static final String RETRIES_PROPERTY = "encodec.http.retries";

    /** System property (seconds) overriding {@link #DEFAULT_RETRY_DELAY}; the longest delay is 16 times it. */
    public static final String RETRY_DELAY_PROPERTY = "encodec.http.retryDelay";

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
     */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
            String userAgent, int retries, Duration retryDelay, Duration maxRetryDelay) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(retryDelay, "retryDelay");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxRedirects < 0 || forwardSkipLimit < 0) {
                throw new IllegalArgumentException("maxRedirects and forwardSkipLimit must be >= 0");
            }
            if (retries < 0 || retryDelay.isNegative() || maxRetryDelay.isNegative()) {
                throw new IllegalArgumentException("retries and retry delays must be >= 0");
            }
        }

        /** The settings without retries, with the default retries and delays. */
        public Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
                String userAgent) {
            this(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, defaultRetries(),
                    defaultRetryDelay(), defaultRetryDelay().multipliedBy(16));
        }

        /**
         * 15 s to connect, 30 s without data, 10 redirects, forward skips up to 256 KiB, 5 retries
         * after 0.25 s doubling to 4 s (or as the system properties {@value HttpByteSource#RETRIES_PROPERTY} and
         * {@value HttpByteSource#RETRY_DELAY_PROPERTY} say).
         *
         * @throws IllegalArgumentException when one of those properties is not a number &gt;= 0
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(15), Duration.ofSeconds(30), 10, 256 * 1024, "encodec-stream");
        }

        /** With both timeouts set to {@code timeout}. */
        public Options withTimeout(Duration timeout) {
            return new Options(timeout, timeout, maxRedirects, forwardSkipLimit, userAgent, retries, retryDelay,
                    maxRetryDelay);
        }

        /** With another forward-skip limit (0: every jump forward is a range request, where accepted). */
        public Options withForwardSkipLimit(long bytes) {
            return new Options(connectTimeout, readTimeout, maxRedirects, bytes, userAgent, retries, retryDelay,
                    maxRetryDelay);
        }

        /** With another number of retries (0: the first network error fails). */
        public Options withRetries(int n) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, n, retryDelay,
                    maxRetryDelay);
        }

        /** With other delays between tries: {@code first}, doubling up to {@code max}. */
        public Options withRetryDelays(Duration first, Duration max) {
            return new Options(connectTimeout, readTimeout, maxRedirects, forwardSkipLimit, userAgent, retries, first, max);
        }

        /** The wait before retry number {@code n} (0 for the first). */
        Duration delay(int n) {
            Duration d = retryDelay;
            for (int i = 0; i < n && d.compareTo(maxRetryDelay) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : d;
        }
    }

    /** {@value #RETRIES_PROPERTY}, else {@link #DEFAULT_RETRIES}. */
    static int defaultRetries() {
        String s = System.getProperty(RETRIES_PROPERTY);
        if (s == null || s.isBlank()) {
            return DEFAULT_RETRIES;
        }
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(RETRIES_PROPERTY + " must be a whole number >= 0, got '" + s + "'");
    }

    /** {@value #RETRY_DELAY_PROPERTY} (seconds), else {@link #DEFAULT_RETRY_DELAY}. */
    static Duration defaultRetryDelay() {
        String s = System.getProperty(RETRY_DELAY_PROPERTY);
        if (s == null || s.isBlank()) {
            return DEFAULT_RETRY_DELAY;
        }
        try {
            double seconds = Double.parseDouble(s.strip());
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofNanos(Math.round(seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(RETRY_DELAY_PROPERTY + " must be a number of seconds (0 to 3600), got '" + s
                + "'");
    }

    private final URI uri;
    private final Options options;
    private final Set<Connection> open = new HashSet<>();
    private URI location;
    private boolean acceptsRanges;
    private boolean rangesServed;
    private long size = -1;
    private String etag;
    private String lastModified;
    private Connection idle;
    private volatile boolean closed;
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

    private HttpByteSource(URI uri, Options options) {
        this.uri = uri;
        this.location = uri;
        this.options = options;
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
        checkHttp(uri);
        HttpByteSource source = new HttpByteSource(uri, Objects.requireNonNull(options));
        Connection first = source.requestWithRetries(0, true);
        synchronized (source) {
            source.idle = first;
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
        return uri;
    }

    /** The settings. */
    public Options options() {
        return options;
    }

    /** Where the requests go: the URL after the redirects of the last request. */
    public synchronized URI location() {
        return location;
    }

    /** Whether the server serves byte ranges. */
    public synchronized boolean acceptsRanges() {
        return acceptsRanges;
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

    @Override
    public InputStream openAt(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Connection next;
        synchronized (this) {
            if (closed) {
                throw new IOException("source is closed: " + uri);
            }
            Connection c = idle;
            idle = null;
            if (c != null && c.position <= offset
                    && (offset - c.position <= options.forwardSkipLimit() || !acceptsRanges)) {
                open.add(c);
                next = c;
            } else {
                if (c != null) {
                    c.disconnect();
                }
                if (size >= 0 && offset >= size) {
                    return new View(null);
                }
                next = null;
            }
        }
        if (next != null) {
            View view = new View(next);
            view.skipTo(offset);
            return view;
        }
        next = requestWithRetries(offset, false);
        if (next == null) {
            return new View(null); // 416: nothing there
        }
        View view;
        synchronized (this) {
            if (closed) {
                next.disconnect();
                throw new IOException("source is closed: " + uri);
            }
            open.add(next);
            view = new View(next);
        }
        view.skipTo(offset);
        return view;
    }

    @Override
    public boolean isSeekable() {
        return true;
    }

    @Override
    public synchronized OptionalLong size() {
        return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (idle != null) {
            idle.disconnect();
            idle = null;
        }
        for (Connection c : open) {
            c.disconnect();
        }
        open.clear();
    }

    @Override
    public String toString() {
        return "HttpByteSource[" + uri + "]";
    }

    /**
     * {@link #request} for the bytes from {@code offset} (from 0 where ranges are not served),
     * tried again after transient failures; null for 416.
     */
    private Connection requestWithRetries(long offset, boolean first) throws IOException {
        for (int attempt = 0;; attempt++) {
            try {
                synchronized (this) {
                    if (closed) {
                        throw new IOException("source is closed: " + uri);
                    }
                    return request(first || acceptsRanges ? offset : 0, first, attempt > 0);
                }
            } catch (HttpSourceException e) {
                if (!e.retryable || attempt >= options.retries()) {
                    throw attempt == 0 ? e : gaveUp(e, e.detail(), attempt);
                }
                pause(attempt, e);
            }
        }
    }

    private HttpSourceException gaveUp(HttpSourceException last, String what, int tries) {
        return new HttpSourceException(what + "; gave up after " + tries + (tries == 1 ? " retry" : " retries"),
                last.uri(), last.status(), last.isTimeout(), last.isFileChanged(), false, -1, last);
    }

    /** Waits before retry number {@code n} (0: the first); the server's Retry-After counts within the bound. */
    private void pause(int n, HttpSourceException e) throws IOException {
        retries.incrementAndGet();
        long millis = options.delay(n).toMillis();
        if (e != null && e.retryAfterMillis > millis) {
            millis = Math.min(e.retryAfterMillis, options.maxRetryDelay().toMillis());
        }
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry " + uri);
        }
    }

    /**
     * Sends a GET for the bytes from {@code offset} on, following redirects; returns null for 416
     * (nothing at that offset). A retry starts again at the URL as given. The caller holds the lock.
     */
    private Connection request(long offset, boolean first, boolean retry) throws IOException {
        URI target = retry ? uri : location;
        String validator = null;
        if (!first && offset > 0 && acceptsRanges) {
            validator = etag != null && !etag.startsWith("W/") ? etag : lastModified;
        }
        for (int hop = 0;; hop++) {
            HttpURLConnection c;
            try {
                c = (HttpURLConnection) toUrl(target).openConnection();
            } catch (IllegalArgumentException e) {
                throw new HttpSourceException("bad URL (" + e.getMessage() + ")", target, -1, false, e);
            }
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(millis(options.connectTimeout()));
            c.setReadTimeout(millis(options.readTimeout()));
            c.setRequestProperty("User-Agent", options.userAgent());
            c.setRequestProperty("Accept-Encoding", "identity");
            if (first || offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            if (validator != null) {
                c.setRequestProperty("If-Range", validator);
            }
            requests.incrementAndGet();
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                c.disconnect();
                throw failure(e, target, "waiting for the response", first);
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String where = c.getHeaderField("Location");
                c.disconnect();
                if (where == null) {
                    throw new HttpSourceException("HTTP " + status + " redirect without a Location", target, status, false, null);
                }
                if (hop >= options.maxRedirects()) {
                    throw new HttpSourceException("too many redirects (more than " + options.maxRedirects() + ")",
                            target, status, false, null);
                }
                try {
                    target = target.resolve(new URI(where.strip()));
                } catch (URISyntaxException e) {
                    throw new HttpSourceException("bad redirect Location '" + where + "'", target, status, false, e);
                }
                try {
                    checkHttp(target);
                } catch (IllegalArgumentException e) {
                    throw new HttpSourceException("redirect to a URL that is not http(s)", target, status, false, e);
                }
                continue;
            }
            location = target;
            if (status == 416) { // no byte at that offset (for the first request: an empty file)
                c.disconnect();
                if (first) {
                    size = 0;
                    acceptsRanges = true;
                } else if (size >= 0 && offset < size) {
                    throw changed("HTTP 416 for bytes " + offset + "- of a file of " + size + " bytes", target, status);
                }
                return null;
            }
            if (status >= 400) {
                String reason = c.getResponseMessage();
                long retryAfter = retryAfter(c.getHeaderField("Retry-After"));
                c.disconnect();
                boolean transient_ = status == 408 || status == 429 || status == 500 || status == 502 || status == 503
                        || status == 504;
                throw new HttpSourceException("HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason.strip()),
                        target, status, false, false, transient_, retryAfter, null);
            }
            if (status != 200 && status != 206) {
                c.disconnect();
                throw new HttpSourceException("unexpected HTTP status " + status, target, status, false, null);
            }
            long start = 0;
            long end;
            long total;
            String tag = c.getHeaderField("ETag");
            String modified = c.getHeaderField("Last-Modified");
            if (status == 206) {
                String header = c.getHeaderField("Content-Range");
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(header).strip());
                if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                    c.disconnect();
                    if (first) {
                        throw new HttpSourceException("bad Content-Range '" + header + "' for bytes " + offset + "-",
                                target, status, false, null);
                    }
                    throw changed("asked for bytes " + offset + "-, got Content-Range '" + header + "'", target, status);
                }
                start = offset;
                end = Long.parseLong(m.group(2)) + 1;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else {
                total = c.getContentLengthLong();
                end = total;
            }
            if (first) {
                acceptsRanges = status == 206 || "bytes".equalsIgnoreCase(String.valueOf(c.getHeaderField("Accept-Ranges")).strip());
                rangesServed = status == 206;
                size = total;
                etag = tag;
                lastModified = modified;
            } else {
                String change = null;
                if (status == 200 && offset > 0 && validator != null && rangesServed) {
                    change = "HTTP 200 (the whole file) to a request for bytes " + offset + "- with If-Range " + validator;
                } else if (etag != null && tag != null && !etag.equals(tag)) {
                    change = "ETag " + etag + " became " + tag;
                } else if (lastModified != null && modified != null && !lastModified.equals(modified)) {
                    change = "Last-Modified " + lastModified + " became " + modified;
                } else if (total >= 0 && size >= 0 && total != size) {
                    change = "its length went from " + size + " to " + total + " bytes";
                }
                if (change != null) {
                    c.disconnect();
                    throw changed(change, target, status);
                }
                if (status == 206) {
                    rangesServed = true;
                } else if (offset > 0) {
                    acceptsRanges = false; // it ignored the range: read forward from now on
                }
            }
            InputStream in;
            try {
                in = c.getInputStream();
            } catch (IOException e) {
                c.disconnect();
                throw failure(e, target, "opening the response", false);
            }
            return new Connection(c, in, start, end);
        }
    }

    private static HttpSourceException changed(String how, URI target, int status) {
        return new HttpSourceException("the file changed on the server (" + how + ")", target, status, false, true, false,
                -1, null);
    }

    /** A {@code Retry-After} header in milliseconds (saturating, never wrapping); -1 for none or an HTTP date. */
    static long retryAfter(String header) {
        if (header == null) {
            return -1;
        }
        String value = header.strip();
        if (!value.matches("[0-9]{1,30}")) {
            return -1; // an HTTP date (or nonsense): the backoff decides
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE; // the wait is capped at the longest retry delay anyway
        }
    }

    /** A failed request: timeouts and dropped connections can be retried; so can refusals after the first contact. */
    private static HttpSourceException failure(IOException e, URI target, String while_, boolean first) {
        if (e instanceof HttpSourceException) {
            return (HttpSourceException) e;
        }
        if (e instanceof SocketTimeoutException) {
            String what = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                    ? "timed out connecting" : "timed out " + while_;
            return new HttpSourceException(what, target, -1, true, false, true, -1, e);
        }
        if (e instanceof ConnectException) {
            return new HttpSourceException("cannot connect (" + e.getMessage() + ")", target, -1, false, false, !first, -1, e);
        }
        if (e instanceof UnknownHostException) {
            return new HttpSourceException("unknown host " + e.getMessage(), target, -1, false, e);
        }
        if (e instanceof InterruptedIOException) {
            return new HttpSourceException("interrupted", target, -1, false, e);
        }
        return new HttpSourceException(network(e) + " " + while_, target, -1, false, false, true, -1, e);
    }

    /** What a network error says, in lower case words: "connection reset", "the connection closed early". */
    private static String network(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("premature eof") || lower.contains("unexpected end of file")) {
            return "the connection closed early";
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static URL toUrl(URI target) throws IOException {
        try {
            return target.toURL();
        } catch (MalformedURLException e) {
            throw new HttpSourceException("bad URL", target, -1, false, e);
        }
    }

    private static void checkHttp(URI uri) {
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + uri);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Called by a closed view: keeps a healthy connection for a later {@link #openAt(long)}. */
    private synchronized void release(Connection c) {
        open.remove(c);
        if (closed || c.broken) {
            c.disconnect();
            return;
        }
        if (idle != null) {
            idle.disconnect();
        }
        idle = c;
    }

    /** " after N of M bytes" for a failure at {@code position}. */
    private String after(long position) {
        long total;
        synchronized (this) {
            total = size;
        }
        return " after " + position + (total >= 0 ? " of " + total : "") + " bytes";
    }

    /**
     * A new connection for a stream whose connection failed at {@code position}: retries with
     * backoff until one reaches {@code position}, or throws when the retries are spent or the
     * file changed. {@code failures} counts the failures since the stream last received data.
     */
    private Connection resume(Connection broken, long position, HttpSourceException problem, int[] failures)
            throws IOException {
        synchronized (this) {
            open.remove(broken);
        }
        broken.disconnect();
        HttpSourceException last = problem;
        while (true) {
            if (closed) {
                throw new IOException("source is closed: " + uri);
            }
            if (failures[0] >= options.retries()) {
                String what = last.detail() + after(position);
                throw options.retries() == 0
                        ? new HttpSourceException(what, last.uri(), last.status(), last.isTimeout(), false, false, -1, last)
                        : gaveUp(last, what, failures[0]);
            }
            pause(failures[0], last);
            failures[0]++;
            Connection next = null;
            try {
                synchronized (this) {
                    if (closed) {
                        throw new IOException("source is closed: " + uri);
                    }
                    next = request(acceptsRanges ? position : 0, false, true);
                    if (next == null) {
                        throw changed("HTTP 416 for bytes " + position + "-", location, 416);
                    }
                    open.add(next);
                }
                byte[] drop = new byte[8192];
                while (next.position < position) { // a server without ranges: drop what was delivered
                    int n = next.in.read(drop, 0, (int) Math.min(drop.length, position - next.position));
                    if (n < 0) {
                        throw new HttpSourceException("the connection closed early", location(), -1, false, false, true,
                                -1, null);
                    }
                    next.position += n;
                    received.addAndGet(n);
                }
                return next;
            } catch (HttpSourceException e) {
                discard(next);
                if (!e.retryable) {
                    throw e;
                }
                last = e;
            } catch (SocketTimeoutException e) {
                discard(next);
                last = readTimeout(e);
            } catch (IOException e) {
                discard(next);
                if (closed || e instanceof InterruptedIOException) {
                    throw e;
                }
                last = failure(e, location(), "reading", false);
            }
        }
    }

    private void discard(Connection c) {
        if (c != null) {
            synchronized (this) {
                open.remove(c);
            }
            c.disconnect();
        }
    }

    private HttpSourceException readTimeout(SocketTimeoutException e) {
        return new HttpSourceException("timed out: no data for " + options.readTimeout().toMillis() / 1000.0 + " s",
                location(), -1, true, false, true, -1, e);
    }

    /** One response body and how far it has been read. */
    private static final class Connection {
        final HttpURLConnection http;
        final InputStream in;
        final long end; // exclusive end of the body in the file, -1: unknown
        long position;
        boolean broken;

        Connection(HttpURLConnection http, InputStream in, long position, long end) {
            this.http = http;
            this.in = in;
            this.position = position;
            this.end = end;
        }

        void disconnect() {
            http.disconnect();
        }
    }

    /** A stream over one connection (replaced when it fails and is resumed), from the offset it was opened at. */
    private final class View extends InputStream {
        private Connection c;
        private boolean viewClosed;
        private boolean failed;
        private final int[] failures = new int[1];

        View(Connection c) {
            this.c = c;
        }

        /** Reads and drops bytes up to {@code offset} (or the end of the body). */
        void skipTo(long offset) throws IOException {
            byte[] drop = new byte[8192];
            while (c != null && c.position < offset) {
                int n = read(drop, 0, (int) Math.min(drop.length, offset - c.position));
                if (n < 0) {
                    break;
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (viewClosed) {
                throw new IOException("stream closed");
            }
            if (c == null) {
                return -1;
            }
            if (failed) {
                throw new IOException("an earlier read failed: " + location());
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                HttpSourceException problem;
                try {
                    int n = c.in.read(b, off, len);
                    if (n > 0) {
                        c.position += n;
                        received.addAndGet(n);
                        failures[0] = 0;
                        return n;
                    }
                    if (n == 0) {
                        continue;
                    }
                    if (c.end < 0 || c.position >= c.end) {
                        return -1;
                    }
                    problem = new HttpSourceException("the connection closed early", location(), -1, false, false, true,
                            -1, null);
                } catch (SocketTimeoutException e) {
                    problem = readTimeout(e);
                } catch (IOException e) {
                    if (closed || viewClosed || e instanceof InterruptedIOException) {
                        fail();
                        throw e;
                    }
                    problem = new HttpSourceException(network(e), location(), -1, false, false, true, -1, e);
                }
                Connection broken = c;
                broken.broken = true;
                try {
                    c = resume(broken, broken.position, problem, failures);
                } catch (IOException e) {
                    c = broken;
                    fail();
                    throw e;
                }
            }
        }

        private void fail() {
            failed = true;
            c.broken = true;
        }

        @Override
        public long skip(long n) throws IOException {
            if (c == null || n <= 0) {
                return 0;
            }
            long from = c.position;
            skipTo(from + n);
            return c.position - from;
        }

        @Override
        public void close() {
            if (viewClosed) {
                return;
            }
            viewClosed = true;
            if (c != null) {
                release(c);
            }
        }
    }
}
