package io.github.encodecstream.http;

import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.source.HttpSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;

/**
 * One {@code GET} and its response: redirects (301, 302, 303, 307, 308; from http to https, and
 * from https to http only where {@link HttpSettings#insecureRedirects()}) followed up to the
 * limit, the response awaited within the deadline ({@link ResponseWait}), error statuses turned
 * into {@link HttpSourceException}s, the validators and {@code Content-Range} read, and the body
 * ({@link Body}) and how far it has been read. Built on {@link HttpURLConnection}, whose read timeout bounds each read;
 * {@link Connections#close()} ends a request or read in flight.
 */
public final class Exchange implements AutoCloseable {
    /** Where the response came from, after the redirects. */
    final URI location;
    /** 200, 206 or 416. */
    final int status;
    /** The {@code Content-Range} of a 206, or null (none, or malformed). */
    final ContentRange range;
    /** The {@code Content-Range} header as sent, or null. */
    final String rangeHeader;
    /** The version this response is of. */
    final Validators validators;
    /** Whether the server says it serves byte ranges ({@code Accept-Ranges: bytes}). */
    final boolean advertisesRanges;
    /** The exclusive end of the body in the file, -1: unknown. */
    final long end;
    /** The body; null for 416. */
    final Body body;
    /** The next byte of the file the body gives. */
    long position;
    /** Whether reading failed: not to be used again. */
    boolean broken;
    private final HttpURLConnection http;
    private final Connections connections;

    private Exchange(HttpURLConnection http, SocketRecorder sockets, Connections connections, HttpSettings settings,
            URI location, int status) throws IOException {
        this.http = http;
        this.connections = connections;
        this.location = location;
        this.status = status;
        this.advertisesRanges = "bytes".equalsIgnoreCase(String.valueOf(http.getHeaderField("Accept-Ranges")).strip());
        long total;
        rangeHeader = http.getHeaderField("Content-Range");
        if (status == 206) {
            range = ContentRange.parse(rangeHeader);
            position = range == null ? -1 : range.first();
            end = range == null ? -1 : range.end();
            total = range == null ? -1 : range.total();
        } else {
            range = null;
            total = status == 200 ? http.getContentLengthLong() : -1;
            end = total;
        }
        validators = new Validators(http.getHeaderField("ETag"), http.getHeaderField("Last-Modified"), total);
        if (status == 416) {
            body = null;
            return;
        }
        InputStream in;
        try {
            in = http.getInputStream();
        } catch (IOException e) {
            connections.remove(http);
            throw failure(e, location, "opening the response", false);
        }
        body = new Body(http, sockets, in, settings.readTimeout().toMillis(), nanos(settings.deadline()), location);
        connections.add(http, body::close);
    }

    /**
     * Sends a {@code GET} to {@code target} for the bytes from {@code offset} ({@code Range} when
     * {@code askRange}, {@code If-Range} when {@code ifRange} is not null), following redirects.
     * Returns a 200, 206 or 416 response; throws for the others. {@code firstContact}: a refused
     * connection is final (no server was ever reached).
     */
    static Exchange send(Resource resource, URI target, long offset, boolean askRange, String ifRange,
            boolean firstContact) throws IOException {
        HttpSettings settings = resource.settings;
        long until = System.nanoTime() + nanos(settings.deadline());
        for (int hop = 0;; hop++) {
            HttpURLConnection c = connect(settings, target);
            SocketRecorder sockets = null;
            if (c instanceof HttpsURLConnection https) {
                sockets = new SocketRecorder(settings.tls());
                https.setSSLSocketFactory(sockets);
            }
            if (askRange) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            if (ifRange != null) {
                c.setRequestProperty("If-Range", ifRange);
            }
            ResponseWait response = new ResponseWait(c, sockets);
            resource.connections.add(c, response::abort);
            response.start();
            resource.requests.incrementAndGet();
            int status;
            try {
                status = response.await(until);
            } catch (IOException e) {
                resource.connections.remove(c);
                resource.checkOpen();
                throw failure(e, target, "waiting for the response", firstContact);
            }
            if (status < 0) {
                resource.connections.remove(c);
                throw HttpSourceException.deadline("no response within the deadline of "
                        + seconds(settings.deadline()) + " s", target);
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String where = c.getHeaderField("Location");
                resource.connections.remove(c);
                target = redirect(target, status, where, hop, settings);
                continue;
            }
            if (status >= 400 && status != 416) {
                String reason = c.getResponseMessage();
                long retryAfter = Backoff.retryAfter(c.getHeaderField("Retry-After"), Instant.now());
                resource.connections.remove(c);
                throw HttpSourceException.ofStatus(target, status, reason, retryAfter);
            }
            if (status != 200 && status != 206 && status != 416) {
                resource.connections.remove(c);
                throw HttpSourceException.failed("unexpected HTTP status " + status, target, status, null);
            }
            return new Exchange(c, sockets, resource.connections, settings, target, status);
        }
    }

