package io.github.encodecstream.format;

import java.io.IOException;
import java.io.InputStream;

/** Exact reads that report truncation with the file offset where the data stops. */
final class ByteReads {
    private ByteReads() {}

    /** Reads up to {@code len} bytes, fewer only at the end of the stream; returns the count. */
    static int readUpTo(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Reads exactly {@code len} bytes; {@code fileOffset} is the file offset of the first one.
     *
     * @throws TruncatedEcdcException at the offset where the stream ended, naming {@code what}
     */
    static void readFully(InputStream in, byte[] b, int off, int len, long fileOffset, String what)
            throws IOException {
        int n = readUpTo(in, b, off, len);
        if (n < len) {
            throw new TruncatedEcdcException("file ends inside " + what, fileOffset + n);
        }
    }
}
