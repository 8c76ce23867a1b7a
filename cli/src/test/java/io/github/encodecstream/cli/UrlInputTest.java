package io.github.encodecstream.cli;

import io.github.encodecstream.testing.ReferenceModels;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** http(s) inputs of the command line, against a local server with and without Range support. */
@ExtendWith(ReferenceModels.class)
class UrlInputTest {

    private static TestHttpServer server;
    private static final java.util.Map<String, byte[]> FROM_FILE = new java.util.concurrent.ConcurrentHashMap<>();

    private static String retryDelay;

    @BeforeAll
    static void start() throws IOException {
        // retries 10 ms apart (doubling to 160 ms) rather than 0.25 s to 4 s
        retryDelay = System.setProperty("encodec.http.retryDelay", "0.01");
        server = new TestHttpServer();
        for (String name : List.of("seed_b6", "seed_b0.75")) {
            server.put(name + ".ecdc", Files.readAllBytes(ReferenceData.file("seed/" + name + ".ecdc")));
        }
        server.put("song.wav", Files.readAllBytes(ReferenceData.file("audio/test_24k.wav")));
    }

    @AfterAll
    static void stop() {
        server.close();
        if (retryDelay == null) {
            System.clearProperty("encodec.http.retryDelay");
        } else {
            System.setProperty("encodec.http.retryDelay", retryDelay);
        }
    }

    @AfterEach
    void noFaults() {
        server.dropAfter(0, 0).failNext(0, 0).onFault(null).validators(true, true).honourIfRange(true).ranges(true);
    }

    private static String url(String path) {
        return server.uri(path).toString();
    }

    @ParameterizedTest(name = "ranges {0}")
    @ValueSource(booleans = {true, false})
    void infoAndDecodeAsFromTheFile(boolean ranges) {
        server.ranges(ranges);
        try {
            CliRun info = CliRun.of("-i", url("/files/seed_b6.ecdc"));
            assertEquals(Main.OK, info.exitCode(), info.toString());
            assertEquals(CliRun.of("-i", ReferenceData.file("seed/seed_b6.ecdc").toString()).out(), info.out());
            for (String[] cut : new String[][] {{}, {"-ss", "2.5", "-to", "5"}}) {
                String[] url = concat(cut, "-d", url("/files/seed_b6.ecdc"));
                String[] file = concat(cut, "-d", ReferenceData.file("seed/seed_b6.ecdc").toString());
                CliRun fromUrl = CliRun.of(url);
                assertEquals(Main.OK, fromUrl.exitCode(), fromUrl.toString());
                byte[] expected = FROM_FILE.computeIfAbsent(String.join(" ", file), k -> CliRun.of(file).stdout());
                assertArrayEquals(expected, fromUrl.stdout(), String.join(" ", url));
            }
            CliRun json = CliRun.of("info", "--json", url("/files/seed_b0.75.ecdc"));
            assertEquals(Main.OK, json.exitCode(), json.toString());
            assertTrue(json.out().contains("\"sample_rate\" : 12000"), json.out());
        } finally {
            server.ranges(true);
        }
    }

    @Test
    void aCutOfASmallFileReadsOnFromTheFirstResponse() {
        server.clearRequests();
        CliRun run = CliRun.of("decode", "--native", "-ss", "5", url("/files/seed_b0.75.ecdc"));
        assertEquals(Main.OK, run.exitCode(), run.toString());
        // the file is small: the cut is reached by reading on from the header's response
        assertEquals(List.of("bytes=0-"), server.requests().stream().map(TestHttpServer.Request::range)
                .collect(Collectors.toList()));
        assertEquals(2 * 12_000 * 2, run.stdout().length, "2 s at 12 kHz, mono s16");
    }

