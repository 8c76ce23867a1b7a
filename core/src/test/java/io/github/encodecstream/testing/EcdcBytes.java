package io.github.encodecstream.testing;

import io.github.encodecstream.format.EcdcHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@code .ecdc} headers in memory: built from a version and JSON, or read from a file's bytes. */
public final class EcdcBytes {
    private EcdcBytes() {}

    /** {@code ECDC}, the version byte, the big-endian length and the JSON bytes. */
    public static byte[] header(int version, byte[] json) {
        return ByteBuffer.allocate(EcdcHeader.FIXED_LENGTH + json.length).put(EcdcHeader.MAGIC).put((byte) version)
                .putInt(json.length).put(json).array();
    }

    /** {@link #header(int, byte[])} of UTF-8 JSON text. */
    public static byte[] header(int version, String json) {
        return header(version, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The header of a file in memory. */
    public static EcdcHeader read(byte[] file) throws IOException {
        return EcdcHeader.read(new ByteArrayInputStream(file));
    }

    /** The header's bytes of a file in memory. */
    public static byte[] headerBytes(byte[] file) {
        int json = ByteBuffer.wrap(file, 5, 4).getInt();
        return Arrays.copyOf(file, EcdcHeader.FIXED_LENGTH + json);
    }
}
