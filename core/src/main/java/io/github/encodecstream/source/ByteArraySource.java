package io.github.encodecstream.source;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.OptionalLong;

/** Bytes in memory as a seekable {@link ByteSource} (not copied): {@link ByteSource#of(byte[])}. */
final class ByteArraySource implements ByteSource {
    private final byte[] bytes;

    ByteArraySource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public InputStream openAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        int from = (int) Math.min(offset, bytes.length);
        return new ByteArrayInputStream(bytes, from, bytes.length - from);
    }

    @Override
    public boolean isSeekable() {
        return true;
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(bytes.length);
    }

    @Override
    public void close() {
        // nothing held
    }
}