    @Test
    void redirectsAreFollowed() {
        CliRun run = CliRun.of("-i", url("/redirect/3/seed_b6.ecdc"));
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Name: \"Test Song\""), run.out());
    }

    @Test
    void errorStatusesExit3WithStatusAndUrl() {
        String missing = url("/files/nothing.ecdc");
        CliRun run = CliRun.of("-d", missing);
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals("encodec-stream: " + missing + ": HTTP 404 Not Found", run.stderr().strip());
        assertEquals(0, run.stdout().length);

        String moved = url("/redirect/1/nothing.ecdc");
        CliRun redirected = CliRun.of("info", moved);
        assertEquals(Main.BAD_INPUT, redirected.exitCode(), redirected.toString());
        assertEquals("encodec-stream: " + moved + ": HTTP 404 Not Found (from " + missing + ")",
                redirected.stderr().strip());

        CliRun error = CliRun.of("play", url("/status/503"));
        assertEquals(Main.BAD_INPUT, error.exitCode(), error.toString());
        assertTrue(error.stderr().contains(": HTTP 503"), error.stderr());

        CliRun notEcdc = CliRun.of("-i", url("/files/song.wav"));
        assertEquals(Main.BAD_INPUT, notEcdc.exitCode(), notEcdc.toString());
        assertTrue(notEcdc.stderr().contains("not an .ecdc file"), notEcdc.stderr());
    }

    @Test
    void stalledServersTimeOut() {
        for (String path : List.of("/stall-headers/seed_b6.ecdc", "/stall-body/seed_b6.ecdc")) {
            String u = url(path);
            CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> CliRun.of("--timeout", "0.5", "--retries", "1", "-d", u));
            assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
            assertEquals(1, run.errLines().length, run.stderr());
            assertTrue(run.stderr().startsWith("encodec-stream: " + u + ": timed out"), run.stderr());
            assertTrue(run.stderr().strip().endsWith("; gave up after 1 retry"), run.stderr());
        }
        CliRun decode = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> CliRun.of("decode", "--timeout", "0.5", "--retries", "0", url("/stall-body/seed_b6.ecdc")));
        assertEquals(Main.BAD_INPUT, decode.exitCode(), decode.toString());
    }

    @ParameterizedTest(name = "ranges {0}")
    @ValueSource(booleans = {true, false})
    void aFlakyServerDecodesAsTheFile(boolean ranges) {
        server.ranges(ranges);
        for (String[] cut : new String[][] {{}, {"-ss", "2.5", "-to", "5"}}) {
            // with ranges every response drops after 1 KiB; without, the first two drop after 2 KiB
            server.dropAfter(ranges ? 1024 : 2048, ranges ? -1 : 2);
            server.clearRequests();
            String[] url = concat(cut, "-d", url("/files/seed_b6.ecdc"));
            String[] file = concat(cut, "-d", ReferenceData.file("seed/seed_b6.ecdc").toString());
            CliRun fromUrl = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of(url));
            assertEquals(Main.OK, fromUrl.exitCode(), fromUrl.toString());
            byte[] expected = FROM_FILE.computeIfAbsent(String.join(" ", file), k -> CliRun.of(file).stdout());
            assertArrayEquals(expected, fromUrl.stdout(), String.join(" ", url));
            assertTrue(server.faults() > 0 && server.requests().size() > 1, server.requests().toString());
        }
    }

    @Test
    void aFileChangedDuringTheDecodeExits3() throws IOException {
        byte[] first = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"));
        byte[] second = Files.readAllBytes(ReferenceData.file("seed/seed_b32.ecdc"));
        server.put("changing.ecdc", first).dropAfter(2048, 1).onFault(() -> server.put("changing.ecdc", second));
        String u = url("/files/changing.ecdc");
        CliRun run = CliRun.of("-d", u);
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.stderr().startsWith("encodec-stream: " + u + ": the file changed on the server ("), run.stderr());
    }

    @Test
    void retriesZeroFailsAtTheFirstDropWithTheOffset() {
        server.dropAfter(1024, 1);
        String u = url("/files/seed_b6.ecdc");
        CliRun run = CliRun.of("decode", "--retries", "0", u);
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals("encodec-stream: " + u + ": the connection closed early after 1024 of 5498 bytes", run.stderr().strip());

        CliRun bad = CliRun.of("decode", "--retries", "-1", u);
        assertEquals(Main.USAGE, bad.exitCode(), bad.toString());
        assertTrue(bad.stderr().contains("--retries must be 0 to 1000"), bad.stderr());
    }

    @Test
    void http503IsRetriedThenReported() {
        server.failNext(503, 2);
        CliRun run = CliRun.of("-i", url("/files/seed_b6.ecdc"));
        assertEquals(Main.OK, run.exitCode(), run.toString());

        server.failNext(503, -1);
        String u = url("/files/seed_b6.ecdc");
        CliRun failed = CliRun.of("decode", "--retries", "2", u);
        assertEquals(Main.BAD_INPUT, failed.exitCode(), failed.toString());
        assertEquals("encodec-stream: " + u + ": HTTP 503 Service Unavailable; gave up after 2 retries", failed.stderr().strip());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
