package io.github.encodecstream.source;

import java.io.IOException;
import java.io.InputStream;
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
 * <p>Failures are {@link HttpSourceException}s: an error status (4xx, 5xx) with the status line, a
 * connection that cannot be made within {@link Options#connectTimeout()}, a server that sends no
 * data for {@link Options#readTimeout()} (while waiting for the response or in the middle of the
 * body). A file that changes on the server between requests (another {@code ETag} or length) fails.
 *
 * <p>Built on {@link HttpURLConnection}, whose read timeout bounds each read of the body. Streams
 * from {@link #openAt(long)} are independent; the source is thread-safe.
 */
public final class HttpByteSource implements ByteSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)",
            Pattern.CASE_INSENSITIVE);

    /**
     * Settings.
     *
     * @param connectTimeout how long to wait for a connection
     * @param readTimeout how long to wait for the response and for each read of the body
     * @param maxRedirects redirects followed per request
     * @param forwardSkipLimit bytes read and dropped rather than sending a new range request
     * @param userAgent the {@code User-Agent} header
     */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxRedirects, long forwardSkipLimit,
            String userAgent) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(userAgent, "userAgent");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxRedirects < 0 || forwardSkipLimit < 0) {
                throw new IllegalArgumentException("maxRedirects and forwardSkipLimit must be >= 0");
            }
        }

        /** 15 s to connect, 30 s without data, 10 redirects, forward skips up to 256 KiB. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(15), Duration.ofSeconds(30), 10, 256 * 1024, "encodec-stream");
        }

        /** With both timeouts set to {@code timeout}. */
        public Options withTimeout(Duration timeout) {
            return new Options(timeout, timeout, maxRedirects, forwardSkipLimit, userAgent);
        }

        /** With another forward-skip limit (0: every jump forward is a range request, where accepted). */
        public Options withForwardSkipLimit(long bytes) {
            return new Options(connectTimeout, readTimeout, maxRedirects, bytes, userAgent);
        }
    }

    private final URI uri;
    private final Options options;
    private final Set<Connection> open = new HashSet<>();
    private URI location;
    private boolean acceptsRanges;
    private long size = -1;
    private String etag;
    private Connection idle;
    private boolean closed;
    private long received;
    private int requests;

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
        synchronized (source) {
            Connection first = source.request(0, true);
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

    /** Where the requests go: the URL after the redirects of the last request. */
    public synchronized URI location() {
        return location;
    }

    /** Whether the server serves byte ranges. */
    public synchronized boolean acceptsRanges() {
        return acceptsRanges;
    }

    /** Bytes of response bodies read so far (including bytes read to skip forward). */
    public synchronized long bytesReceived() {
        return received;
    }

    /** Requests sent so far, redirects included. */
    public synchronized int requests() {
        return requests;
    }

    @Override
    public synchronized InputStream openAt(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (closed) {
            throw new IOException("source is closed: " + uri);
        }
        Connection c = idle;
        idle = null;
        if (c != null && c.position <= offset
                && (offset - c.position <= options.forwardSkipLimit() || !acceptsRanges)) {
            open.add(c);
            View view = new View(c);
            view.skipTo(offset);
            return view;
        }
        if (c != null) {
            c.disconnect();
        }
        if (size >= 0 && offset >= size) {
            return new View(null);
        }
        Connection next = request(acceptsRanges ? offset : 0, false);
        if (next == null) {
            return new View(null); // 416: nothing there
        }
        open.add(next);
        View view = new View(next);
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
     * Sends a GET for the bytes from {@code offset} on, following redirects; returns null for 416
     * (nothing at that offset). The caller holds the lock.
     */
    private Connection request(long offset, boolean first) throws IOException {
        URI target = location;
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
            requests++;
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                c.disconnect();
                throw failure(e, target, "waiting for the response");
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
                }
                return null;
            }
            if (status >= 400) {
                String reason = c.getResponseMessage();
                c.disconnect();
                throw new HttpSourceException("HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason.strip()),
                        target, status, false, null);
            }
            if (status != 200 && status != 206) {
                c.disconnect();
                throw new HttpSourceException("unexpected HTTP status " + status, target, status, false, null);
            }
            InputStream in;
            try {
                in = c.getInputStream();
            } catch (IOException e) {
                c.disconnect();
                throw failure(e, target, "opening the response");
            }
            long start = 0;
            long total = -1;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")).strip());
                if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                    c.disconnect();
                    throw new HttpSourceException("bad Content-Range '" + c.getHeaderField("Content-Range")
                            + "' for bytes " + offset + "-", target, status, false, null);
                }
                start = offset;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else {
                long length = c.getContentLengthLong();
                total = length;
            }
            String tag = c.getHeaderField("ETag");
            if (first) {
                acceptsRanges = status == 206 || "bytes".equalsIgnoreCase(String.valueOf(c.getHeaderField("Accept-Ranges")).strip());
                size = total;
                etag = tag;
            } else {
                if (status == 200 && offset > 0) {
                    acceptsRanges = false; // it ignored the range: read forward from now on
                }
                if ((total >= 0 && size >= 0 && total != size) || (etag != null && tag != null && !etag.equals(tag))) {
                    c.disconnect();
                    throw new HttpSourceException("the file changed on the server", target, status, false, null);
                }
            }
            return new Connection(c, in, start);
        }
    }

    private static HttpSourceException failure(IOException e, URI target, String while_) {
        if (e instanceof HttpSourceException) {
            return (HttpSourceException) e;
        }
        if (e instanceof SocketTimeoutException) {
            String what = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                    ? "timed out connecting" : "timed out " + while_;
            return new HttpSourceException(what, target, -1, true, e);
        }
        if (e instanceof ConnectException) {
            return new HttpSourceException("cannot connect (" + e.getMessage() + ")", target, -1, false, e);
        }
        if (e instanceof UnknownHostException) {
            return new HttpSourceException("unknown host " + e.getMessage(), target, -1, false, e);
        }
        return new HttpSourceException(String.valueOf(e.getMessage()), target, -1, false, e);
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

    private synchronized void count(long n) {
        received += n;
    }

    /** One response body and how far it has been read. */
    private static final class Connection {
        final HttpURLConnection http;
        final InputStream in;
        long position;
        boolean broken;

        Connection(HttpURLConnection http, InputStream in, long position) {
            this.http = http;
            this.in = in;
            this.position = position;
        }

        void disconnect() {
            http.disconnect();
        }
    }

    /** A stream over one connection, from the offset it was opened at. */
    private final class View extends InputStream {
        private final Connection c;
        private boolean viewClosed;

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
            if (c.broken) {
                throw new IOException("an earlier read failed: " + location());
            }
            if (len == 0) {
                return 0;
            }
            int n;
            try {
                n = c.in.read(b, off, len);
            } catch (IOException e) {
                c.broken = true;
                if (e instanceof SocketTimeoutException) {
                    throw new HttpSourceException("timed out: no data for " + options.readTimeout().toMillis() / 1000.0
                            + " s", location(), -1, true, e);
                }
                throw failure(e, location(), "reading");
            }
            if (n > 0) {
                c.position += n;
                count(n);
            }
            return n;
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
