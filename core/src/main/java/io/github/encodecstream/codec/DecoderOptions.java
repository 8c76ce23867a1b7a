package io.github.encodecstream.codec;

/**
 * Options of an {@link EcdcDecoder}.
 *
 * @param chunkFrames frames (of {@code hop} samples) decoded per step of a 24 kHz stream; the first
 *     chunk is at least 7 frames. 75 frames are one second.
 * @param prerollFrames frames decoded and discarded before a seek target in a 24 kHz file, to let
 *     the LSTM state settle. On the reference models 25 frames already agree within 1e-6; the
 *     default, {@value #DEFAULT_PREROLL}, leaves a margin.
 * @param exactSeek whether a 24 kHz seek decodes from the start of the file instead (exact, slow)
 * @param threads how many threads decode at once: 48 kHz segments in parallel (the result is
 *     bit-identical whatever the count), 24 kHz chunks in parallel after a pre-roll (within 1e-5
 *     of the sequential stream; see {@link EcdcDecoder}); 1 decodes on the reading thread alone,
 *     exactly as one stream; 0 takes the models' budget ({@link Models#threads()})
 * @param models where the decoder networks come from; {@code null}: {@link Models#shared()}, looked up
 *     when a stream first needs a network
 */
public record DecoderOptions(int chunkFrames, int prerollFrames, boolean exactSeek, int threads, Models models) {
    /**
     * Default frames per chunk: half a second of the 24 kHz model. A network run's activations
     * grow with its length (one second: ~20 MB more resident memory per run at once, for ~3% less
     * CPU; docs/PERFORMANCE.md).
     */
    public static final int DEFAULT_CHUNK = 38;
    /** Default pre-roll before a 24 kHz seek target, in frames (0.67 s). */
    public static final int DEFAULT_PREROLL = 50;

    /** Checks the values. */
    public DecoderOptions {
        if (chunkFrames < 1) {
            throw new IllegalArgumentException("chunkFrames must be >= 1");
        }
        if (prerollFrames < 0) {
            throw new IllegalArgumentException("prerollFrames must be >= 0");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: the models' budget)");
        }
    }

    /** Options with the models' thread budget. */
    public DecoderOptions(int chunkFrames, int prerollFrames, boolean exactSeek, Models models) {
        this(chunkFrames, prerollFrames, exactSeek, 0, models);
    }

    /** Defaults, with networks from {@link Models#shared()} (looked up only when a stream needs them). */
    public static DecoderOptions defaults() {
        return new DecoderOptions(DEFAULT_CHUNK, DEFAULT_PREROLL, false, 0, null);
    }

    /** With another thread count (0: the models' budget). */
    public DecoderOptions withThreads(int n) {
        return new DecoderOptions(chunkFrames, prerollFrames, exactSeek, n, models);
    }

    /** The models to use: {@link #models()}, else the shared ones. */
    Models modelsOrShared() {
        return models != null ? models : Models.shared();
    }

    /** With another chunk size. */
    public DecoderOptions withChunkFrames(int frames) {
        return new DecoderOptions(frames, prerollFrames, exactSeek, threads, models);
    }

    /** With another pre-roll. */
    public DecoderOptions withPrerollFrames(int frames) {
        return new DecoderOptions(chunkFrames, frames, exactSeek, threads, models);
    }

    /** With exact seeking on or off. */
    public DecoderOptions withExactSeek(boolean exact) {
        return new DecoderOptions(chunkFrames, prerollFrames, exact, threads, models);
    }

    /** With another source of networks. */
    public DecoderOptions withModels(Models provider) {
        return new DecoderOptions(chunkFrames, prerollFrames, exactSeek, threads, provider);
    }
}
