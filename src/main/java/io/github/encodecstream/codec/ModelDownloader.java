package io.github.encodecstream.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads one checkpoint into a temporary file beside its target, hashing it on the way, and
 * moves it into place only when its SHA-256 starts with the expected prefix.
 */
final class ModelDownloader {
    private final HttpClient client;
    private final Duration readTimeout;
    private final System.Logger log;

    ModelDownloader(HttpClient client, Duration readTimeout, System.Logger log) {
        this.client = client;
        this.readTimeout = readTimeout;
        this.log = log;
    }

    /** Downloads {@code url} to {@code target}; on any failure nothing is left behind. */
    void download(ModelStore.ModelFile model, URI url, Path target, String hint) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), model.fileName() + ".", ".part");
        boolean moved = false;
        try {
            long start = System.nanoTime();
            Sink sink = new Sink();
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(readTimeout)
                    .header("User-Agent", "encodec-stream")
                    .GET()
                    .build();
            log.log(System.Logger.Level.INFO, "Downloading {0} from {1} ({2})", model.name(), url,
                    ModelStore.weightsNotice(model.name()));
            int status;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                sink.channel = channel;
                HttpResponse<Void> response;
                try {
                    response = await(client.sendAsync(request, info -> {
                        if (info.statusCode() / 100 != 2) {
                            return HttpResponse.BodySubscribers.replacing(null);
                        }
                        sink.contentLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                        log.log(System.Logger.Level.INFO, "{0}: receiving {1}", model.name(),
                                sink.contentLength >= 0 ? size(sink.contentLength) : "unknown size");
                        return sink;
                    }), sink);
                } catch (IOException e) {
                    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    throw new ModelDownloadException("Could not download " + model.name() + " from " + url + ": "
                            + describe(e) + ". " + hint, model.name(), model.fileName(), url, -1, e);
                }
                status = response.statusCode();
                if (status / 100 != 2) {
                    throw new ModelDownloadException("Could not download " + model.name() + " from " + url
                            + ": HTTP " + status + ". " + hint, model.name(), model.fileName(), url, status, null);
                }
                channel.force(false);
            }
            if (sink.contentLength >= 0 && sink.bytes != sink.contentLength) {
                throw new ModelDownloadException("Download of " + model.name() + " from " + url + " is truncated: got "
                        + sink.bytes + " of " + sink.contentLength + " bytes", model.name(), model.fileName(), url, -1, null);
            }
            String actual = HexFormat.of().formatHex(sink.digest.digest());
            if (!actual.startsWith(model.sha256Prefix())) {
                throw new ModelDownloadException("Checksum mismatch for " + model.fileName() + " downloaded from " + url
                        + ": expected a SHA-256 starting with " + model.sha256Prefix() + " but got " + actual
                        + " (" + sink.bytes + " bytes); the file was discarded.", model.name(), model.fileName(), url, -1, null);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            double seconds = (System.nanoTime() - start) / 1e9;
            log.log(System.Logger.Level.INFO, "Downloaded {0}: {1} in {2} s, SHA-256 {3}, saved as {4}", model.name(),
                    size(sink.bytes), String.format(Locale.ROOT, "%.1f", seconds), actual, target);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Waits for the response, failing when the body stalls for longer than the read timeout. */
    private <T> T await(CompletableFuture<T> future, Sink sink) throws IOException {
        long timeoutNanos = readTimeout.toNanos();
        long pollMillis = Math.max(10, Math.min(1000, readTimeout.toMillis() / 4));
        while (true) {
            try {
                return future.get(pollMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long last = sink.lastActivity;
                if (last != 0 && System.nanoTime() - last > timeoutNanos) {
                    sink.cancel();
                    future.cancel(true);
                    throw new HttpTimeoutException("no data received for " + readTimeout.toMillis() + " ms after "
                            + sink.bytes + " bytes");
                }
            } catch (InterruptedException e) {
                sink.cancel();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException) {
                    throw ((UncheckedIOException) cause).getCause();
                }
                if (cause instanceof IOException) {
                    throw (IOException) cause;
                }
                throw new IOException(cause);
            }
        }
    }

    /** The exception's class and the first message found along its causes. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + " (" + t.getMessage() + ")";
            }
        }
        return e instanceof java.net.ConnectException ? "could not connect (ConnectException)" : e.getClass().getSimpleName();
    }

    private static String size(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB (%d bytes)", bytes / 1e6, bytes);
    }

    /** Writes the body to the temporary file and hashes it. */
    private static final class Sink implements HttpResponse.BodySubscriber<Void> {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        final MessageDigest digest;
        volatile FileChannel channel;
        volatile long contentLength = -1;
        volatile long bytes;
        volatile long lastActivity; // 0 until the body starts
        private volatile Flow.Subscription subscription;

        Sink() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public CompletionStage<Void> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            lastActivity = System.nanoTime();
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                long n = bytes;
                for (ByteBuffer buffer : buffers) {
                    digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        n += channel.write(buffer);
                    }
                }
                bytes = n;
                lastActivity = System.nanoTime();
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                result.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(null);
        }
    }
}
