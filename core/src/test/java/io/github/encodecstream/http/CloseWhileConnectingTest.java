package io.github.encodecstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.CloseEndsACall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/**
 * {@link Resource#close()} while a connection is being made: on Java 17 nothing ends a
 * {@code connect} from outside, so the request runs on a thread of its own and the caller's wait
 * ends at once. The stalled connection: a listening socket that never accepts, its accept queue
 * filled, so that the kernel drops further connection attempts.
 */
class CloseWhileConnectingTest {
    @Test
    void closeReturnsAtOnceAndTheCallerGetsClosed() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, full.getLocalPort());
            boolean stalls = false;
            for (int i = 0; i < 20 && !stalls; i++) {
                Socket s = new Socket();
                try {
                    s.connect(address, 300);
                    queued.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    stalls = true;
                }
            }
            assertTrue(stalls, "a connection to a full accept queue stalls");

            HttpSettings settings = HttpSettings.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));
            Resource resource = new Resource(URI.create("http://" + loopback.getHostAddress() + ":"
                    + full.getLocalPort() + "/x.ecdc"), settings, Resource.Use.SEEKABLE);
            FutureTask<Exchange> open = new FutureTask<>(() -> resource.open(0));
            Thread caller = new Thread(open, "test-caller");
            caller.setDaemon(true);
            caller.start();
            Thread.sleep(300); // connecting
            assertEquals("source is closed: " + resource.uri(), CloseEndsACall.assertCloseEnds(resource, open).getMessage());
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }
}
