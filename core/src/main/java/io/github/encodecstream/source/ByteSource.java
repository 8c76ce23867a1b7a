package io.github.encodecstream.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Bytes that can be read from a given offset: a file ({@link FileByteSource}), a forward-only
 * stream ({@link StreamByteSource}), an http(s) URL ({@link HttpByteSource}) or bytes in memory
 * ({@link #of(byte[])}).
 * Closing the source ends the streams it opened.
 */
public interface ByteSource extends Closeable {
    /** The bytes of an array, seekable (the array is not copied: leave it unchanged while it is read). */
    static ByteSource of(byte[] bytes) {
        return new ByteArraySource(java.util.Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * A stream of the bytes from {@code offset} on; past the end it is at its end. Closing it
     * leaves the source open.
     *
     * @throws IllegalArgumentException for a negative offset
     * @throws IOException when the source cannot go there (e.g. backwards in a forward-only source)
     */
    InputStream openAt(long offset) throws IOException;

    /** Whether {@link #openAt(long)} accepts any offset, also behind earlier ones. */
    boolean isSeekable();

    /** The total length in bytes, when known. */
    OptionalLong size() throws IOException;
}
