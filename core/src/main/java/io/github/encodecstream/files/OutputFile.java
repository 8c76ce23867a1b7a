package io.github.encodecstream.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A file that a command ({@code decode -o}, {@code encode -o}) or {@code AudioSystem.write} to a
 * {@code File} writes, the way {@code sox} and {@code ffmpeg} users expect a named output to
 * behave, but never leaving a half-written file in place of a good one:
 * <ul>
 *   <li>A regular file, new or existing, also one reached through symbolic links, is written to a
 *       temporary beside the links' final target ({@link AtomicWrite}) and moved onto it by
 *       {@link #commit()}: the links stay links, the target gets the new content with its
 *       permissions, and its owner and group where the process may set them (root; a group it
 *       belongs to). Without a commit ({@link #close()}, or the JVM shutting down after
 *       {@link #removeAtExit()}) the temporary is deleted and an existing file is left as it was.
 *       A file with other hard links is replaced under the name written only: the other names keep
 *       the old content (as {@code mv}, {@code rsync} and editors' safe saves do).</li>
 *   <li>Written in place (opened, truncated and written, as {@code sox} does): anything that is
 *       not a regular file (a device such as {@code /dev/null}, a named pipe, a terminal); the
 *       names of open files, {@code /dev/stdout}, {@code /dev/stderr}, {@code /dev/fd/N} and every
 *       path under {@code /proc} ({@code /proc/self/fd/N}), which must be written, not replaced
 *       by a new file; and an existing regular file whose directory does not let the process create the
 *       temporary but which it may write. Such an output holds what was written so far when the
 *       write fails.</li>
 *   <li>A directory is refused ({@link FileSystemException} "is a directory").</li>
 * </ul>
 * {@link #patch} rewrites bytes already written (a WAV header once the length is known) where
 * the file can seek: always for a replaced file, for an in-place one when it is a regular file.
 */
public final class OutputFile implements Closeable {
    /**
     * Paths that name a process's open files rather than directory entries (Linux, macOS, BSD):
     * replacing what they point to would write a new file under the open file's name (or under
     * a name such as {@code "x (deleted)"}) instead of the file the descriptor writes.
     * ({@code /dev/shm} and other ordinary folders under {@code /dev} are not among them.)
     */
    private static final List<String> OPEN_FILE_NAMES = List.of("/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/fd",
            "/proc");

    private final AtomicWrite write;
    private final Path file;
    private final FileChannel channel;
    private final OutputStream stream;
    private final boolean seekable;
    private boolean committed;

    private OutputFile(AtomicWrite write, Path file, FileChannel channel, boolean seekable) {
        this.write = write;
        this.file = file;
        this.channel = channel;
        this.stream = Channels.newOutputStream(channel);
        this.seekable = seekable;
    }

    /**
     * Opens {@code path} for writing as the class describes.
     *
     * @throws IOException when it cannot be created or opened ({@link FileSystemException} "is a
     *     directory" for a directory)
     */
    public static OutputFile open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        if (writtenInPlace(path)) {
            return inPlace(path);
        }
        AtomicWrite write;
        try {
            write = AtomicWrite.file(path);
        } catch (AccessDeniedException e) {
            if (Files.isRegularFile(path) && Files.isWritable(path)) {
                return inPlace(path); // a writable file in a directory the process may not add to
            }
            throw e;
        }
        try {
            FileChannel channel = FileChannel.open(write.temporary(), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new OutputFile(write, write.temporary(), channel, true);
        } catch (IOException | RuntimeException e) {
            write.close();
            throw e;
        }
    }

    /**
     * Whether {@code path} is written in place rather than replaced: an existing file that is not
     * a regular file (links followed), or a name of an open file ({@code /dev/stdout}, {@code /dev/stderr},
     * {@code /dev/stdin}, {@code /dev/fd/N}, anything under {@code /proc}).
     */
    public static boolean writtenInPlace(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (String name : OPEN_FILE_NAMES) {
            if (absolute.startsWith(name)) {
                return true;
            }
        }
        return Files.exists(path) && !Files.isRegularFile(path);
    }

    private static OutputFile inPlace(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new OutputFile(null, path, channel, Files.isRegularFile(path));
    }

    /** The stream to write (unbuffered: wrap it); {@link #commit()} and {@link #close()} close it. */
    public OutputStream stream() {
        return stream;
    }

    /** Whether the output is written in place rather than through a temporary. */
    public boolean inPlace() {
        return write == null;
    }

    /** Whether {@link #patch} can rewrite what was written. */
    public boolean seekable() {
        return seekable;
    }

    /**
     * Writes {@code bytes} at {@code position} of what was written (flush any buffer over
     * {@link #stream()} first), leaving the stream's own position alone.
     *
     * @throws IOException when the write fails, or the output cannot seek ({@link #seekable()})
     */
    public void patch(long position, byte[] bytes) throws IOException {
        if (!seekable) {
            throw new IOException(file + ": cannot seek");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (long at = position; b.hasRemaining(); ) {
            at += channel.write(b, at);
        }
    }

    /** Also deletes the temporary if the JVM shuts down before {@link #commit()} (Ctrl-C); returns this. */
    public OutputFile removeAtExit() {
        if (write != null) {
            write.removeAtExit();
        }
        return this;
    }

    /**
     * Closes the stream and moves the temporary onto the target (flush any buffer over
     * {@link #stream()} first); for an in-place output, closes it.
     *
     * @throws IOException when closing or moving fails, or the JVM is shutting down and the
     *     temporary was deleted
     */
    public synchronized void commit() throws IOException {
        if (committed) {
            throw new IOException(file + ": already committed");
        }
        stream.close();
        if (write != null) {
            write.commit();
        }
        committed = true;
    }

    /** Unless committed: closes the stream and deletes the temporary (an in-place output keeps what was written). */
    @Override
    public synchronized void close() {
        if (committed) {
            return;
        }
        committed = true;
        try {
            stream.close();
        } catch (IOException ignored) {
            // failing already; the temporary goes anyway
        }
        if (write != null) {
            write.close();
        }
    }
}
