package io.github.encodecstream.codec;

import java.util.Objects;
import java.util.Optional;

/**
 * Options of an {@link EcdcDecoder}, immutable: {@link #defaults()}, or a {@link #builder()}.
 *
 * <pre>{@code
 * DecoderOptions options = DecoderOptions.builder().models(models).threads(2).build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #chunkFrames()}: frames (of {@code hop} samples) decoded per step of a 24 kHz
 *       stream; the first chunk is at least 7 frames. 75 frames are one second.</li>
 *   <li>{@link #prerollFrames()}: frames decoded and discarded before a seek target in a 24 kHz
 *       file, to let the LSTM state settle. On the reference models 25 frames already agree within
 *       1e-6; the default, {@value #DEFAULT_PREROLL}, leaves a margin.</li>
 *   <li>{@link #exactSeek()}: whether a 24 kHz seek decodes from the start of the file instead
 *       (exact, slow).</li>
 *   <li>{@link #threads()}: how many threads decode at once: 48 kHz segments in parallel (the
 *       result is bit-identical whatever the count), 24 kHz chunks in parallel after a pre-roll
 *       (within 1e-5 of the sequential stream; see {@link EcdcDecoder}), and the LM of
 *       entropy-coded files ahead of the network, on the same threads; 1 decodes on the reading
 *       thread alone, exactly as one stream; 0 takes the models' budget ({@link Models#threads()}).</li>
 *   <li>{@link #damage()}: what a damaged segment or chunk does ({@link Damage}): concealed
 *       (default) or the end of decoding.</li>
 *   <li>{@link #models()}: where the decoder networks come from; when not given,
 *       {@link Models#shared()}, looked up when a stream first needs a network.</li>
 * </ul>
 */
public final class DecoderOptions {
    /**
     * Default frames per chunk: half a second of the 24 kHz model. A network run's activations
     * grow with its length (one second: ~20 MB more resident memory per run at once, for ~3% less
     * CPU; docs/PERFORMANCE.md).
     */
    public static final int DEFAULT_CHUNK = 38;
    /** Default pre-roll before a 24 kHz seek target, in frames (0.67 s). */
    public static final int DEFAULT_PREROLL = 50;

    private static final DecoderOptions DEFAULTS = builder().build();

    private final int chunkFrames;
    private final int prerollFrames;
    private final boolean exactSeek;
    private final Damage damage;
    private final int threads;
    private final Models models;

    private DecoderOptions(Builder b) {
        this.chunkFrames = b.chunkFrames;
        this.prerollFrames = b.prerollFrames;
        this.exactSeek = b.exactSeek;
        this.damage = b.damage;
        this.threads = b.threads;
        this.models = b.models;
    }

    /** Defaults, with networks from {@link Models#shared()} (looked up only when a stream needs them). */
    public static DecoderOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().copyOf(chunkFrames, threads, models).prerollFrames(prerollFrames).exactSeek(exactSeek)
                .damage(damage);
    }

    /** Frames per step of a 24 kHz stream. */
    public int chunkFrames() {
        return chunkFrames;
    }

    /** Frames of pre-roll before a 24 kHz seek target. */
    public int prerollFrames() {
        return prerollFrames;
    }

    /** Whether a 24 kHz seek decodes from the start of the file. */
    public boolean exactSeek() {
        return exactSeek;
    }

    /** What a damaged segment or chunk does (default {@link Damage#CONCEAL}). */
    public Damage damage() {
        return damage;
    }

    /** Threads that decode at once; 0: the models' budget. */
    public int threads() {
        return threads;
    }

    /** The models given; empty: {@link Models#shared()}. */
    public Optional<Models> models() {
        return Optional.ofNullable(models);
    }

    /** The models to use: those given, else the shared ones. */
    Models modelsOrShared() {
        return models != null ? models : Models.shared();
    }

    /** With another thread count (0: the models' budget). */
    public DecoderOptions withThreads(int n) {
        return toBuilder().threads(n).build();
    }

    /** With another chunk size. */
    public DecoderOptions withChunkFrames(int frames) {
        return toBuilder().chunkFrames(frames).build();
    }

    /** With another pre-roll. */
    public DecoderOptions withPrerollFrames(int frames) {
        return toBuilder().prerollFrames(frames).build();
    }

    /** With exact seeking on or off. */
    public DecoderOptions withExactSeek(boolean exact) {
        return toBuilder().exactSeek(exact).build();
    }

    /** With another handling of damaged segments and chunks. */
    public DecoderOptions withDamage(Damage handling) {
        return toBuilder().damage(handling).build();
    }

    /** With another source of networks. */
    public DecoderOptions withModels(Models provider) {
        return toBuilder().models(provider).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderOptions d && chunkFrames == d.chunkFrames && prerollFrames == d.prerollFrames
                && exactSeek == d.exactSeek && damage == d.damage && threads == d.threads && models == d.models;
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkFrames, prerollFrames, exactSeek, damage, threads, System.identityHashCode(models));
    }

    @Override
    public String toString() {
        return "DecoderOptions[chunkFrames=" + chunkFrames + ", prerollFrames=" + prerollFrames + ", exactSeek="
                + exactSeek + ", damage=" + damage + ", threads=" + threads + ", models=" + (models == null ? "shared" : models) + "]";
    }

    /** Builds {@link DecoderOptions}; every value starts at its default. */
    public static final class Builder extends OptionsBuilder<Builder> {
        private int prerollFrames = DEFAULT_PREROLL;
        private boolean exactSeek;
        private Damage damage = Damage.CONCEAL;

        private Builder() {
            super(DEFAULT_CHUNK);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Frames of pre-roll before a 24 kHz seek target, at least 0 (default {@value DecoderOptions#DEFAULT_PREROLL}). */
        public Builder prerollFrames(int frames) {
            if (frames < 0) {
                throw new IllegalArgumentException("prerollFrames must be >= 0");
            }
            prerollFrames = frames;
            return this;
        }

        /** Whether a 24 kHz seek decodes from the start of the file (default false). */
        public Builder exactSeek(boolean exact) {
            exactSeek = exact;
            return this;
        }

        /** What a damaged segment or chunk does (default {@link Damage#CONCEAL}). */
        public Builder damage(Damage handling) {
            damage = Objects.requireNonNull(handling, "damage");
            return this;
        }

        /** The options. */
        public DecoderOptions build() {
            return new DecoderOptions(this);
        }
    }
}
