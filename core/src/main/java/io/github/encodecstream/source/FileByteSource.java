package io.github.encodecstream.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A local file with random access. Each {@link #openAt(long)} stream is independent (positional
 * reads on one shared {@link FileChannel}), so streams may be used from different threads at once.
 */
public final class FileByteSource implements ByteSource {
    private final Path path;
    private final FileChannel channel;

    /** Opens {@code path} for reading. */
    public FileByteSource(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (!channel.isOpen()) {
            throw new IOException("source is closed: " + path);
        }
        return new PositionalStream(offset);
    }

    @Override
    public boolean isSeekable() {
        return true;
    }

    @Override
    public OptionalLong size() throws IOException {
        return OptionalLong.of(channel.size());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "FileByteSource[" + path + "]";
    }

    /** Reads the channel at its own position. */
    private final class PositionalStream extends InputStream {
        private long position;
        private boolean closed;

        PositionalStream(long position) {
            this.position = position;
        }

        @Override
        public int read() throws IOException {
            ensureOpen();
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) <= 0) {
                return -1; // the end (a positional read of one byte never returns 0 before it)
            }
            position++;
            return one.get(0) & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            ensureOpen();
            long skipped = Math.max(0, Math.min(n, channel.size() - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            ensureOpen();
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, channel.size() - position));
        }

        @Override
        public void close() {
            closed = true;
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
        }
    }
}
