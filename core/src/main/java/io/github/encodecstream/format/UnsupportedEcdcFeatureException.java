package io.github.encodecstream.format;

/**
 * A well-formed file that uses a feature this library cannot read yet, such as the
 * entropy-coded ({@code lm}) code stream. Its header is still readable.
 */
public class UnsupportedEcdcFeatureException extends EcdcFormatException {
    private static final long serialVersionUID = 1L;

    /** The unsupported feature starts at {@code byteOffset}. */
    public UnsupportedEcdcFeatureException(String message, long byteOffset) {
        super(message, byteOffset);
    }
}
