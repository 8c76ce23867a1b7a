package io.github.encodecstream.format;

import java.io.IOException;

/** A malformed or unsupported {@code .ecdc} file; {@link #byteOffset()} says where in the file. */
public class EcdcFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The offset from the start of the file where the problem is. */
    private final long byteOffset;

    /** A problem found at {@code byteOffset}, the offset from the start of the file. */
    public EcdcFormatException(String message, long byteOffset) {
        this(message, byteOffset, null);
    }

    /** A problem found at {@code byteOffset}, caused by {@code cause}. */
    public EcdcFormatException(String message, long byteOffset, Throwable cause) {
        super(message + " (at byte " + byteOffset + ")", cause);
        this.byteOffset = byteOffset;
    }

    /** The offset from the start of the file where the problem is. */
    public long byteOffset() {
        return byteOffset;
    }
}
