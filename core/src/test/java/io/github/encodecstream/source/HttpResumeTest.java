package io.github.encodecstream.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpByteSource} against a flaky local server: dropped connections, short bodies, stalls,
 * files that change between two requests, servers without ranges, redirects. Every read either
 * gives the file's bytes, byte for byte, or fails with an {@link HttpSourceException} that says why.
 */
class HttpResumeTest {
    private static final byte[] DATA = new byte[300_000];
    private static final byte[] OTHER = new byte[300_000];

    static {
        new Random(7).nextBytes(DATA);
        new Random(8).nextBytes(OTHER);
    }

    private TestHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestHttpServer().put("data.bin", DATA);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** 2 s timeouts, 5 retries from 5 ms doubling to 20 ms. */
    private static HttpByteSource.Options fast() {
        return HttpByteSource.Options.defaults().withTimeout(Duration.ofSeconds(2)).withRetries(5)
                .withRetryDelays(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    private List<String> log() {
        return server.requests().stream().map(r -> r.path() + " " + r.range() + (r.ifRange() == null ? "" : " if " + r.ifRange()))
                .collect(Collectors.toList());
    }

    /** Reads what a stream gives until it fails; the failure, or null at the end. */
    private static IOException readUntilFailure(InputStream in, ByteArrayOutputStream got) {
        byte[] b = new byte[7000];
        try {
            for (int n; (n = in.read(b)) >= 0;) {
                got.write(b, 0, n);
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vectors/24k_full.ecdc", "vectors/24k_bw24.ecdc", "vectors/48k_bw12.ecdc", "seed/seed_b32.ecdc",
            "seed/seed_b6.ecdc"})
    void referenceFilesSurviveADropEveryKiB(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(ReferenceData.file(file));
        server.put("v.ecdc", bytes).dropAfter(1024, -1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/v.ecdc"), fast()); InputStream in = s.openAt(0)) {
            assertArrayEquals(bytes, in.readAllBytes());
            int drops = (bytes.length - 1) / 1024;
            assertEquals(drops, s.retries());
            assertEquals(drops + 1, s.requests());
            assertEquals(bytes.length, s.bytesReceived(), "nothing is read twice");
        }
        List<String> log = log();
        assertEquals("/files/v.ecdc bytes=0-", log.get(0));
        assertTrue(log.get(1).matches("/files/v.ecdc bytes=1024- if \"v.ecdc-.*\""), log.get(1));
    }

    @Test
    void dropsEvery64KiBAreResumedWithIfRange() throws IOException {
        server.dropAfter(64 * 1024, -1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(4, s.retries());
        }
        assertEquals(List.of(0, 65536, 131072, 196608, 262144), server.requests().stream()
                .map(r -> Integer.parseInt(r.range().replaceAll("\\D", ""))).collect(Collectors.toList()));
        assertTrue(server.requests().stream().skip(1).allMatch(r -> r.ifRange().startsWith("\"data.bin-")));
    }

    @Test
    void withoutETagIfRangeIsLastModified() throws IOException {
        server.validators(false, true).dropAfter(100_000, 1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
        assertTrue(server.requests().get(1).ifRange().endsWith(" GMT"), log().toString());
    }

    @Test
    void aStallIsAReadTimeoutAndIsResumed() throws IOException {
        server.stallAfter(50_000, 2);
        HttpByteSource.Options options = fast().withTimeout(Duration.ofMillis(300));
        byte[] got = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), options); InputStream in = s.openAt(0)) {
                byte[] b = in.readAllBytes();
                assertEquals(2, s.retries());
                return b;
            }
        });
        assertArrayEquals(DATA, got);
        assertEquals(List.of("bytes=0-", "bytes=50000-", "bytes=100000-"),
                server.requests().stream().map(TestHttpServer.Request::range).collect(Collectors.toList()));
    }

    @Test
    void aShortBodyWithoutRetriesFailsWithTheOffset() throws IOException {
        server.dropAfter(100_000, 1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withRetries(0));
                InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertEquals("the connection closed early after 100000 of 300000 bytes", e.detail());
            assertEquals(server.uri("/files/data.bin"), e.uri());
            assertArrayEquals(Arrays.copyOf(DATA, 100_000), got.toByteArray());
            assertThrows(IOException.class, in::read, "the stream stays failed");
        }
    }

    @Test
    void retriesRunOutWithoutProgress() throws IOException {
        // no ranges: every retry starts at 0 and drops at the same byte, so nothing new arrives
        server.ranges(false).dropAfter(50_000, -1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withRetries(3));
                InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertEquals("the connection closed early after 50000 of 300000 bytes; gave up after 3 retries", e.detail());
            assertFalse(e.isFileChanged());
            assertTrue(e.getMessage().endsWith(": " + server.uri("/files/data.bin")), e.getMessage());
            assertArrayEquals(Arrays.copyOf(DATA, 50_000), got.toByteArray());
            assertEquals(4, s.requests());
        }
    }

    @ParameterizedTest(name = "ETag {0}")
    @ValueSource(booleans = {true, false})
    void aChangedFileAfterADropFailsAndIsNeverMixed(boolean etag) throws IOException {
        server.validators(etag, true).dropAfter(100_000, 1).onFault(() -> server.put("data.bin", OTHER));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertTrue(e.isFileChanged());
            assertTrue(e.detail().startsWith("the file changed on the server (HTTP 200 (the whole file) to a request for"
                    + " bytes 100000- with If-Range"), e.detail());
            assertTrue(e.getMessage().endsWith(": " + server.uri("/files/data.bin")), e.getMessage());
            assertArrayEquals(Arrays.copyOf(DATA, 100_000), got.toByteArray(), "only bytes of the first version");
            assertEquals(2, s.requests(), "a changed file is not retried");
        }
    }

    @Test
    void aChangedFileWithoutValidatorsIsCaughtByItsLength() throws IOException {
        server.validators(false, false).dropAfter(100_000, 1)
                .onFault(() -> server.put("data.bin", Arrays.copyOf(OTHER, 200_000)));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertTrue(e.isFileChanged());
            assertEquals("the file changed on the server (its length went from 300000 to 200000 bytes)", e.detail());
            assertNull(server.requests().get(1).ifRange(), "nothing to send in If-Range");
        }
    }

    @ParameterizedTest(name = "ETag {0}")
    @ValueSource(booleans = {true, false})
    void aServerIgnoringIfRangeIsCaughtByTheValidators(boolean etag) throws IOException {
        // the server sends a 206 of the new version: the client compares the validators itself
        server.honourIfRange(false).validators(etag, !etag).dropAfter(100_000, 1)
                .onFault(() -> server.put("data.bin", OTHER));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertTrue(e.isFileChanged());
            assertTrue(e.detail().startsWith("the file changed on the server (" + (etag ? "ETag \"data.bin-" : "Last-Modified ")),
                    e.detail());
            assertArrayEquals(Arrays.copyOf(DATA, 100_000), got.toByteArray());
        }
    }

    @Test
    void aSeekToANewVersionFails() throws IOException {
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withForwardSkipLimit(0))) {
            s.openAt(0).close();
            server.put("data.bin", OTHER);
            HttpSourceException e = assertThrows(HttpSourceException.class, () -> s.openAt(500));
            assertTrue(e.isFileChanged());
            assertTrue(e.detail().contains("HTTP 200 (the whole file) to a request for bytes 500- with If-Range"), e.detail());
        }
    }

    @Test
    void withoutRangesADropIsResumedFromTheStartWhenNothingChanged() throws IOException {
        server.ranges(false).dropAfter(100_000, 2);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            assertFalse(s.acceptsRanges());
            // the second response drops at 100 000 too, before anything new: one failure, then progress
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(2, s.retries());
        }
        assertEquals(List.of("/files/data.bin bytes=0-", "/files/data.bin null", "/files/data.bin null"), log());
    }

    @ParameterizedTest(name = "ETag {0}")
    @ValueSource(booleans = {true, false})
    void withoutRangesAChangedFileFails(boolean etag) throws IOException {
        server.ranges(false).validators(etag, !etag).dropAfter(100_000, 1).onFault(() -> server.put("data.bin", OTHER));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, got);
            assertTrue(e.isFileChanged());
            assertTrue(e.detail().startsWith("the file changed on the server (" + (etag ? "ETag" : "Last-Modified")),
                    e.detail());
            assertArrayEquals(Arrays.copyOf(DATA, 100_000), got.toByteArray());
        }
    }

    @Test
    void retriesFollowTheRedirectsAgain() throws IOException {
        server.dropAfter(100_000, -1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/redirect/1/data.bin"), fast()); InputStream in = s.openAt(0)) {
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(server.uri("/files/data.bin"), s.location());
        }
        assertEquals(List.of("/redirect/1/data.bin bytes=0-", "/redirect/0/data.bin bytes=0-", "/files/data.bin bytes=0-",
                "/redirect/1/data.bin bytes=100000-", "/redirect/0/data.bin bytes=100000-", "/files/data.bin bytes=100000-",
                "/redirect/1/data.bin bytes=200000-", "/redirect/0/data.bin bytes=200000-", "/files/data.bin bytes=200000-"),
                log().stream().map(l -> l.replaceAll(" if .*", "")).collect(Collectors.toList()));
    }

    @Test
    void seeksAndRetriesTogether() throws IOException {
        server.dropAfter(10_000, -1);
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withForwardSkipLimit(0))) {
            for (int offset : new int[] {250_000, 3, 123_456, 299_990}) {
                try (InputStream in = s.openAt(offset)) {
                    assertArrayEquals(Arrays.copyOfRange(DATA, offset, Math.min(DATA.length, offset + 25_000)),
                            in.readNBytes(25_000), "at " + offset);
                }
            }
        }
    }

    @Test
    void transientStatusesAreRetriedOnReconnect() throws IOException {
        // drop once; the next two tries meet a 503, then the file is back
        server.dropAfter(100_000, 1).onFault(() -> server.failNext(503, 2));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            assertArrayEquals(DATA, in.readAllBytes());
            assertEquals(3, s.retries());
        }
    }

    @Test
    void retriesRunOutOnHttp503() throws IOException {
        server.dropAfter(100_000, 1).onFault(() -> server.failNext(503, -1));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, new ByteArrayOutputStream());
            assertEquals("HTTP 503 Service Unavailable after 100000 of 300000 bytes; gave up after 5 retries", e.detail());
            assertEquals(503, e.status());
        }
    }

    @Test
    void aNewVersionWithTheSameETagButAnotherLastModifiedFails() throws IOException {
        // strict: any validator that differs means another version
        server.dropAfter(100_000, 1).onFault(() -> server.put("data.bin", DATA));
        try (HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast()); InputStream in = s.openAt(0)) {
            HttpSourceException e = (HttpSourceException) readUntilFailure(in, new ByteArrayOutputStream());
            assertTrue(e.detail().startsWith("the file changed on the server (Last-Modified "), e.detail());
        }
    }

    @Test
    void closingTheSourceStopsRetries() throws Exception {
        server.stallAfter(1000, -1);
        HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), fast().withTimeout(Duration.ofMillis(200))
                .withRetries(100));
        InputStream in = s.openAt(0);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.close();
        });
        closer.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(IOException.class, in::readAllBytes));
        closer.join();
    }
}
