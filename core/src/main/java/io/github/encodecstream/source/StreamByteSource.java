package io.github.encodecstream.source;

import io.github.encodecstream.files.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A forward-only source over a plain {@link InputStream} (stdin, a pipe). {@link #openAt(long)}
 * may go forward (skipping bytes) but not back; opening a new stream retires the previous one,
 * whose reads then fail.
 */
public final class StreamByteSource implements ByteSource {
    /** The stream, counting the bytes taken: its count is the offset of the next byte. */
    private final CountingInputStream in;
    private final byte[] skipBuffer = new byte[8192];
    private long generation;
    private boolean closed;

    /** A source reading {@code in}, whose current position is taken as offset 0. */
    public StreamByteSource(InputStream in) {
        this.in = new CountingInputStream(Objects.requireNonNull(in));
    }

    /** The offset of the next byte of the underlying stream. */
    public synchronized long position() {
        return in.count();
    }

    /**
     * Skips forward to {@code offset} (stopping early at the end of the data).
     *
     * @throws IOException "source is not seekable" when {@code offset} is behind the position
     */
    @Override
    public synchronized InputStream openAt(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        ensureOpen();
        if (offset < in.count()) {
            throw new IOException("source is not seekable: cannot go back to byte " + offset
                    + " from byte " + in.count());
        }
        skipTo(offset);
        return new View(++generation);
    }

    /** Reads and drops bytes up to {@code target}, or to the end of the data; the caller holds the lock. */
    private void skipTo(long target) throws IOException {
        while (in.count() < target) {
            int n = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, target - in.count()));
            if (n <= 0) {
                break; // the end; a stream that returns 0 for a non-empty request has nothing more now
            }
        }
    }

    @Override
    public boolean isSeekable() {
        return false;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.empty();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        in.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("source is closed");
        }
    }

    /** The underlying stream, as long as no later {@link #openAt(long)} replaced this view. */
    private final class View extends InputStream {
        private final long id;
        private boolean viewClosed;

        View(long id) {
            this.id = id;
        }

        @Override
        public int read() throws IOException {
            synchronized (StreamByteSource.this) {
                ensureCurrent();
                return in.read();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            synchronized (StreamByteSource.this) {
                ensureCurrent();
                return in.read(b, off, len);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            synchronized (StreamByteSource.this) {
                ensureCurrent();
                long start = in.count();
                skipTo(start + Math.max(0, n));
                return in.count() - start;
            }
        }

        @Override
        public int available() throws IOException {
            synchronized (StreamByteSource.this) {
                ensureCurrent();
                return in.available();
            }
        }

        @Override
        public void close() {
            viewClosed = true;
        }

        private void ensureCurrent() throws IOException {
            ensureOpen();
            if (viewClosed) {
                throw new IOException("stream closed");
            }
            if (id != generation) {
                throw new IOException("stream was replaced by a later openAt");
            }
        }
    }
}
