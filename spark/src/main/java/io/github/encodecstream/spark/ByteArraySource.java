package io.github.encodecstream.spark;

import io.github.encodecstream.source.ByteSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.OptionalLong;

/** A cell's bytes as a seekable {@link ByteSource} (no copy). */
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
