package io.github.encodecstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link Resource#close()} during a silent https body: the reader ends at once, and so does the
 * connection (its socket is closed, see {@link SocketRecorder}), long before the 30 s read timeout
 * that bounds a silent plain http socket.
 */
class HttpsCloseTest {
    private static Set<Thread> bodyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("encodec-http-body") && t.isAlive()).collect(Collectors.toSet());
    }

    @Test
    void closeEndsTheReadAndDropsTheSocket() throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        try (TestHttpsServer https = new TestHttpsServer().handle("/stall", ex -> {
            ex.sendResponseHeaders(200, 100_000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[100]);
            out.flush();
            try {
                end.await(60, TimeUnit.SECONDS); // then silence
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        })) {
            HttpSettings settings = HttpSettings.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30))
                    .withTls(https.clientTls());
            Set<Thread> before = bodyThreads();
            Resource resource = new Resource(https.uri("/stall"), settings, Resource.Use.SEEKABLE);
            InputStream in = new ResumingInputStream(resource, resource.open(0), null);
            assertEquals(100, in.readNBytes(100).length);
            Set<Thread> mine = new HashSet<>(bodyThreads());
            mine.removeAll(before);
            assertEquals(1, mine.size(), "one body thread reads the response");
            FutureTask<Integer> read = new FutureTask<>(in::read);
            Thread reader = new Thread(read, "test-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(200); // blocked: the server is silent

            long start = System.nanoTime();
            resource.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().startsWith("source is closed"), String.valueOf(e.getCause()));
            Thread pump = mine.iterator().next();
            pump.join(5000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(pump.isAlive(), "the connection is still read " + millis + " ms after close()");
        } finally {
            end.countDown();
        }
    }
}
