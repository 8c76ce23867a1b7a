package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.http.HttpSettings;
import io.github.encodecstream.http.Resource;
import io.github.encodecstream.http.ResumingInputStream;
import io.github.encodecstream.source.HttpSourceException;
import io.github.encodecstream.store.CheckpointPins.Pin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Downloads one checkpoint into a temporary {@code .part} file beside its target
 * ({@link CacheLayout#newPart}: a unique name, so that processes downloading the same model at once
 * do not meet), hashing it on the way, and moves it into place atomically only when it has the
 * pinned size and SHA-256 ({@link CheckpointVerifier#expected}), or without a pin when its SHA-256
 * starts with the expected prefix. The body may not be longer than the pinned size, or without a
 * pin than {@link #MAX_UNPINNED_BYTES}.
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
    /**
     * The most bytes a checkpoint without a pinned size may have: 256 MiB, about 2.7 times the largest
     * official checkpoint (93 MB). A body that runs past it is cut.
     */
    static final long MAX_UNPINNED_BYTES = 256L << 20;

    private static final Duration STALE_PART = Duration.ofHours(1);
    private static final Set<PosixFilePermission> READABLE_BY_ALL = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final HttpSettings settings;
    private final System.Logger log;
    private final String hint;

    /**
     * Downloads with {@code settings} (timeouts, retries), logging to {@code log}; {@code hint} ends
     * the message of a failed download (what else the user can do).
     */
    ModelDownloader(HttpSettings settings, System.Logger log, String hint) {
        this.settings = settings;
        this.log = log;
        this.hint = hint;
    }

    /**
     * Downloads {@code url} to {@code target}, which must then have the size and SHA-256 of
     * {@code expected} when given, else the SHA-256 prefix of {@code model}; returns its hash and
     * size. A body longer than the expected size (else {@link #MAX_UNPINNED_BYTES}) is cut. In a
     * {@code shared} cache the file is made readable by everyone. On any failure nothing is left
     * behind.
     */
    Pin download(ModelStore.ModelFile model, URI url, Path target, Optional<Pin> expected, boolean shared)
            throws IOException {
        deleteStaleParts(target);
        long limit = expected.map(Pin::size).orElse(MAX_UNPINNED_BYTES);
        AtomicWrite newPart;
        try {
            newPart = CacheLayout.newPart(target);
        } catch (IOException e) {
            throw notWritable(model, url, target.getParent(), e);
        }
        try (AtomicWrite write = newPart.removeAtExit()) { // Ctrl-C: the shutdown removes it
            long start = System.nanoTime();
            log.log(System.Logger.Level.INFO, "Downloading {0} from {1} ({2})", model.name(), url,
                    ModelStore.weightsNotice(model.name()));
            Part part;
            try (FileChannel channel = FileChannel.open(write.temporary(), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                part = new Part(channel, limit);
                boolean restarted = false;
                while (!matches(fetch(model, url, part), model, expected)) {
                    if (part.responses <= 1 || restarted) {
                        throw new ModelDownloadException("Checksum mismatch for " + model.fileName() + " downloaded from "
                                + url + ": expected " + describe(model, expected, target) + " but got SHA-256 "
                                + part.hash + " (" + part.bytes + " bytes); the file was discarded.", model.name(),
                                model.fileName(), url, -1, null);
                    }
                    // pieces of two versions, or a server that answered a range wrongly: once more, whole
                    log.log(System.Logger.Level.WARNING, "{0}: the resumed download has SHA-256 {1}, not {2}...; "
                            + "downloading it again from the start", model.name(), part.hash,
                            expected.map(Pin::sha256).orElse(model.sha256Prefix()));
                    restarted = true;
                    part.restart();
                }
            }
            if (shared) {
                readableByAll(write.temporary());
            }
            write.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            log.log(System.Logger.Level.INFO, "Downloaded {0}: {1} in {2} s, SHA-256 {3}, saved as {4}", model.name(),
                    size(part.bytes), String.format(Locale.ROOT, "%.1f", seconds), part.hash, target);
            return new Pin(part.hash, part.bytes);
        }
    }

    private static boolean matches(Part part, ModelStore.ModelFile model, Optional<Pin> expected) {
        return expected.isPresent() ? expected.get().equals(new Pin(part.hash, part.bytes))
                : part.hash.startsWith(model.sha256Prefix());
    }

    private static String describe(ModelStore.ModelFile model, Optional<Pin> expected, Path target) {
        if (expected.isEmpty()) {
            return "a SHA-256 starting with " + model.sha256Prefix();
        }
        return "SHA-256 " + expected.get().sha256() + " (" + expected.get().size() + " bytes), as pinned by the library"
                + " or recorded on first use in " + CacheLayout.of(target.getParent()).firstUsePins()
                + " (if the published file really changed, delete its line there)";
    }

    /**
     * Downloads the whole file into {@code part} (resuming and restarting it as the engine says)
     * and hashes it. Throws when the retries run out, the failure cannot be retried or the body is
     * longer than the part's limit.
     */
    private Part fetch(ModelStore.ModelFile model, URI url, Part part) throws IOException {
        try (Resource resource = new Resource(url, settings, Resource.Use.DOWNLOAD)) {
            resource.onRetry((problem, where, millis, retry) -> log.log(System.Logger.Level.WARNING,
                    "{0}: {1}{2}; retrying in {3} s (retry {4} of {5})", model.name(), problem.detail(), where,
                    String.format(Locale.ROOT, "%.2f", millis / 1000.0), retry, settings.retries()));
            try (ResumingInputStream in = new ResumingInputStream(resource, resource.open(0), null)) {
                in.onRestart(part::restart);
                if (resource.size() > part.limit) {
                    throw tooLong(model, url, resource.size() + " bytes announced", part.limit);
                }
                log.log(System.Logger.Level.INFO, "{0}: receiving {1}", model.name(),
                        resource.size() >= 0 ? size(resource.size()) : "unknown size");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0;) {
                    if (part.bytes + n > part.limit) {
                        throw tooLong(model, url, "more than " + part.limit + " bytes sent", part.limit);
                    }
                    part.write(buffer, n);
                }
                part.channel.force(false);
                part.responses = in.responses();
            }
        } catch (HttpSourceException e) {
            throw new ModelDownloadException("Could not download " + model.name() + " from " + url + ": " + e.detail()
                    + ". " + hint, model.name(), model.fileName(), url, e.status(), e);
        }
        part.hash = DigestStamp.hex(part.digest);
        return part;
    }

    private static ModelDownloadException tooLong(ModelStore.ModelFile model, URI url, String what, long limit) {
        return new ModelDownloadException("The download of " + model.fileName() + " from " + url + " was cut: " + what
                + ", but it may have at most " + limit + " bytes (its pinned size, else the bound for checkpoints);"
                + " the file was discarded.", model.name(), model.fileName(), url, -1, null);
    }

    /** The error of a cache folder {@code dir} that a download cannot write. */
    static ModelStore.ModelNotFoundException notWritable(ModelStore.ModelFile model, URI url, Path dir, IOException e) {
        return new ModelStore.ModelNotFoundException("Cannot download " + model.fileName() + " into the cache " + dir
                + ": it cannot be written (" + e + "). Point -Dencodec.cache=DIR or ENCODEC_CACHE=DIR at a writable"
                + " folder, or put the file in a directory given by -Dencodec.models=DIR or ENCODEC_MODELS=DIR.",
                model.name(), model.fileName(), url, e);
    }

    /**
     * The engine's settings for a download: these timeouts, the retries of the system properties;
     * with a {@code client}, its proxies and connect timeout.
     */
    static HttpSettings settings(Duration connectTimeout, Duration readTimeout, HttpClient client) {
        HttpSettings settings = HttpSettings.defaults().withTimeouts(connectTimeout, readTimeout);
        if (client != null) {
            settings = settings.withTimeouts(client.connectTimeout().orElse(connectTimeout), readTimeout)
                    .withProxy(client.proxy().orElse(null));
        }
        return settings;
    }

    /** Adds read permission for group and others (POSIX), so that the other users of a shared cache can read it. */
    void readableByAll(Path file) {
        try {
            Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            mode.addAll(READABLE_BY_ALL);
            Files.setPosixFilePermissions(file, mode);
        } catch (IOException | UnsupportedOperationException e) {
            log.log(System.Logger.Level.DEBUG, "{0}: mode not changed ({1})", file, e);
        }
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
        final long limit;
        MessageDigest digest = DigestStamp.newDigest();
        long bytes;
        int responses;
        String hash;

        Part(FileChannel channel, long limit) {
            this.channel = channel;
            this.limit = limit;
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
            digest = DigestStamp.newDigest();
            bytes = 0;
        }
    }
}
