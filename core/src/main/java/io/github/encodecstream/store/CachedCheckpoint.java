package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.FileIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The check of a checkpoint in the model cache against the SHA-256 prefix of its official name: the
 * file is hashed once and a stamp beside it ({@link CacheLayout#stampOf}: size, modification time, file
 * key and hash) lets later starts trust it with one {@code stat} while the file stays the same
 * file; a file that was truncated, rewritten or replaced is hashed again. Files in a user's models
 * directory are trusted as they are and never come here.
 */
final class CachedCheckpoint {
    private CachedCheckpoint() {}

    /**
     * Whether {@code file}'s SHA-256 starts with {@code prefix} (lower-case hex, as
     * {@link ModelStore.ModelFile} holds it); hashes it unless its stamp still fits, and writes the
     * stamp when it matches.
     */
    static boolean verify(Path file, String prefix) throws IOException {
        String identity = FileIdentity.of(file);
        String stamped = stamped(file, identity);
        if (stamped != null && stamped.startsWith(prefix)) {
            return true;
        }
        String sha256 = sha256(file);
        if (!sha256.startsWith(prefix)) {
            return false;
        }
        AtomicWrite.writeAscii(CacheLayout.stampOf(file), identity + " " + sha256 + "\n");
        return true;
    }

    /**
     * A file's SHA-256, lower-case hex: from its stamp while that still fits (a cache file
     * {@link #verify} checked), else computed. Writes nothing.
     */
    static String knownSha256(Path file) throws IOException {
        String stamped = stamped(file, FileIdentity.of(file));
        return stamped != null ? stamped : sha256(file);
    }

    /** The hash in {@code file}'s stamp when the stamp is for this {@code identity}, else null. */
    private static String stamped(Path file, String identity) {
        try {
            String[] saved = Files.readString(CacheLayout.stampOf(file), StandardCharsets.US_ASCII).trim().split(" ");
            if (saved.length == 2 && saved[0].equals(identity) && saved[1].matches("[0-9a-f]{64}")) {
                return saved[1];
            }
        } catch (IOException | RuntimeException noStamp) {
            // none, or unreadable
        }
        return null;
    }

    /** Deletes a damaged file and its stamp. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(CacheLayout.stampOf(file));
    }

    /** A file's SHA-256, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
