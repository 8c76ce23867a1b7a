package io.github.encodecstream.format;

/** The data does not start with the {@code ECDC} magic: it is not an {@code .ecdc} file at all. */
public class NotEcdcException extends EcdcFormatException {
    private static final long serialVersionUID = 1L;

    /** The magic differs at {@code byteOffset}. */
    public NotEcdcException(String message, long byteOffset) {
        super(message, byteOffset);
    }
}
