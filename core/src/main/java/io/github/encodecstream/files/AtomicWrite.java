package io.github.encodecstream.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file or directory written under a temporary name beside its target and moved into place only
 * when complete, so that a reader never sees a partial one and a failed or interrupted write
 * leaves the target as it was: every "write, then move into place" of the library and the
 * command line (downloaded checkpoints and their stamps, prepared models and their manifests,
 * ONNX Runtime's extracted libraries, {@code AudioSystem.write}, {@code encode}).
 *
 * <pre>{@code
 * try (AtomicWrite w = AtomicWrite.file(target)) {
 *     try (OutputStream out = w.newOutputStream()) { ... }
 *     w.commit();
 * }   // deleted unless committed
 * }</pre>
 *
 * <ul>
 *   <li>The temporary is {@code .NAME.RANDOM.tmp} (a caller may choose the suffix) in the target's
 *       directory, created new ({@code CREATE_NEW}) with the process's default permissions, as a
 *       file created in place would be.</li>
 *   <li>A target that is a symbolic link is resolved (every hop, a dangling link too): the
 *       temporary is written beside the link's final target, which the commit replaces, so the
 *       link stays a link.</li>
 *   <li>{@link #commit()} of a file gives the temporary the permissions of the target it replaces,
 *       and its owner and group where the process may set them (root; a group it belongs to)
 *       (POSIX file systems), then moves it atomically where the file system can ({@code rename}),
 *       else replaces the target by a plain move. A directory is never replaced: when another
 *       process moved its own into place first, {@code commit()} says so and keeps that one.</li>
 *   <li>{@link #close()} deletes the temporary unless committed; {@link #removeAtExit()} also
 *       deletes it when the JVM shuts down first (Ctrl-C), through a shutdown hook that
 *       {@code close()} removes.</li>
 * </ul>
 * Thread-safe: {@code commit}, {@code close} and the shutdown hook may race.
 */
public final class AtomicWrite implements Closeable {
    /** Symbolic links followed before a target is taken as it is (as the kernel's ELOOP limit). */
    private static final int MAX_LINKS = 40;

    private final Path target;
    private final Path temporary;
    private final boolean directory;
    private Thread hook;
    private boolean settled;

    private AtomicWrite(Path target, Path temporary, boolean directory) {
        this.target = target;
        this.temporary = temporary;
        this.directory = directory;
    }

    /** A new empty temporary file {@code .NAME.RANDOM.tmp} beside {@code target} (resolved through links). */
    public static AtomicWrite file(Path target) throws IOException {
        return file(target, ".tmp");
    }

    /** The same with another suffix than {@code .tmp} (a download's {@code .part}). */
    public static AtomicWrite file(Path target, String suffix) throws IOException {
        Path resolved = resolveLinks(target);
        Path dir = resolved.toAbsolutePath().getParent();
        while (true) {
            Path candidate = dir.resolve("." + resolved.getFileName() + "." + random() + suffix);
            try {
                Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return new AtomicWrite(resolved, candidate, false);
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    /**
     * A new empty temporary directory {@code .tmp-NAME.RANDOM} beside {@code target}, to be filled
     * and then moved into place whole; its parent is created when missing.
     */
    public static AtomicWrite directory(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        while (true) {
            Path candidate = dir.resolve(".tmp-" + target.getFileName() + "." + random());
            try {
                Files.createDirectory(candidate);
                return new AtomicWrite(target, candidate, true);
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    /** Writes {@code text} (US-ASCII) to {@code target} atomically: for small stamps and manifests. */
    public static void writeAscii(Path target, String text) throws IOException {
        try (AtomicWrite w = file(target)) {
            Files.writeString(w.temporary(), text, StandardCharsets.US_ASCII);
            w.commit();
        }
    }

    /** The temporary file or directory to write. */
    public Path temporary() {
        return temporary;
    }

    /** Where the temporary goes on {@link #commit()}: the target, its links resolved. */
    public Path target() {
        return target;
    }

    /** A stream that writes the temporary file (truncating it). */
    public OutputStream newOutputStream() throws IOException {
        return Files.newOutputStream(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Also deletes the temporary if the JVM shuts down before {@link #close()}; returns this. */
    public synchronized AtomicWrite removeAtExit() {
        if (hook == null && !settled) {
            hook = new Thread(this::discard, "encodec-stream-discard");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    /**
     * Moves the complete (closed) temporary into place. Returns true; for a directory, false when
     * another process's directory took the place first (kept; this temporary is deleted on close).
     *
     * @throws IOException when the move fails, or the JVM is shutting down and the temporary is gone
     */
    public synchronized boolean commit() throws IOException {
        if (settled) {
            throw new IOException("shutting down: " + target + " not written");
        }
        if (directory) {
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (Files.isDirectory(target)) {
                    return false; // another process was quicker
                }
                throw e;
            }
        } else {
            keepAttributes();
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        settled = true;
        return true;
    }

    /** Deletes the temporary unless committed, and removes the shutdown hook. */
    @Override
    public void close() {
        discard();
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs too, and finds it settled
            }
        }
    }

    private synchronized void discard() {
        if (settled) {
            return;
        }
        settled = true;
        CacheFiles.deleteTree(temporary);
    }

    /**
     * Gives the temporary the POSIX permissions of the file it replaces, where there is one, and
     * its owner and group where the process may set them (best effort: only root may give a file
     * away, and a user only to groups they are in; otherwise the new file stays the writer's).
     */
    private void keepAttributes() throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        PosixFileAttributes old;
        try {
            old = Files.readAttributes(target, PosixFileAttributes.class);
        } catch (UnsupportedOperationException notPosix) {
            return; // the file system's own rules
        }
        Files.setPosixFilePermissions(temporary, old.permissions());
        PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            PosixFileAttributes now = view.readAttributes();
            if (!old.group().equals(now.group())) {
                view.setGroup(old.group());
            }
            if (!old.owner().equals(now.owner())) {
                view.setOwner(old.owner());
            }
        } catch (IOException | SecurityException notAllowed) {
            // the new file stays the writer's
        }
    }

    /** {@code path} with every symbolic link along it (the last name) followed, dangling or not. */
    static Path resolveLinks(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new IOException(path + ": too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    private static String random() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }
}
