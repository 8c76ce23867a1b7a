package io.github.encodecstream.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.CloseEndsACall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HttpByteSource} against a local server with and without Range support, redirects, errors, stalls. */
class HttpByteSourceTest {
    private static final byte[] DATA = new byte[300_000];

    static {
        new Random(7).nextBytes(DATA);
    }

    private TestHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpServer().put("data.bin", DATA).put("empty.bin", new byte[0]);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** 5 s timeouts, 5 retries 10 ms apart (doubling to 40 ms). */
    private static HttpByteSource.Options fast() {
        return HttpByteSource.Options.defaults().withTimeout(Duration.ofSeconds(5)).withRetries(5)
                .withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(40));
    }

    private static byte[] read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return b;
    }

    private List<String> ranges() {
        return server.requests().stream().map(r -> r.path() + " " + r.range()).collect(Collectors.toList());
    }

    @Test
    void readsTheWholeFileFromOneRequest() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast());
                InputStream in = s.openAt(0)) {
            assertTrue(s.acceptsRanges());
            assertTrue(s.isSeekable());
            assertEquals(DATA.length, s.size().getAsLong());
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(1, s.requests());
            assertEquals(DATA.length, s.bytesReceived());
        }
        assertEquals(List.of("/files/data.bin bytes=0-"), ranges());
    }

    @Test
    void seeksWithRangeRequests() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withForwardSkipLimit(1000))) {
            try (InputStream in = s.openAt(0)) {
                assertArrayEquals(Arrays.copyOf(DATA, 10), read(in, 10));
            }
            // a short jump forward reads on from the released response
            try (InputStream in = s.openAt(500)) {
                assertArrayEquals(Arrays.copyOfRange(DATA, 500, 600), read(in, 100));
            }
            assertEquals(1, s.requests());
            // a long one, and one backwards, are range requests
            try (InputStream in = s.openAt(200_000)) {
                assertArrayEquals(Arrays.copyOfRange(DATA, 200_000, DATA.length), in.readAllBytes());
            }
            try (InputStream in = s.openAt(42)) {
                assertArrayEquals(Arrays.copyOfRange(DATA, 42, 142), read(in, 100));
            }
            assertEquals(3, s.requests());
            assertTrue(s.bytesReceived() < 120_000 + 1000 + 200, "bytes received " + s.bytesReceived());
            // past the end: an empty stream, no request
            try (InputStream in = s.openAt(DATA.length + 5)) {
                assertEquals(-1, in.read());
            }
            assertEquals(3, s.requests());
        }
        assertEquals(List.of("/files/data.bin bytes=0-", "/files/data.bin bytes=200000-", "/files/data.bin bytes=42-"),
                ranges());
    }

    @Test
    void streamsAreIndependent() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast());
                InputStream a = s.openAt(0); InputStream b = s.openAt(1000)) {
            assertArrayEquals(Arrays.copyOfRange(DATA, 1000, 1010), read(b, 10));
            assertArrayEquals(Arrays.copyOf(DATA, 10), read(a, 10));
            assertArrayEquals(Arrays.copyOfRange(DATA, 1010, 1020), read(b, 10));
        }
    }

    @Test
    void withoutRangeSupportReadsForward() throws IOException {
        server.ranges(false);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withForwardSkipLimit(0))) {
            assertFalse(s.acceptsRanges());
            assertTrue(s.isSeekable(), "any offset can be reached, by reading");
            assertEquals(DATA.length, s.size().getAsLong());
            try (InputStream in = s.openAt(0)) {
                assertArrayEquals(Arrays.copyOf(DATA, 10), read(in, 10));
            }
            try (InputStream in = s.openAt(250_000)) { // forward on the same response
                assertArrayEquals(Arrays.copyOfRange(DATA, 250_000, 250_100), read(in, 100));
            }
            assertEquals(1, s.requests());
            try (InputStream in = s.openAt(5)) { // backwards: from the start again
                assertArrayEquals(Arrays.copyOfRange(DATA, 5, 105), read(in, 100));
            }
            assertEquals(2, s.requests());
        }
        assertEquals(List.of("/files/data.bin bytes=0-", "/files/data.bin null"), ranges());
    }

    @Test
    void followsRedirectsAndRequestsTheFinalLocation() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/redirect/2/data.bin"), fast().withForwardSkipLimit(0))) {
            assertEquals(server.uri("/files/data.bin"), s.location());
            try (InputStream in = s.openAt(100_000)) {
                assertArrayEquals(Arrays.copyOfRange(DATA, 100_000, 100_010), read(in, 10));
            }
        }
        assertEquals(List.of("/redirect/2/data.bin bytes=0-", "/redirect/1/data.bin bytes=0-",
                "/redirect/0/data.bin bytes=0-", "/files/data.bin bytes=0-", "/files/data.bin bytes=100000-"), ranges());
    }

    @Test
    void tooManyRedirectsFail() {
        HttpByteSource.Options options = new HttpByteSource.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), 2, 0, "t",
                0, Duration.ZERO, Duration.ZERO);
        HttpSourceException e = assertThrows(HttpSourceException.class,
                () -> HttpByteSource.open(server.uri("/redirect/5/data.bin"), options));
        assertTrue(e.getMessage().contains("too many redirects"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410, 500, 503})
    void errorStatusesFailWithStatusAndUrl(int status) {
        URI uri = server.uri("/status/" + status);
        HttpSourceException e = assertThrows(HttpSourceException.class, () -> HttpByteSource.open(uri, fast()));
        assertEquals(status, e.status());
        assertFalse(e.isTimeout());
        assertTrue(e.detail().startsWith("HTTP " + status), e.detail());
        assertTrue(e.getMessage().endsWith(": " + uri), e.getMessage());
        assertEquals(uri, e.uri());
        boolean retried = status >= 500;
        assertEquals(retried ? 6 : 1, server.requests().size(), "5xx are retried 5 times, 4xx not");
        assertEquals(retried, e.detail().endsWith("; gave up after 5 retries"), e.detail());
    }

    @Test
    void missingFileAfterRedirectNamesTheFinalUrl() {
        HttpSourceException e = assertThrows(HttpSourceException.class,
                () -> HttpByteSource.open(server.uri("/redirect/0/nothing.bin"), fast()));
        assertEquals(404, e.status());
        assertEquals(server.uri("/files/nothing.bin"), e.uri());
    }

    @Test
    void stalledServerTimesOutWaitingForTheResponse() {
        HttpByteSource.Options options = fast().withTimeout(Duration.ofMillis(500)).withRetries(1);
        HttpSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                HttpSourceException.class, () -> HttpByteSource.open(server.uri("/stall-headers/data.bin"), options)));
        assertTrue(e.isTimeout());
        assertEquals("timed out waiting for the response; gave up after 1 retry", e.detail());
        assertEquals(2, server.requests().size());
    }

    @Test
    void stalledBodyTimesOut() throws IOException {
        HttpByteSource.Options options = fast().withTimeout(Duration.ofMillis(500)).withRetries(2);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/stall-body/data.bin"), options);
                InputStream in = s.openAt(0)) {
            assertArrayEquals(Arrays.copyOf(DATA, 100), read(in, 100));
            HttpSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(HttpSourceException.class, () -> in.read()));
            assertTrue(e.isTimeout());
            // each retry asks again, gets the same 100 bytes (no ranges there) and stalls again
            assertEquals("timed out: no data for 0.5 s after 100 of 300000 bytes; gave up after 2 retries", e.detail());
            assertEquals(3, server.requests().size());
            assertThrows(IOException.class, in::read, "the stream stays failed");
        }
    }

    @Test
    void refusedConnectionFails() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HttpSourceException e = assertThrows(HttpSourceException.class,
                () -> HttpByteSource.open(URI.create("http://127.0.0.1:" + port + "/x.ecdc"), fast()));
        assertTrue(e.detail().startsWith("cannot connect"), e.detail());
    }

    @Test
    void emptyFile() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/empty.bin"), fast()); InputStream in = s.openAt(0)) {
            assertEquals(-1, in.read());
            assertEquals(0, s.size().getAsLong());
        }
    }

    @Test
    void fileChangedOnTheServerFails() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withForwardSkipLimit(0))) {
            s.openAt(0).close();
            server.put("data.bin", Arrays.copyOf(DATA, 1000));
            IOException e = assertThrows(IOException.class, () -> s.openAt(500));
            assertTrue(e.getMessage().contains("changed"), e.getMessage());
        }
    }

    @Test
    void notHttpIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HttpByteSource.open(URI.create("ftp://example.com/x")));
        assertThrows(IllegalArgumentException.class, () -> HttpByteSource.open(URI.create("/local/path")));
        assertTrue(HttpByteSource.isHttpUrl("HTTPS://example.com/a.ecdc"));
        assertFalse(HttpByteSource.isHttpUrl("song.ecdc"));
    }

    @Test
    void closedSourceRefusesStreams() throws IOException {
        HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast());
        InputStream in = s.openAt(0);
        s.close();
        assertThrows(IOException.class, () -> s.openAt(0));
        assertThrows(IOException.class, () -> in.readNBytes(DATA.length));
    }

    @Test
    void retryAfterOfTheServerIsHonoured() throws IOException {
        server.failNext(503, 1).retryAfter(() -> "1");
        HttpByteSource.Options options = fast().withRetryDelays(Duration.ofMillis(10), Duration.ofSeconds(2));
        long start = System.nanoTime();
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), options); InputStream in = s.openAt(0)) {
            assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited the second the server asked for");
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(1, s.retries());
        }
        server.clearRequests();
        server.failNext(503, 1).retryAfter(() -> "3600");
        start = System.nanoTime();
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"),
                fast().withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(300)))) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 300 && millis < 3000, "an hour, capped at the longest delay: " + millis + " ms");
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedReadWithinASecond() throws Exception {
        HttpByteSource.Options options = fast().withTimeout(Duration.ofSeconds(30));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/stall-body/data.bin"), options);
                InputStream in = s.openAt(0)) {
            assertArrayEquals(Arrays.copyOf(DATA, 100), read(in, 100));
            Thread closer = new Thread(() -> {
                sleep(300);
                s.close();
            });
            closer.start();
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(IOException.class, in::read));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1300, "ended " + millis + " ms after the read began (closed after 300 ms)");
            closer.join(1000);
            assertFalse(closer.isAlive(), "close() itself did not wait for the read");
        }
    }

    @Test
    void closeDuringAStalledRequestReturnsAtOnceAndEndsTheRequest() throws Exception {
        HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"),
                fast().withTimeout(Duration.ofSeconds(30)).withForwardSkipLimit(0));
        server.stallResponses(-1);
        FutureTask<InputStream> seek = inThread(() -> s.openAt(200_000)); // a range request, never answered
        waitUntil(() -> server.requests().size() == 2);
        FutureTask<String> state = inThread(() -> s.size().getAsLong() + " " + s.location() + " " + s.acceptsRanges());
        assertEquals(DATA.length + " " + server.uri("/files/data.bin") + " true", state.get(5, TimeUnit.SECONDS),
                "no lock held while the request waits");
        IOException e = CloseEndsACall.assertCloseEnds(s, seek);
        assertTrue(e.getMessage().startsWith("source is closed"), e.toString());
    }

    @Test
    void aTricklingServerFailsTheReadAtTheDeadline() throws IOException {
        // a byte every 100 ms: each read's 5 s timeout lets it through, the 1 s deadline does not
        HttpByteSource.Options options = fast().withDeadline(Duration.ofSeconds(1));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/trickle/data.bin"), options);
                InputStream in = s.openAt(0)) {
            long start = System.nanoTime();
            HttpSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    HttpSourceException.class, () -> in.transferTo(OutputStream.nullOutputStream())));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.isTimeout() && !e.isRetryable(), e.getMessage());
            assertTrue(e.detail().matches("the server sent only \\d+ bytes in the deadline of 1 s"), e.detail());
            assertTrue(millis >= 900 && millis < 5000, "failed after " + millis + " ms");
            assertEquals(1, server.requests().size(), "not retried");
        }
    }

    @Test
    void aResponseLaterThanTheDeadlineFailsWithoutRetries() {
        HttpByteSource.Options options = fast().withDeadline(Duration.ofMillis(500)); // 5 s read timeout
        long start = System.nanoTime();
        HttpSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                HttpSourceException.class, () -> HttpByteSource.open(server.uri("/stall-headers/data.bin"), options)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.isTimeout() && !e.isRetryable(), e.getMessage());
        assertEquals("no response within the deadline of 0.5 s", e.detail());
        assertTrue(millis >= 450 && millis < 4000, "failed after " + millis + " ms");
        assertEquals(1, server.requests().size());
    }

    @Test
    void headersTrickledLongerThanTheDeadlineFail() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread trickler = new Thread(() -> {
                try (Socket client = listener.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) { // a header line every 100 ms: each within the read timeout
                        out.write(("X-Line-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away
                }
            }, "test-trickler");
            trickler.setDaemon(true);
            trickler.start();
            URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/x.ecdc");
            long start = System.nanoTime();
            HttpSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                    HttpSourceException.class, () -> HttpByteSource.open(uri, fast().withDeadline(Duration.ofSeconds(1)))));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("no response within the deadline of 1 s", e.detail());
            assertTrue(millis >= 900 && millis < 5000, "failed after " + millis + " ms");
        }
    }

    @Test
    void aReaderSlowerThanTheServerNeverMeetsTheDeadline() throws IOException, InterruptedException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"),
                fast().withDeadline(Duration.ofSeconds(1))); InputStream in = s.openAt(0)) {
            byte[] got = new byte[DATA.length];
            int n = in.readNBytes(got, 0, 100_000); // waits for the server more than once
            Thread.sleep(1500); // longer than the deadline: the buffer fills meanwhile, the server keeps up
            in.readNBytes(got, n, DATA.length - n);
            assertArrayEquals(DATA, got);
        }
    }

    @Test
    void optionsCarryTheDeadlineAndTheRedirectRule() {
        HttpByteSource.Options defaults = HttpByteSource.Options.defaults();
        assertEquals(HttpByteSource.DEFAULT_DEADLINE, defaults.deadline());
        assertFalse(defaults.insecureRedirects(), "https to http is refused by default");
        HttpByteSource.Options changed = defaults.withDeadline(Duration.ofSeconds(7)).withInsecureRedirects(true)
                .withRetries(2);
        assertEquals(Duration.ofSeconds(7), changed.deadline());
        assertTrue(changed.insecureRedirects());
        assertThrows(IllegalArgumentException.class, () -> defaults.withDeadline(Duration.ZERO));
        assertEquals(Duration.ofSeconds(300), defaults.withTimeout(Duration.ofSeconds(300)).deadline(),
                "never shorter than a longer timeout");
        assertEquals(defaults.deadline(), defaults.withTimeout(Duration.ofSeconds(5)).deadline());
    }

    private static <T> FutureTask<T> inThread(Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = new Thread(f, "test-caller");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting");
            Thread.sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
