package io.github.encodecstream.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file's SHA-256 as it was when hashed, beside its {@link FileIdentity}: what the cache records
 * for the files it loads code or models from (ONNX Runtime's libraries, prepared models), so that
 * a later start trusts the digest without reading the file while the file stays the same file.
 *
 * <p>A stamp {@linkplain #vouchesFor vouches} for a file only when the file's identity is still
 * the recorded one and the file is a regular file (not a link), owned by this process's user and
 * not writable by group or others; whoever relies on it must also have checked that the folder
 * holding the file and the stamp is {@linkplain PrivateFolders#isPrivate private}. Otherwise the
 * file is hashed again ({@link #sha256(Path)}) or not used.
 *
 * @param identity the file's {@link FileIdentity} token when it was hashed
 * @param sha256 its SHA-256, 64 lower-case hex digits
 */
public record DigestStamp(String identity, String sha256) {
    private static final Pattern IDENTITY = Pattern.compile("[0-9A-Za-z:=,]+");
    /** A SHA-256 in lower-case hex. */
    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A stamp from its text, {@code IDENTITY SHA256} ({@link #toString()}); an {@link IOException} when malformed. */
    public static DigestStamp parse(String text) throws IOException {
        String[] f = text.strip().split(" ");
        if (f.length != 2 || !IDENTITY.matcher(f[0]).matches() || !SHA256.matcher(f[1]).matches()) {
            throw new IOException("malformed stamp: " + text);
        }
        return new DigestStamp(f[0], f[1]);
    }

    /**
     * Hashes {@code file} and takes its identity (which must not change while it is hashed), after
     * restricting the file to its owner's writing ({@link #restrict}).
     */
    public static DigestStamp take(Path file) throws IOException {
        restrict(file);
        String before = FileIdentity.of(file);
        String sha = sha256(file);
        if (!before.equals(FileIdentity.of(file))) {
            throw new IOException(file + " changed while it was hashed");
        }
        return new DigestStamp(before, sha);
    }

    /** The stamp of a file just written from {@code in} (copied to the new file {@code file}, hashed on the way). */
    public static DigestStamp write(InputStream in, Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (DigestInputStream hashing = new DigestInputStream(in, digest);
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            hashing.transferTo(out);
        }
        restrict(file);
        return new DigestStamp(FileIdentity.of(file), hex(digest));
    }

    /**
     * Whether this stamp vouches for {@code file} without hashing it: its identity is this stamp's,
     * and it is a regular file owned by this process's user, not writable by group or others.
     * Never throws (false).
     */
    public boolean vouchesFor(Path file) {
        try {
            return identity.equals(FileIdentity.of(file)) && PrivateFolders.isOwnerOnlyFile(file);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code IDENTITY SHA256}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return identity + " " + sha256;
    }

    /** The SHA-256 of a file (not followed if it is a link), 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return sha256(in, Long.MAX_VALUE);
        }
    }

    /**
     * The SHA-256 of the first {@code limit} bytes of the file open in {@code in}, read from its
     * start, 64 lower-case hex digits: a file that someone keeps writing to while it is read is
     * hashed no further than the size it had when this began.
     */
    public static String sha256(FileChannel in, long limit) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long end = Math.min(limit, in.size());
        for (long pos = 0; pos < end;) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - pos));
            int n = in.read(buffer, pos);
            if (n < 0) {
                break; // cut short meanwhile
            }
            digest.update(buffer.flip());
            pos += n;
        }
        return hex(digest);
    }

    /** Takes writing away from group and others (POSIX file systems; elsewhere nothing). */
    public static void restrict(Path file) throws IOException {
        if (PrivateFolders.isPosix(file)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (mode.removeAll(PrivateFolders.SHARED_WRITE)) {
                Files.setPosixFilePermissions(file, mode);
            }
        }
    }

    /** A new SHA-256 digest, for bytes hashed as they stream by; {@link #hex} gives its result. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Completes {@code digest} and gives its hash in lower-case hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
