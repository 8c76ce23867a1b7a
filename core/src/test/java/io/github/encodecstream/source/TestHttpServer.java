package io.github.encodecstream.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server on 127.0.0.1 (a free port) for the URL tests. Paths:
 * <ul>
 *   <li>{@code /files/NAME}: the registered bytes; with Range support ({@code 206}, {@code
 *       Accept-Ranges: bytes}) unless {@link #ranges(boolean) turned off}, when Range headers are
 *       ignored ({@code 200}, whole file);</li>
 *   <li>{@code /redirect/N/NAME}: {@code 302} to {@code /redirect/N-1/NAME}, and from 0 to
 *       {@code /files/NAME};</li>
 *   <li>{@code /status/CODE}: that status with a short body;</li>
 *   <li>{@code /stall-headers/NAME}: never answers (until {@link #close()});</li>
 *   <li>{@code /stall-body/NAME}: sends the headers and the first 100 bytes, then nothing;</li>
 *   <li>{@code /trickle/NAME}: sends the headers, then one byte every 100 ms.</li>
 * </ul>
 * Files carry an {@code ETag} (from their content) and a {@code Last-Modified} (from their version:
 * each {@link #put} is a new one), unless {@link #validators turned off}; {@code If-Range} is
 * honoured (a mismatch gets {@code 200} and the whole file). Faults for {@code /files/}:
 * {@link #dropAfter} (the body ends early and the connection closes) and {@link #stallAfter} (the
 * body stops, the connection stays open), for a number of responses; {@link #onFault} runs after
 * each (e.g. to change the file); {@link #failNext} answers a status, with {@link #retryAfter} a
 * {@code Retry-After}; {@link #stallResponses} answers nothing. Every request is logged with its path, Range and If-Range headers.
 */
public final class TestHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One request as received. */
    public record Request(String method, String path, String range, String ifRange) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean ranges = true;
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger version = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean etags = true;
    private volatile boolean lastModified = true;
    private volatile int faultAfter;
    private final java.util.concurrent.atomic.AtomicInteger faultsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger faults = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stall;
    private volatile boolean honourIfRange = true;
    private volatile int failStatus;
    private final java.util.concurrent.atomic.AtomicInteger stallsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger failsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Runnable onFault = () -> {};
    private volatile java.util.function.Supplier<String> retryAfter = () -> null;

    /** Starts a server. */
    public TestHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code bytes} at {@code /files/NAME}. */
    public TestHttpServer put(String name, byte[] bytes) {
        files.put(name, bytes.clone());
        versions.put(name, version.incrementAndGet());
        return this;
    }

    /** Turns the {@code ETag} and {@code Last-Modified} headers on or off. */
    public TestHttpServer validators(boolean etag, boolean modified) {
        etags = etag;
        lastModified = modified;
        return this;
    }

    /**
     * The next {@code times} responses of {@code /files/} (negative: all) send at most {@code bytes}
     * bytes of their body, then close the connection (the body is shorter than its length).
     */
    public TestHttpServer dropAfter(int bytes, int times) {
        stall = false;
        faultAfter = bytes;
        faultsLeft.set(times);
        return this;
    }

    /** Like {@link #dropAfter}, but the connection stays open and silent (until {@link #close()}). */
    public TestHttpServer stallAfter(int bytes, int times) {
        stall = true;
        faultAfter = bytes;
        faultsLeft.set(times);
        return this;
    }

    /** Runs after each fault of {@link #dropAfter} or {@link #stallAfter} (null: nothing). */
    public TestHttpServer onFault(Runnable action) {
        onFault = action == null ? () -> {} : action;
        return this;
    }

    /** The next {@code times} requests of {@code /files/} (negative: all) get {@code status} and no file. */
    public TestHttpServer failNext(int status, int times) {
        failStatus = status;
        failsLeft.set(times);
        return this;
    }

    /** The next {@code times} requests of {@code /files/} (negative: all) get no answer (until {@link #close()}). */
    public TestHttpServer stallResponses(int times) {
        stallsLeft.set(times);
        return this;
    }

    /** The {@code Retry-After} header of the {@link #failNext} responses (null: none), made for each. */
    public TestHttpServer retryAfter(java.util.function.Supplier<String> header) {
        retryAfter = header == null ? () -> null : header;
        return this;
    }

    /** Whether {@code If-Range} is honoured (default) or ignored (a range of whatever version is there). */
    public TestHttpServer honourIfRange(boolean on) {
        honourIfRange = on;
        return this;
    }

    /** Faults so far. */
    public int faults() {
        return faults.get();
    }

    /** Turns Range support on or off. */
    public TestHttpServer ranges(boolean on) {
        ranges = on;
        return this;
    }

    /** The URL of a path. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The requests received so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** Forgets the requests received so far. */
    public void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        requests.add(new Request(ex.getRequestMethod(), path, range, ifRange));
        try (ex) {
            String[] parts = path.split("/", 4);
            String kind = parts.length > 1 ? parts[1] : "";
            switch (kind) {
                case "files" -> serve(ex, path.substring("/files/".length()), range, ifRange);
                case "redirect" -> {
                    int n = Integer.parseInt(parts[2]);
                    String rest = parts[3];
                    ex.getResponseHeaders().add("Location", n <= 0 ? "/files/" + rest : "/redirect/" + (n - 1) + "/" + rest);
                    ex.sendResponseHeaders(302, -1);
                }
                case "status" -> {
                    byte[] body = ("status " + parts[2]).getBytes();
                    ex.sendResponseHeaders(Integer.parseInt(parts[2]), body.length);
                    ex.getResponseBody().write(body);
                }
                case "stall-headers" -> waitForClose();
                case "trickle" -> trickle(ex, files.get(path.substring("/trickle/".length())));
                case "stall-body" -> {
                    byte[] data = files.get(path.substring("/stall-body/".length()));
                    ex.sendResponseHeaders(200, data.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(data, 0, Math.min(100, data.length));
                    out.flush();
                    waitForClose();
                }
                default -> ex.sendResponseHeaders(404, -1);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void serve(HttpExchange ex, String name, String range, String ifRange) throws IOException {
        byte[] data = files.get(name);
        if (data == null) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        if (stallsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
            waitForClose();
            return;
        }
        if (failsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
            String wait = retryAfter.get();
            if (wait != null) {
                ex.getResponseHeaders().add("Retry-After", wait);
            }
            ex.sendResponseHeaders(failStatus, -1);
            return;
        }
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        if (ranges) {
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        }
        String tag = "\"" + name + "-" + Integer.toHexString(java.util.Arrays.hashCode(data)) + "-" + data.length + "\"";
        String modified = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC).plusMinutes(versions.get(name)));
        if (etags) {
            ex.getResponseHeaders().add("ETag", tag);
        }
        if (lastModified) {
            ex.getResponseHeaders().add("Last-Modified", modified);
        }
        boolean rangeApplies = ifRange == null || !honourIfRange || (etags && ifRange.equals(tag)) || (lastModified && ifRange.equals(modified));
        if (ranges && m != null && m.matches() && rangeApplies) {
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? data.length - 1 : Math.min(data.length - 1, Long.parseLong(m.group(2)));
            if (start >= data.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + data.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + data.length);
            ex.sendResponseHeaders(206, end - start + 1);
            body(ex, data, (int) start, (int) (end - start + 1));
        } else {
            ex.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
            body(ex, data, 0, data.length);
        }
    }

    /** Writes the body, or the part of it before a fault. */
    private void body(HttpExchange ex, byte[] data, int from, int length) throws IOException {
        OutputStream out = ex.getResponseBody();
        if (length > faultAfter && faultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
            out.write(data, from, faultAfter);
            out.flush();
            faults.incrementAndGet();
            onFault.run();
            if (stall) {
                waitForClose();
            }
            // closing the exchange with bytes missing closes the connection
            return;
        }
        out.write(data, from, length);
    }

    /** Sends {@code data} a byte every 100 ms (until {@link #close()}). */
    private void trickle(HttpExchange ex, byte[] data) throws IOException {
        ex.sendResponseHeaders(200, data.length);
        OutputStream out = ex.getResponseBody();
        for (byte b : data) {
            out.write(b);
            out.flush();
            try {
                if (closing.await(100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void waitForClose() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
