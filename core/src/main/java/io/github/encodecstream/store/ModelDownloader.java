package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.http.HttpSettings;
import io.github.encodecstream.http.Resource;
import io.github.encodecstream.http.ResumingInputStream;
import io.github.encodecstream.source.HttpSourceException;
import java.io.IOException;
import java.net.URI;
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
import java.util.Locale;

/**
 * Downloads one checkpoint into a temporary {@code .part} file beside its target
 * ({@link CacheLayout#newPart}: a unique name, so that processes downloading the same model at once
 * do not meet), hashing it on the way, and moves it into place atomically only when its SHA-256
 * starts with the expected prefix.
 *
 * <p>The bytes come from the http engine ({@link ResumingInputStream} of a
 * {@link Resource.Use#DOWNLOAD} resource), with the retries, timeouts and resumption of
 * {@code HttpByteSource}: a retry resumes the {@code .part} with {@code Range: bytes=N-} and
 * {@code If-Range}; a {@code 200} (no ranges, or another version) or a range that does not fit
 * starts the file again from byte 0. A file assembled from several responses that fails the
 * SHA-256 check is deleted and downloaded once more from the start. On any failure or interruption
 * the {@code .part} is deleted (also at JVM exit); {@code .part} files of the model older than an
 * hour (left by a killed process) are deleted before a download.
 */
final class ModelDownloader {
    private static final Duration STALE_PART = Duration.ofHours(1);

    private final HttpSettings settings;
    private final System.Logger log;

    /** Downloads with {@code settings} (timeouts, retries), logging to {@code log}. */
    ModelDownloader(HttpSettings settings, System.Logger log) {
        this.settings = settings;
        this.log = log;
    }

    /** Downloads {@code url} to {@code target}; on any failure nothing is left behind. */
    void download(ModelStore.ModelFile model, URI url, Path target, String hint) throws IOException {
        deleteStaleParts(target);
        try (AtomicWrite write = CacheLayout.newPart(target).removeAtExit()) { // Ctrl-C: the shutdown removes it
            long start = System.nanoTime();
            log.log(System.Logger.Level.INFO, "Downloading {0} from {1} ({2})", model.name(), url,
                    ModelStore.weightsNotice(model.name()));
            Part part;
            try (FileChannel channel = FileChannel.open(write.temporary(), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                part = new Part(channel);
                boolean restarted = false;
                while (!fetch(model, url, part, hint)) {
                    if (part.responses <= 1 || restarted) {
                        throw new ModelDownloadException("Checksum mismatch for " + model.fileName() + " downloaded from "
                                + url + ": expected a SHA-256 starting with " + model.sha256Prefix() + " but got "
                                + part.hash + " (" + part.bytes + " bytes); the file was discarded.", model.name(),
                                model.fileName(), url, -1, null);
                    }
                    // pieces of two versions, or a server that answered a range wrongly: once more, whole
                    log.log(System.Logger.Level.WARNING, "{0}: the resumed download has SHA-256 {1}, not {2}...; "
                            + "downloading it again from the start", model.name(), part.hash, model.sha256Prefix());
                    restarted = true;
                    part.restart();
                }
            }
            write.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            log.log(System.Logger.Level.INFO, "Downloaded {0}: {1} in {2} s, SHA-256 {3}, saved as {4}", model.name(),
                    size(part.bytes), String.format(Locale.ROOT, "%.1f", seconds), part.hash, target);
        }
    }

    /**
     * Downloads the whole file into {@code part} (resuming and restarting it as the engine says);
     * whether its SHA-256 matches. Throws when the retries run out or the failure cannot be retried.
     */
    private boolean fetch(ModelStore.ModelFile model, URI url, Part part, String hint) throws IOException {
        try (Resource resource = new Resource(url, settings, Resource.Use.DOWNLOAD)) {
            resource.onRetry((problem, where, millis, retry) -> log.log(System.Logger.Level.WARNING,
                    "{0}: {1}{2}; retrying in {3} s (retry {4} of {5})", model.name(), problem.detail(), where,
                    String.format(Locale.ROOT, "%.2f", millis / 1000.0), retry, settings.retries()));
            try (ResumingInputStream in = new ResumingInputStream(resource, resource.open(0), null)) {
                in.onRestart(part::restart);
                log.log(System.Logger.Level.INFO, "{0}: receiving {1}", model.name(),
                        resource.size() >= 0 ? size(resource.size()) : "unknown size");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0;) {
                    part.write(buffer, n);
                }
                part.channel.force(false);
                part.responses = in.responses();
            }
        } catch (HttpSourceException e) {
            throw new ModelDownloadException("Could not download " + model.name() + " from " + url + ": " + e.detail()
                    + ". " + hint, model.name(), model.fileName(), url, e.status(), e);
        }
        part.hash = HexFormat.of().formatHex(part.digest.digest());
        return part.hash.startsWith(model.sha256Prefix());
    }

    /** Deletes {@code .part} files of the model that nobody has written to for an hour (a killed process's). */
    private void deleteStaleParts(Path target) {
        FileTime limit = FileTime.from(Instant.now().minus(STALE_PART));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(),
                p -> CacheLayout.isPartOf(p, target))) {
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

    private static String size(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB (%d bytes)", bytes / 1e6, bytes);
    }

    /** The {@code .part} file being written: its bytes, their hash, the responses they came from. */
    private static final class Part {
        final FileChannel channel;
        MessageDigest digest = sha256();
        long bytes;
        int responses;
        String hash;

        Part(FileChannel channel) {
            this.channel = channel;
        }

        void write(byte[] b, int n) throws IOException {
            digest.update(b, 0, n);
            ByteBuffer buffer = ByteBuffer.wrap(b, 0, n);
            while (buffer.hasRemaining()) {
                bytes += channel.write(buffer, bytes);
            }
        }

        /** Empties the file: the bytes start again from 0. */
        void restart() throws IOException {
            channel.truncate(0);
            digest = sha256();
            bytes = 0;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
