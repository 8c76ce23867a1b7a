package io.github.encodecstream.checkpoint;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** An input stream over a buffer's remaining bytes, with mark and reset; what the unpickler reads. */
final class BufferInputStream extends InputStream {
    private final ByteBuffer buffer;
    private int mark;

    BufferInputStream(ByteBuffer buffer) {
        this.buffer = buffer.duplicate();
        this.mark = this.buffer.position();
    }

    @Override
    public int read() {
        return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** The next {@code len} bytes, or fewer at the end, in an array of just that size. */
    @Override
    public byte[] readNBytes(int len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        byte[] out = new byte[Math.min(len, buffer.remaining())];
        buffer.get(out);
        return out;
    }

    @Override
    public long skip(long n) {
        int k = (int) Math.max(0, Math.min(n, buffer.remaining()));
        buffer.position(buffer.position() + k);
        return k;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = buffer.position();
    }

    @Override
    public void reset() {
        buffer.position(mark);
    }

    /** The bytes consumed so far, from the buffer's initial position. */
    int position() {
        return buffer.position();
    }
}
