package io.github.encodecstream.format;

import java.io.IOException;
import java.io.InputStream;

/** Exact reads that report truncation with the file offset where the data stops. */
final class ByteReads {
    private ByteReads() {}

    /**
     * Reads exactly {@code len} bytes; {@code fileOffset} is the file offset of the first one.
     *
     * @throws TruncatedEcdcException at the offset where the stream ended, naming {@code what}
     */
    static void readFully(InputStream in, byte[] b, int off, int len, long fileOffset, String what)
            throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new TruncatedEcdcException("file ends inside " + what, fileOffset + n);
        }
    }
}