    private static HttpURLConnection connect(HttpSettings settings, URI target) throws IOException {
        URLConnection u;
        try {
            if (settings.proxy() == null) {
                u = target.toURL().openConnection();
            } else {
                List<Proxy> proxies = settings.proxy().select(target);
                u = target.toURL().openConnection(proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0));
            }
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw HttpSourceException.failed("bad URL (" + e.getMessage() + ")", target, -1, e);
        }
        HttpURLConnection c = (HttpURLConnection) u;
        c.setInstanceFollowRedirects(false); // ours: counted, each checked
        c.setUseCaches(false);
        c.setConnectTimeout(millis(settings.connectTimeout()));
        c.setReadTimeout(millis(settings.readTimeout()));
        c.setRequestProperty("User-Agent", settings.userAgent());
        c.setRequestProperty("Accept-Encoding", "identity");
        return c;
    }

    /** Where a redirect goes, checked: http(s), and from https to http only where the settings allow it. */
    static URI redirect(URI from, int status, String where, int hop, HttpSettings settings) throws HttpSourceException {
        if (where == null) {
            throw HttpSourceException.failed("HTTP " + status + " redirect without a Location", from, status, null);
        }
        if (hop >= settings.maxRedirects()) {
            throw HttpSourceException.failed("too many redirects (more than " + settings.maxRedirects() + ")", from,
                    status, null);
        }
        URI target;
        try {
            target = from.resolve(new URI(where.strip()));
        } catch (URISyntaxException e) {
            throw HttpSourceException.failed("bad redirect Location '" + where + "'", from, status, e);
        }
        if (!isHttp(target)) {
            throw HttpSourceException.failed("redirect to a URL that is not http(s)", target, status, null);
        }
        if (!settings.insecureRedirects() && "https".equalsIgnoreCase(from.getScheme())
                && "http".equalsIgnoreCase(target.getScheme())) {
            throw HttpSourceException.failed("redirect from https to http refused (" + target
                    + "; the system property " + Settings.HTTP_INSECURE_REDIRECTS_PROPERTY + "=true allows it)", from,
                    status, null);
        }
        return target;
    }

    /** Whether {@code uri} is an absolute http or https URL with a host. */
    public static boolean isHttp(URI uri) {
        String scheme = uri.getScheme();
        return uri.isAbsolute() && scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                && uri.getHost() != null;
    }

    /** Whether the response has a body: false for 416 (no bytes at the offset asked for). */
    public boolean hasBody() {
        return body != null;
    }

    /** The next byte of the file the body gives. */
    public long position() {
        return position;
    }

    /** The byte of the file this response starts at (-1: a 206 without a usable {@code Content-Range}). */
    long start() {
        return status == 206 ? (range == null ? -1 : range.first()) : 0;
    }

    /** Disconnects. */
    @Override
    public void close() {
        connections.remove(http);
    }

    /**
     * A failed request or read: timeouts and dropped connections may be retried; so may a refused
     * connection after the first contact. An interrupted thread gets an {@link InterruptedIOException}.
     */
    static IOException failure(IOException e, URI target, String while_, boolean firstContact) {
        if (Thread.currentThread().isInterrupted()) {
            InterruptedIOException stop = new InterruptedIOException("interrupted: " + target);
            stop.initCause(e);
            return stop;
        }
        if (e instanceof HttpSourceException) {
            return e;
        }
        if (e instanceof SocketTimeoutException) {
            String what = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                    ? "timed out connecting" : "timed out " + while_;
            return HttpSourceException.timeout(what, target, e);
        }
        if (e instanceof ConnectException) {
            String what = "cannot connect (" + e.getMessage() + ")";
            return firstContact ? HttpSourceException.failed(what, target, -1, e) : HttpSourceException.dropped(what, target, e);
        }
        if (e instanceof UnknownHostException) {
            return HttpSourceException.failed("unknown host " + e.getMessage(), target, -1, e);
        }
        if (e instanceof InterruptedIOException) {
            return HttpSourceException.failed("interrupted", target, -1, e);
        }
        return HttpSourceException.dropped(network(e) + (while_.isEmpty() ? "" : " " + while_), target, e);
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

    /** {@code d} in nanoseconds, at most about 100 years (so that adding it to a nano time cannot wrap). */
    static long nanos(Duration d) {
        return d.compareTo(Duration.ofDays(36_500)) > 0 ? Duration.ofDays(36_500).toNanos() : d.toNanos();
    }

    /** {@code d} in seconds, as "0.5" or "120". */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
