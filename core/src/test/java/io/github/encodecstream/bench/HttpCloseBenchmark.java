package io.github.encodecstream.bench;

import io.github.encodecstream.http.HttpSettings;
import io.github.encodecstream.http.Resource;
import io.github.encodecstream.source.HttpByteSource;
import io.github.encodecstream.source.HttpSourceException;
import io.github.encodecstream.source.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * How fast {@code close()} of an http source ends a blocked call in another thread, and when a
 * trickling server meets the deadline, against local servers.
 *
 * <p>For each case, {@code repeats} runs: a caller thread blocks (in a read of a silent body, in
 * the wait for a response that never comes, in a connection to a full accept queue), another
 * thread calls {@code close()} 200 ms later; printed: the median and the longest time
 * {@code close()} took, and from {@code close()} to the caller's exception. Then the time a read
 * of a server sending one byte per 100 ms fails, with a 1 s deadline.
 *
 * <p>Usage: {@code HttpCloseBenchmark [repeats]} (default 20); {@code scripts/benchmark-http-close}.
 */
public final class HttpCloseBenchmark {
    private static final byte[] DATA = new byte[300_000];

    private HttpCloseBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (TestHttpServer server = new TestHttpServer().put("data.bin", DATA)) {
            HttpByteSource.Options options = HttpByteSource.Options.defaults().withTimeout(Duration.ofSeconds(30))
                    .withForwardSkipLimit(0);
            measure("a read of a silent body", repeats, () -> {
                HttpByteSource s = HttpByteSource.open(server.uri("/stall-body/data.bin"), options);
                InputStream in = s.openAt(0);
                in.readNBytes(100);
                return new Blocked(s::close, () -> in.read());
            });
            measure("the wait for a response", repeats, () -> {
                server.stallResponses(0);
                HttpByteSource s = HttpByteSource.open(server.uri("/files/data.bin"), options);
                server.stallResponses(-1);
                return new Blocked(s::close, () -> s.openAt(200_000));
            });
            server.stallResponses(0);
            try (FullQueue full = new FullQueue()) {
                HttpSettings settings = HttpSettings.defaults().withTimeouts(Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
                measure("a connection being made", repeats, () -> {
                    Resource r = new Resource(full.uri(), settings, Resource.Use.SEEKABLE);
                    return new Blocked(r::close, () -> r.open(0));
                });
            }
            try (HttpByteSource s = HttpByteSource.open(server.uri("/trickle/data.bin"),
                    HttpByteSource.Options.defaults().withTimeout(Duration.ofSeconds(5)).withDeadline(Duration.ofSeconds(1)));
                    InputStream in = s.openAt(0)) {
                long start = System.nanoTime();
                try {
                    in.transferTo(OutputStream.nullOutputStream());
                    System.out.println("trickle: read to the end (not expected)");
                } catch (HttpSourceException e) {
                    System.out.printf("trickle (1 byte / 100 ms, deadline 1 s): failed after %d ms: %s%n",
                            (System.nanoTime() - start) / 1_000_000, e.detail());
                }
            }
        }
    }

    /** A source and what blocks on it. */
    private record Blocked(Runnable close, Callable<Object> call) {}

    @FunctionalInterface
    private interface Setup {
        Blocked get() throws Exception;
    }

    private static void measure(String what, int repeats, Setup setup) throws Exception {
        long[] close = new long[repeats];
        long[] end = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            Blocked b = setup.get();
            FutureTask<Object> call = new FutureTask<>(b.call());
            Thread t = new Thread(call, "caller");
            t.setDaemon(true);
            t.start();
            Thread.sleep(200);
            long start = System.nanoTime();
            b.close().run();
            close[i] = System.nanoTime() - start;
            try {
                call.get(60, TimeUnit.SECONDS);
                throw new IllegalStateException(what + ": the call did not fail");
            } catch (ExecutionException e) {
                end[i] = System.nanoTime() - start;
                if (!(e.getCause() instanceof IOException) || !String.valueOf(e.getCause().getMessage()).contains("closed")) {
                    throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
                }
            }
        }
        System.out.printf("%-26s close(): median %.2f ms, max %.2f ms; the caller's exception: median %.2f ms,"
                + " max %.2f ms (%d runs)%n", what, median(close), max(close), median(end), max(end), repeats);
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }

    /** A listening socket that never accepts, its queue full: connections to it stall. */
    private static final class FullQueue implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> queued = new ArrayList<>();

        FullQueue() throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            socket = new ServerSocket(0, 1, loopback);
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(loopback, socket.getLocalPort()), 300);
                    queued.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    return;
                }
            }
            throw new IOException("connections to a full accept queue do not stall here");
        }

        URI uri() {
            return URI.create("http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort() + "/x");
        }

        @Override
        public void close() throws IOException {
            for (Socket s : queued) {
                s.close();
            }
            socket.close();
        }
    }
}
