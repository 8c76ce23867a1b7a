package io.github.encodecstream.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that counts the bytes taken from the stream it wraps (read or skipped), from a given
 * start: the position in a file of a reader that does not know it otherwise. A {@code reset()}
 * does not take the count back. One thread reads; any may read the count.
 */
public final class CountingInputStream extends FilterInputStream {
    private volatile long count;

    /** Wraps {@code in}, counting from 0. */
    public CountingInputStream(InputStream in) {
        this(in, 0);
    }

    /** Wraps {@code in}, counting from {@code start} (the position of its next byte). */
    public CountingInputStream(InputStream in, long start) {
        super(in);
        this.count = start;
    }

    /** The start plus the bytes taken so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = super.skip(n);
        if (k > 0) {
            count += k;
        }
        return k;
    }
}
