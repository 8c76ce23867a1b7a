package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.files.PrivateFolders;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A checkpoint's SHA-256 and the {@link DigestStamp} that spares hashing it again:
 * {@link CacheLayout#stampOf} holds the file's {@linkplain FileIdentity identity} and its hash. A
 * stamp is only believed, and only written, in an owner-only folder ({@link PrivateFolders}) and
 * for a file it {@linkplain DigestStamp#vouchesFor can vouch for} (a regular file of this user's,
 * not writable by group or others), so that nobody who cannot already write the user's files can
 * forge one; writing it is best-effort (a read-only cache just hashes again next time).
 */
final class CachedCheckpoint {
    private static final System.Logger LOG = System.getLogger(CachedCheckpoint.class.getName());

    private CachedCheckpoint() {}

    /**
     * The SHA-256 in {@code file}'s stamp when the stamp vouches for the file as it is now; the
     * caller has checked that the folder is private.
     */
    static Optional<String> stamped(Path file) {
        try {
            DigestStamp stamp = DigestStamp.parse(Files.readString(CacheLayout.stampOf(file), StandardCharsets.US_ASCII));
            return stamp.vouchesFor(file) ? Optional.of(stamp.sha256()) : Optional.empty();
        } catch (IOException | RuntimeException noStamp) {
            return Optional.empty(); // none, unreadable or malformed
        }
    }

    /**
     * Writes the stamp of {@code file}, hashed as {@code sha256}, when a stamp can vouch for it (the
     * caller has checked that the folder is private); a failure is logged, not thrown.
     */
    static void stamp(Path file, String sha256) {
        try {
            if (PrivateFolders.isOwnerOnlyFile(file)) {
                AtomicWrite.writeAscii(CacheLayout.stampOf(file), new DigestStamp(FileIdentity.of(file), sha256) + "\n");
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: no stamp written ({1}); it is hashed again next time", file, e);
        }
    }

    /**
     * A file's SHA-256, lower-case hex: from its stamp while that still fits and its folder is
     * owner-only, else computed. Writes nothing.
     */
    static String knownSha256(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Optional<String> stamped = PrivateFolders.isPrivate(folder, folder) ? stamped(file) : Optional.empty();
        return stamped.isPresent() ? stamped.get() : sha256(file, Long.MAX_VALUE);
    }

    /** Deletes a refused file and its stamp. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(CacheLayout.stampOf(file));
    }

    /**
     * The SHA-256 of a file's first {@code limit} bytes (a link is followed: a checkpoint may be a
     * link in a models folder), lower-case hex.
     */
    static String sha256(Path file, long limit) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return DigestStamp.sha256(in, limit);
        }
    }
}
