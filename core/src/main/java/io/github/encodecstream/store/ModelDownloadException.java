package io.github.encodecstream.store;

import java.net.URI;

/**
 * Thrown when downloading a checkpoint failed: an HTTP error ({@link #statusCode()}), a network
 * error or timeout (the cause), a file without the pinned SHA-256 and size (or without the SHA-256
 * prefix of its name when none is pinned), a body longer than the file may be, or a plain
 * {@code http} mirror that the user has not allowed.
 */
public class ModelDownloadException extends ModelStore.ModelNotFoundException {
    private static final long serialVersionUID = 1L;
    /** The HTTP status of the failed download, or -1. */
    private final int statusCode;

    /** Creates the exception; {@code statusCode} is the HTTP status, or -1 when there was none. */
    public ModelDownloadException(String message, String modelName, String fileName, URI url, int statusCode,
            Throwable cause) {
        super(message, modelName, fileName, url, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status code of a failed response, or -1 when the failure was not an HTTP error. */
    public int statusCode() {
        return statusCode;
    }
}
