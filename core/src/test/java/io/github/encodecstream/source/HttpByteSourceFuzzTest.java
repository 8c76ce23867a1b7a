package io.github.encodecstream.source;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@link HttpByteSource}'s handling of responses: the input is the raw bytes of the
 * responses (status line, headers, body), one per request in turn, separated by
 * {@value #SEPARATOR}; a local server on 127.0.0.1 (the proxy of all http requests, so redirects
 * anywhere reach it) writes each and closes the connection. The
 * source is opened (1 retry, 1 ms apart), read from byte 0 and, when seekable, from byte 5. The
 * outcome is bytes or an {@link IOException} with a message ({@link HttpSourceException}).
 */
class HttpByteSourceFuzzTest {
    /** Separates the responses in an input. */
    static final String SEPARATOR = "\n~~\n";
    private static final HttpByteSource.Options OPTIONS = HttpByteSource.Options.defaults()
            .withTimeout(Duration.ofSeconds(2)).withRetries(1).withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(2));
    private static RawServer server;
    private static ProxySelector proxies;

    /**
     * Starts the server and makes it the proxy of every http request, so that a redirect to
     * another host reaches it too (no name lookup, no connection leaves the machine).
     */
    @BeforeAll
    static void start() throws IOException {
        server = new RawServer();
        proxies = ProxySelector.getDefault();
        Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
    }

    @AfterAll
    static void stop() throws IOException {
        ProxySelector.setDefault(proxies);
        server.close();
    }

    static Stream<Arguments> seeds() {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nAccept-Ranges: bytes\r\nETag: \"a\"\r\n"
                + "Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n0123456789";
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("200", responses(ok));
        seeds.put("206 and a range", responses(
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/10\r\nContent-Length: 10\r\nETag: \"a\"\r\n\r\n0123456789",
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nContent-Length: 5\r\nETag: \"a\"\r\n\r\n56789"));
        seeds.put("short body, resumed", responses(
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/10\r\nContent-Length: 10\r\n\r\n0123",
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/*\r\nContent-Length: 6\r\n\r\n456789"));
        seeds.put("redirect", responses("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n", ok));
        seeds.put("503, Retry-After", responses("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n", ok));
        seeds.put("416", responses("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */0\r\n\r\n"));
        seeds.put("chunked", responses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n0\r\n\r\n"));
        seeds.put("no length", responses("HTTP/1.0 200 OK\r\n\r\n0123456789abcdef"));
        return FuzzOracle.seeds(seeds);
    }

    private static byte[] responses(String... responses) {
        return String.join(SEPARATOR, responses).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** libFuzzer's dictionary syntax: \\xNN escapes. */
    @MethodSource("seeds")
    @DictionaryEntries({"HTTP/1.1 206 ", "HTTP/1.0 200 ", "\\x0d\\x0aContent-Range: bytes ", "\\x0d\\x0aContent-Length: ", "\\x0d\\x0aETag: ",
        "\\x0d\\x0aLast-Modified: ", "\\x0d\\x0aLocation: ", "\\x0d\\x0aRetry-After: ", "\\x0d\\x0aAccept-Ranges: bytes",
        "\\x0d\\x0aTransfer-Encoding: chunked", "\\x0d\\x0aConnection: close", "99999999999999999999", "-1", "*", "\\x0a~~\\x0a"})
    @FuzzTest
    void responses(byte[] data) {
        server.serve(data);
        try (SilentCloseable local = BugDetectors.allowNetworkConnections(
                (host, port) -> port == server.port())) {
            FuzzOracle.check(() -> {
                try (HttpByteSource source = HttpByteSource.open(server.uri(), OPTIONS)) {
                    source.size();
                    try (InputStream in = source.openAt(0)) {
                        in.readNBytes(1 << 20);
                    }
                    if (source.isSeekable()) {
                        try (InputStream in = source.openAt(5)) {
                            in.readNBytes(1 << 20);
                        }
                    }
                }
            });
        }
    }

    /** Answers the n-th request with the n-th response of the input, then closes the connection. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger next = new AtomicInteger();
        private volatile List<byte[]> responses = List.of();

        RawServer() throws IOException {
            Thread t = new Thread(this::run, "fuzz-http");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port() + "/file.ecdc");
        }

        void serve(byte[] data) {
            List<byte[]> parts = new ArrayList<>();
            byte[] sep = SEPARATOR.getBytes(StandardCharsets.ISO_8859_1);
            int from = 0;
            for (int i = 0; i + sep.length <= data.length; i++) {
                if (Arrays.equals(data, i, i + sep.length, sep, 0, sep.length)) {
                    parts.add(Arrays.copyOfRange(data, from, i));
                    from = i + sep.length;
                    i = from - 1;
                }
            }
            parts.add(Arrays.copyOfRange(data, from, data.length));
            next.set(0);
            responses = parts;
        }

        private void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(2000);
                    readRequest(s.getInputStream());
                    int n = next.getAndIncrement();
                    List<byte[]> r = responses;
                    if (n < r.size()) {
                        OutputStream out = s.getOutputStream();
                        out.write(r.get(n));
                        out.flush();
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the client went away, or the server closed
                }
            }
        }

        /** Reads up to the blank line that ends the request's headers. */
        private static void readRequest(InputStream in) throws IOException {
            int state = 0;
            for (int i = 0; i < 1 << 16 && state < 4; i++) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                state = b == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (b == '\r' ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
