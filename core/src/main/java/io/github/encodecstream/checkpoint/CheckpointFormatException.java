package io.github.encodecstream.checkpoint;

import java.io.IOException;

/** Thrown when a checkpoint file is corrupt, truncated or uses an unsupported feature. */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public CheckpointFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a message and cause. */
    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
