package io.github.encodecstream.codec;

import java.util.Objects;

/**
 * What the builders of {@link DecoderOptions} and {@link EncoderOptions} share, with its checks:
 * the steps per network run of a 24 kHz stream, the threads, and the models.
 *
 * @param <B> the builder's own type, which each setter returns
 */
abstract class OptionsBuilder<B extends OptionsBuilder<B>> {
    int chunkFrames;
    int threads;
    Models models;

    OptionsBuilder(int chunkFrames) {
        this.chunkFrames = chunkFrames;
    }

    /** This builder. */
    abstract B self();

    /** Takes the shared settings of the options being copied into this builder ({@code toBuilder()}). */
    B copyOf(int chunkFrames, int threads, Models models) {
        this.chunkFrames = chunkFrames;
        this.threads = threads;
        this.models = models;
        return self();
    }

    /**
     * Steps (of {@code hop} samples) per network run of a 24 kHz stream, at least 1 (the first run
     * takes at least 7); 75 are one second.
     */
    public B chunkFrames(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("chunkFrames must be >= 1");
        }
        chunkFrames = frames;
        return self();
    }

    /** Threads that run the networks at once, at least 0 (default 0: the models' budget, {@link Models#threads()}). */
    public B threads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: the models' budget)");
        }
        threads = n;
        return self();
    }

    /** Where the networks come from (default: {@link Models#shared()}). */
    public B models(Models provider) {
        models = Objects.requireNonNull(provider, "models");
        return self();
    }
}
