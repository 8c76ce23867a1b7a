package io.github.encodecstream.codec;

/** The checks of the values {@link DecoderOptions} and {@link EncoderOptions} share. */
final class OptionChecks {
    private OptionChecks() {}

    /** A chunk size in steps: at least 1. */
    static int chunkFrames(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("chunkFrames must be >= 1");
        }
        return frames;
    }

    /** A thread count: at least 0 (0: the models' budget). */
    static int threads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: the models' budget)");
        }
        return n;
    }
}
