package io.github.encodecstream.codec;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.source.HttpByteSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one checkpoint into a temporary {@code .part} file beside its target (a unique name,
 * so that processes downloading the same model at once do not meet), hashing it on the way, and
 * moves it into place atomically only when its SHA-256 starts with the expected prefix.
 *
 * <p>A dropped connection, a stall longer than the read timeout, a body shorter than promised or
 * HTTP 408, 429, 500, 502, 503, 504 are retried like {@link HttpByteSource} does: up to
 * {@link HttpByteSource.Options#retries()} tries without progress (5), 0.25 s doubling to 4 s
 * apart (system properties {@code encodec.http.retries}, {@code encodec.http.retryDelay}). A retry
 * resumes the {@code .part} with {@code Range: bytes=N-} and {@code If-Range} (the strong
 * {@code ETag}, else {@code Last-Modified}); a {@code 200} (no ranges, or another version) or a
 * range that does not fit starts the file again from byte 0. A file assembled from several
 * responses that fails the SHA-256 check is deleted and downloaded once more from the start.
 * On any failure or interruption the {@code .part} is deleted (also at JVM exit); {@code .part}
 * files of the model older than an hour (left by a killed process) are deleted before a download.
 */
final class ModelDownloader {
    /** As {@code HttpByteSource}'s: numbers of up to 18 digits, so that each fits a long (more: a bad header). */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)",
            Pattern.CASE_INSENSITIVE);
    private static final Duration STALE_PART = Duration.ofHours(1);

    private final HttpClient client;
    private final Duration readTimeout;
    private final System.Logger log;
    private final int retries;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;

    /** With the retries of {@link HttpByteSource.Options#defaults()} (its system properties). */
    ModelDownloader(HttpClient client, Duration readTimeout, System.Logger log) {
        this(client, readTimeout, log, HttpByteSource.Options.defaults());
    }

    private ModelDownloader(HttpClient client, Duration readTimeout, System.Logger log, HttpByteSource.Options o) {
        this(client, readTimeout, log, o.retries(), o.retryDelay(), o.maxRetryDelay());
    }

    ModelDownloader(HttpClient client, Duration readTimeout, System.Logger log, int retries, Duration retryDelay,
            Duration maxRetryDelay) {
        this.client = client;
        this.readTimeout = readTimeout;
        this.log = log;
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
    }

    /** Downloads {@code url} to {@code target}; on any failure nothing is left behind. */
    void download(ModelStore.ModelFile model, URI url, Path target, String hint) throws IOException {
        deleteStaleParts(model, target.getParent());
        try (AtomicWrite write = AtomicWrite.file(target, ".part").removeAtExit()) { // Ctrl-C: the shutdown removes it
            Path tmp = write.temporary();
            long start = System.nanoTime();
            log.log(System.Logger.Level.INFO, "Downloading {0} from {1} ({2})", model.name(), url,
                    ModelStore.weightsNotice(model.name()));
            State state = new State();
            String actual;
            boolean restarted = false;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (true) {
                    fetch(model, url, channel, state, hint);
                    channel.force(false);
                    actual = HexFormat.of().formatHex(state.digest.digest());
                    if (actual.startsWith(model.sha256Prefix())) {
                        break;
                    }
                    if (state.responses > 1 && !restarted) {
                        // pieces of two versions, or a server that answered a range wrongly: once more, whole
                        log.log(System.Logger.Level.WARNING, "{0}: the resumed download has SHA-256 {1}, not {2}...; "
                                + "downloading it again from the start", model.name(), actual, model.sha256Prefix());
                        restarted = true;
                        state.reset();
                        channel.truncate(0);
                        continue;
                    }
                    throw new ModelDownloadException("Checksum mismatch for " + model.fileName() + " downloaded from " + url
                            + ": expected a SHA-256 starting with " + model.sha256Prefix() + " but got " + actual
                            + " (" + state.bytes + " bytes); the file was discarded.", model.name(), model.fileName(), url,
                            -1, null);
                }
            }
            write.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            log.log(System.Logger.Level.INFO, "Downloaded {0}: {1} in {2} s, SHA-256 {3}, saved as {4}", model.name(),
                    size(state.bytes), String.format(Locale.ROOT, "%.1f", seconds), actual, target);
        }
    }

    /** Deletes {@code .part} files of the model that nobody has written to for an hour (a killed process's). */
    private void deleteStaleParts(ModelStore.ModelFile model, Path dir) {
        FileTime limit = FileTime.from(Instant.now().minus(STALE_PART));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith("." + model.fileName() + ".") && n.endsWith(".part");
        })) {
            for (Path p : parts) {
                try {
                    if (Files.getLastModifiedTime(p).compareTo(limit) < 0 && Files.deleteIfExists(p)) {
                        log.log(System.Logger.Level.INFO, "Deleted the stale partial download {0}", p);
                    }
                } catch (IOException e) {
                    // another process's, or gone meanwhile
                }
            }
        } catch (IOException e) {
            // nothing to clean
        }
    }

    /**
     * Brings {@code state} (the bytes in {@code channel}) to the whole file: the first request, then
     * retries that resume it. Throws when the retries run out or the failure cannot be retried.
     */
    private void fetch(ModelStore.ModelFile model, URI url, FileChannel channel, State state, String hint)
            throws IOException {
        int failures = 0;
        long mark = state.bytes; // progress: bytes beyond this since the last failure
        boolean contacted = false;
        while (true) {
            String problem;
            IOException cause = null;
            int status = -1;
            long retryAfter = -1;
            long from = state.bytes;
            Sink sink = new Sink(state, channel);
            HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(readTimeout)
                    .header("User-Agent", "encodec-stream").GET();
            if (from > 0) {
                builder.header("Range", "bytes=" + from + "-");
                if (state.validator != null) {
                    builder.header("If-Range", state.validator);
                }
            }
            HttpResponse<Void> response = null;
            try {
                response = await(client.sendAsync(builder.build(), info -> {
                    if (info.statusCode() / 100 != 2) {
                        return HttpResponse.BodySubscribers.replacing(null);
                    }
                    if (!accept(info.statusCode(), info.headers(), from, state, sink)) {
                        return HttpResponse.BodySubscribers.replacing(null);
                    }
                    if (state.responses == 1) {
                        log.log(System.Logger.Level.INFO, "{0}: receiving {1}", model.name(),
                                state.total >= 0 ? size(state.total) : "unknown size");
                    }
                    return sink;
                }), sink);
                contacted = true;
            } catch (IOException e) {
                sink.stop();
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (!contacted && isConnect(e)) {
                    throw new ModelDownloadException("Could not download " + model.name() + " from " + url + ": "
                            + describe(e) + ". " + hint, model.name(), model.fileName(), url, -1, e);
                }
                cause = e;
            }
            sink.stop();
            if (sink.error != null) {
                throw sink.error; // the disk, not the network
            }
            if (response != null) {
                status = response.statusCode();
                if (status / 100 != 2) {
                    if (!(status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504)) {
                        throw new ModelDownloadException("Could not download " + model.name() + " from " + url
                                + ": HTTP " + status + ". " + hint, model.name(), model.fileName(), url, status, null);
                    }
                    retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(-1);
                    problem = "HTTP " + status;
                } else if (sink.mismatch != null) {
                    problem = sink.mismatch; // start again from byte 0
                    state.reset();
                    channel.truncate(0);
                } else if (state.total >= 0 && state.bytes < state.total) {
                    problem = "the connection closed early";
                } else {
                    return;
                }
            } else {
                problem = describe(cause);
            }
            String where = " after " + state.bytes + (state.total >= 0 ? " of " + state.total : "") + " bytes";
            if (state.bytes > mark) {
                failures = 0;
            }
            mark = Math.max(mark, state.bytes);
            if (failures >= retries) {
                String gaveUp = retries == 0 ? "" : "; gave up after " + retries + (retries == 1 ? " retry" : " retries");
                throw new ModelDownloadException("Could not download " + model.name() + " from " + url + ": " + problem
                        + where + gaveUp + ". " + hint, model.name(), model.fileName(), url, status, cause);
            }
            long millis = delay(failures).toMillis();
            if (retryAfter > 0) {
                millis = Math.max(millis, Math.min(retryAfter * 1000, maxRetryDelay.toMillis()));
            }
            failures++;
            log.log(System.Logger.Level.WARNING, "{0}: {1}{2}; retrying in {3} s (retry {4} of {5})", model.name(),
                    problem, where, String.format(Locale.ROOT, "%.2f", millis / 1000.0), failures, retries);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download interrupted");
            }
        }
    }

    /**
     * Whether a 2xx response continues the file at {@code from}: a {@code 206} with a fitting
     * {@code Content-Range} and validators; a {@code 200} starts it again from byte 0. Records the
     * validator and length; sets {@link Sink#mismatch} for a range that does not fit.
     */
    private static boolean accept(int status, HttpHeaders headers, long from, State state, Sink sink) {
        String tag = headers.firstValue("ETag").orElse(null);
        String modified = headers.firstValue("Last-Modified").orElse(null);
        String validator = tag != null && !tag.startsWith("W/") ? tag : modified;
        long total;
        if (status == 206) {
            String header = headers.firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(header.strip());
            total = m.matches() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : -1;
            String why = null;
            if (!m.matches() || Long.parseLong(m.group(1)) != from) {
                why = "asked for bytes " + from + "-, got Content-Range '" + header + "'";
            } else if (state.total >= 0 && total >= 0 && total != state.total) {
                why = "the length went from " + state.total + " to " + total + " bytes";
            } else if (state.validator != null && validator != null && !state.validator.equals(validator)) {
                why = "the validator " + state.validator + " became " + validator;
            }
            if (why != null) {
                sink.mismatch = "the file changed on the server (" + why + "), starting again";
                return false;
            }
        } else {
            total = headers.firstValueAsLong("Content-Length").orElse(-1);
            if (from > 0) {
                sink.restart = true; // no ranges, or another version: the whole file again
                state.responses = 0;
            }
        }
        state.responses++;
        if (status != 206 || state.validator == null) {
            state.validator = validator;
        }
        if (total >= 0) {
            state.total = total;
        } else if (status != 206) {
            state.total = -1;
        }
        return true;
    }

    private static boolean isConnect(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** The wait before retry number {@code n} (0 for the first). */
    private Duration delay(int n) {
        Duration d = retryDelay;
        for (int i = 0; i < n && d.compareTo(maxRetryDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : d;
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
                    sink.stop();
                    future.cancel(true);
                    throw new HttpTimeoutException("no data received for " + readTimeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                sink.stop();
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
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("content-length") || m.contains("eof") || m.contains("closed")) {
            return "the connection closed early";
        }
        if (m.contains("connection reset")) {
            return "connection reset";
        }
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

    /** What has been downloaded: the bytes in the file and their hash, the validator and length of the file. */
    private static final class State {
        MessageDigest digest = sha256();
        long bytes;
        long total = -1;
        String validator;
        int responses;

        void reset() {
            digest = sha256();
            bytes = 0;
            total = -1;
            validator = null;
            responses = 0;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Writes one response's body to the file at the state's end and hashes it; once stopped it
     * writes nothing more, so that the next try can go on from the state.
     */
    private static final class Sink implements HttpResponse.BodySubscriber<Void> {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        final State state;
        final FileChannel channel;
        volatile long lastActivity; // 0 until the body starts
        volatile boolean restart; // a 200 to a range request: the body starts at byte 0
        volatile String mismatch; // a range that does not fit: start again from 0
        IOException error; // writing the file failed
        private boolean stopped;
        private volatile Flow.Subscription subscription;

        Sink(State state, FileChannel channel) {
            this.state = state;
            this.channel = channel;
        }

        /** Stops writing; after this returns the state and the file stay as they are. */
        synchronized void stop() {
            stopped = true;
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
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (stopped) {
                s.cancel();
                return;
            }
            if (restart) {
                try {
                    state.digest = State.sha256();
                    state.bytes = 0;
                    channel.truncate(0);
                } catch (IOException e) {
                    fail(e);
                    return;
                }
            }
            lastActivity = System.nanoTime();
            s.request(1);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (stopped) {
                return;
            }
            try {
                long n = state.bytes;
                for (ByteBuffer buffer : buffers) {
                    state.digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        n += channel.write(buffer, n);
                    }
                }
                state.bytes = n;
                lastActivity = System.nanoTime();
                subscription.request(1);
            } catch (IOException e) {
                fail(e);
            }
        }

        private void fail(IOException e) {
            error = e;
            stopped = true;
            subscription.cancel();
            result.completeExceptionally(new UncheckedIOException(e));
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
