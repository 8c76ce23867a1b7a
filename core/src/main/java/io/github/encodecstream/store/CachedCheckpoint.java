package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.files.PrivateFolders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A checkpoint's SHA-256 and the stamp that spares hashing it again: {@link CacheLayout#stampOf}
 * holds the file's {@linkplain FileIdentity identity} (size, modification time, file key) and its
 * hash. A stamp is only believed, and only written, for a regular file in an owner-only folder
 * ({@link PrivateFolders}), so that nobody who cannot already write the user's files can forge one;
 * writing it is best-effort (a read-only cache just hashes again next time).
 */
final class CachedCheckpoint {
    private static final System.Logger LOG = System.getLogger(CachedCheckpoint.class.getName());

    private CachedCheckpoint() {}

    /**
     * The SHA-256 in {@code file}'s stamp when the stamp fits the file as it is now; the caller has
     * checked that the folder is private.
     */
    static Optional<String> stamped(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // a link's identity is not its target's
            }
            String[] saved = Files.readString(CacheLayout.stampOf(file), StandardCharsets.US_ASCII).trim().split(" ");
            if (saved.length == 2 && saved[0].equals(FileIdentity.of(file)) && saved[1].matches("[0-9a-f]{64}")) {
                return Optional.of(saved[1]);
            }
        } catch (IOException | RuntimeException noStamp) {
            // none, or unreadable
        }
        return Optional.empty();
    }

    /**
     * Writes the stamp of {@code file}, hashed as {@code sha256} (the caller has checked that the
     * folder is private); a failure is logged, not thrown.
     */
    static void stamp(Path file, String sha256) {
        try {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                AtomicWrite.writeAscii(CacheLayout.stampOf(file), FileIdentity.of(file) + " " + sha256 + "\n");
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
        return stamped.isPresent() ? stamped.get() : sha256(file);
    }

    /** Deletes a refused file and its stamp. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(CacheLayout.stampOf(file));
    }

    /** A file's SHA-256, lower-case hex. */
    static String sha256(Path file) throws IOException {
        return sha256(file, Long.MAX_VALUE);
    }

    /**
     * The SHA-256 of a file's first {@code limit} bytes, lower-case hex: a file that someone keeps
     * writing to while it is read is hashed no further than the size it had.
     */
    static String sha256(Path file, long limit) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            byte[] buffer = new byte[1 << 16];
            for (long left = limit; left > 0;) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A new SHA-256 digest. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
