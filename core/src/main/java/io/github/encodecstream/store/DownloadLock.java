package io.github.encodecstream.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The lock that lets one thread of one process download a checkpoint while the others wait: a lock
 * per file in this JVM, and an OS file lock on {@link CacheLayout#downloadLock} across processes.
 *
 * <p>Best-effort and bounded: {@link #acquire} waits at most the given time, and returns early when
 * the awaited file appears; when the wait runs out, or the lock file cannot be used (a read-only or
 * foreign cache), the caller goes ahead without it, which is safe because each download writes a
 * file of its own and moves it into place atomically. The lock file is opened without following a
 * symbolic link: a link there is never followed, and never deleted (it is not ours).
 */
final class DownloadLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DownloadLock.class.getName());
    /** How often a waiter looks at the lock and at the awaited file. */
    private static final long POLL_MILLIS = 50;
    /** Locks per lock file, shared by every store in this JVM. */
    private static final ConcurrentHashMap<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock thread;
    private final FileChannel channel;
    private final FileLock held;

    private DownloadLock(Path file, ReentrantLock thread, FileChannel channel, FileLock held) {
        this.file = file;
        this.thread = thread;
        this.channel = channel;
        this.held = held;
    }

    /**
     * Waits until this thread may download, at most {@code wait}, or until {@code done} says the
     * download is no longer needed; returns what it holds (perhaps nothing), to be closed.
     *
     * @throws InterruptedIOException when the thread is interrupted while waiting
     */
    static DownloadLock acquire(Path file, Duration wait, BooleanSupplier done) throws InterruptedIOException {
        long deadline = System.nanoTime() + wait.toNanos();
        ReentrantLock thread = THREADS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        boolean locked;
        try {
            locked = thread.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another download of " + file);
        }
        if (!locked) {
            LOG.log(System.Logger.Level.WARNING, "another thread has been downloading into {0} for {1} s; going ahead",
                    file.getParent(), wait.toSeconds());
            return new DownloadLock(file, null, null, null);
        }
        try {
            return fileLock(file, thread, deadline, done);
        } catch (InterruptedIOException | RuntimeException | Error e) {
            thread.unlock();
            throw e;
        }
    }

    private static DownloadLock fileLock(Path file, ReentrantLock thread, long deadline, BooleanSupplier done)
            throws InterruptedIOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            boolean link = Files.isSymbolicLink(file);
            LOG.log(link ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "{0}: {1}; downloading without the lock", file, link ? "a symbolic link, not followed" : e);
            return new DownloadLock(file, thread, null, null);
        }
        try {
            while (true) {
                FileLock held = tryLock(channel);
                if (held != null || done.getAsBoolean()) {
                    return new DownloadLock(file, thread, channel, held);
                }
                if (System.nanoTime() - deadline >= 0) {
                    LOG.log(System.Logger.Level.WARNING, "{0} is held by another process for too long; going ahead", file);
                    return new DownloadLock(file, thread, channel, null);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(channel);
            throw new InterruptedIOException("interrupted while waiting for another download of " + file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; downloading without the lock", file, e);
            return new DownloadLock(file, thread, channel, null);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null; // a thread of this JVM that went ahead after its wait holds it
        }
    }

    /** Whether this holds the lock across processes (for tests). */
    boolean heldAcrossProcesses() {
        return held != null;
    }

    /**
     * Releases what this holds; a held lock file is deleted first, so that a process that opens a
     * new one afterwards finds the downloaded file.
     */
    @Override
    public void close() {
        if (held != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left behind: harmless, the next download locks it again
            }
        }
        close(channel);
        if (thread != null) {
            thread.unlock();
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
