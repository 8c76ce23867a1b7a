package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.encodecstream.store.ModelStore.ModelFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download body may not be longer than the file can be: the pinned size, else a bound for checkpoints. */
class DownloadBoundsTest {
    private static final String NAME = "encodec_24khz";

    @TempDir
    Path tmp;

    private HttpServer server;
    private ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] data = CheckpointTrustTest.random(10_000, 5);
    private final ModelFile entry = new ModelFile(NAME, NAME + "-" + CheckpointTrustTest.sha256(data).substring(0, 8)
            + ".th", CheckpointTrustTest.sha256(data).substring(0, 8));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Serves {@code announced} as the length (0: none, chunked), then sends bytes until the client goes. */
    private void serveEndlessly(long announced) {
        server.createContext("/files/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                exchange.sendResponseHeaders(200, announced);
                OutputStream out = exchange.getResponseBody();
                byte[] chunk = new byte[1 << 16];
                while (!Thread.currentThread().isInterrupted()) {
                    out.write(chunk);
                }
            } catch (IOException clientGone) {
                // expected
            }
        });
    }

    private ModelStore.Builder store(CheckpointPins pins) {
        return ModelStore.builder().cacheDirectory(tmp.resolve("cache")).allowHttp(true).models(List.of(entry))
                .baseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/")).pins(pins);
    }

    private List<String> cached() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void anEndlessBodyIsCutAtThePinnedSize() throws Exception {
        serveEndlessly(0);
        Path pinsFile = Files.writeString(tmp.resolve("pins"), CheckpointTrustTest.sha256(data) + " " + data.length + " "
                + entry.fileName() + "\n");
        ModelStore store = store(CheckpointPins.from(pinsFile.toUri().toURL())).build();
        long start = System.nanoTime();
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store.locate(NAME));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("was cut: more than " + data.length + " bytes sent"), e.getMessage());
        assertTrue(millis < 5000, millis + " ms");
        assertEquals(1, requests.get(), "not retried");
        assertEquals(List.of(), cached(), "nothing left");
    }

    @Test
    void aBodyAnnouncedLongerThanAnyCheckpointIsRefusedBeforeItIsRead() throws Exception {
        serveEndlessly(ModelDownloader.MAX_UNPINNED_BYTES + 1);
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> store(CheckpointPins.from(null)).build().locate(NAME));
        assertTrue(e.getMessage().contains("was cut: " + (ModelDownloader.MAX_UNPINNED_BYTES + 1) + " bytes announced"),
                e.getMessage());
        assertEquals(List.of(), cached());
    }
}
