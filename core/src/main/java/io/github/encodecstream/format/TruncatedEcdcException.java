package io.github.encodecstream.format;

/** The file ends early; {@link #byteOffset()} is where the data stops (the length of what was there). */
public class TruncatedEcdcException extends EcdcFormatException {
    private static final long serialVersionUID = 1L;

    /** The data ends at {@code byteOffset} while {@code message} was being read. */
    public TruncatedEcdcException(String message, long byteOffset) {
        super(message, byteOffset);
    }
}
