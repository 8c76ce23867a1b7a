package io.github.encodecstream.spark;

/**
 * A row that could not be encoded, read or decoded, in fail-fast mode
 * ({@link EncodecFunctions#FAIL_FAST}): it fails the task, and so the job, with the message the
 * row's {@code error} field would have held (Spark reports it inside its own exception).
 */
public final class EcdcRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the row's message and what caused it. */
    public EcdcRowException(String message, Throwable cause) {
        super(message, cause);
    }
}
