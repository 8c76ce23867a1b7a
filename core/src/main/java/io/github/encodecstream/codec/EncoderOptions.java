package io.github.encodecstream.codec;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.ModelFamily;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an {@link EcdcEncoder} writes: the model, the number of codebooks and the header's optional
 * keys, and where the networks come from.
 *
 * <p>Two ways to choose the model and codebooks:
 * <ul>
 *   <li>{@link #of(ModelFamily, double)}: the reference's bandwidth, {@code nc = max(1,
 *       floor(kbps · 1000 / (10 · frameRate)))} (24 kHz: 1.5 → 2, 3 → 4, 6 → 8, 12 → 16,
 *       24 → 32; 48 kHz: 3 → 2, 6 → 4, 12 → 8, 24 → 16). Without name, source or thumbnail the
 *       file is version 0 with the reference's JSON, readable by the reference decoder.</li>
 *   <li>{@link #forBitrate(double)}: Encodec-Stream's rule for any positive bitrate, through a
 *       shift of the sample rate (below). The file is version 193 with {@code br} and {@code sr}.</li>
 * </ul>
 *
 * <p>Encodec-Stream's bitrate rule (its {@code ecdc_stream.py -e -b BR}, checked against the files
 * in {@code reference/seed}): the 48 kHz model for {@code BR >= 3}, else the 24 kHz one. With
 * {@code e = floor(log2(BR / 3))}, the model's bandwidth is {@code 3 · 2^e} kbps clamped to its
 * range (1.5 for the 24 kHz model, which is then always 2 codebooks; at most 24 for the 48 kHz
 * model, 16 codebooks), and the audio is resampled to {@code sr = round(modelRate · BR /
 * bandwidth)} Hz and fed to the model as if it were at the model's rate, so that {@code nc · 10 ·
 * frameRate · sr / modelRate / 1000 = BR}. Examples: 0.75 → 24 kHz model, nc 2, sr 12 000;
 * 1.5 → 24 kHz, 2, 24 000; 2 → 24 kHz, 2, 32 000; 4.5 → 48 kHz, 2, 72 000; 6 → 48 kHz, 4,
 * 48 000; 32 → 48 kHz, 16, 64 000. (Encodec-Stream computes the fraction with {@code log2} and
 * {@code 2 **} in floating point and rounds half to even; here the fraction is exact, which can
 * differ only where {@code modelRate · BR / bandwidth} lies within rounding error of a half.)
 *
 * <p>Either way the encoder takes PCM at the model's rate and channel count: resampling to
 * {@link #inputSampleRate()} and mixing to {@link #channels()} are the caller's (Encodec-Stream
 * mixes to mono for the 24 kHz model by averaging the channels).
 *
 * <p>Immutable; made by {@link #of}, {@link #forBitrate} or a {@link #builder(ModelFamily, int)},
 * and changed by the {@code with...} methods or {@link #toBuilder()}:
 * <ul>
 *   <li>{@link #family()}, {@link #codebooks()}: the model, codebooks per step ({@code nc});</li>
 *   <li>{@link #bitrate()}: {@code br} in kbps; {@link #shiftedSampleRate()}: {@code sr}, the rate
 *       the input was resampled to; {@link #name()}, {@link #source()}, {@link #thumbnail()}:
 *       {@code n}, {@code s}, {@code t} (each empty when not in the header);</li>
 *   <li>{@link #chunkFrames()}: steps (of 320 samples) per graph run of the 24 kHz stream (the first
 *       run at least 7); 75 are one second. Bounds the memory of a 24 kHz stream. Does not change
 *       the codes beyond float rounding;</li>
 *   <li>{@link #threads()}: how many 48 kHz segments are encoded at once (the file is
 *       byte-identical whatever the count; the causal 24 kHz model encodes one stream); 0: the
 *       models' budget ({@link Models#threads()});</li>
 *   <li>{@link #models()}: where the networks come from; when not given, {@link Models#shared()},
 *       looked up when encoding starts;</li>
 *   <li>{@link #lm()}: whether the codes are entropy-coded with Encodec-Stream's deterministic LM
 *       ({@code "lm": true} with {@code lmv}, {@code lmh} and, at 48 kHz, {@code lms};
 *       docs/LM.md): smaller with a trained LM, decodable bit-exactly on every machine, but only by
 *       Encodec-Stream.</li>
 * </ul>
 */
public final class EncoderOptions {
    /** Default steps per 24 kHz chunk: one second. */
    public static final int DEFAULT_CHUNK = 75;
    /** Bits per code and codebook. */
    private static final int BITS = 10;

    private final ModelFamily family;
    private final int codebooks;
    private final Double bitrate;
    private final Integer sampleRate;
    private final String name;
    private final String source;
    private final String thumbnail;
    private final int chunkFrames;
    private final int threads;
    private final Models models;
    private final boolean lm;

    private EncoderOptions(Builder b) {
        this.family = b.family;
        this.codebooks = b.codebooks;
        this.bitrate = b.bitrate;
        this.sampleRate = b.sampleRate;
        this.name = b.name;
        this.source = b.source;
        this.thumbnail = b.thumbnail;
        this.chunkFrames = b.chunkFrames;
        this.threads = b.threads;
        this.models = b.models;
        this.lm = b.lm;
    }

    /**
     * A builder of options for {@code family} with {@code codebooks} codebooks per step, nothing
     * else in the header, default chunks and threads, networks from {@link Models#shared()}.
     *
     * @throws IllegalArgumentException when {@code codebooks} is outside 1..{@link ModelFamily#maxCodebooks()}
     */
    public static Builder builder(ModelFamily family, int codebooks) {
        return new Builder(family, codebooks);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(family, codebooks).copyOf(chunkFrames, threads, models).name(name).source(source)
                .thumbnail(thumbnail).lm(lm);
        b.bitrate = bitrate; // nullable: unset stays unset
        b.sampleRate = sampleRate;
        return b;
    }

    /** The model. */
    public ModelFamily family() {
        return family;
    }

    /** Codebooks per step ({@code nc}). */
    public int codebooks() {
        return codebooks;
    }

    /** {@code br}, kbps, when the header has it. */
    public OptionalDouble bitrate() {
        return bitrate == null ? OptionalDouble.empty() : OptionalDouble.of(bitrate);
    }

    /** {@code sr}, the rate the input was resampled to, when the header has it. */
    public OptionalInt shiftedSampleRate() {
        return sampleRate == null ? OptionalInt.empty() : OptionalInt.of(sampleRate);
    }

    /** {@code n}, when the header has it. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code s}, when the header has it. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** {@code t}, when the header has it. */
    public Optional<String> thumbnail() {
        return Optional.ofNullable(thumbnail);
    }

    /** Steps per graph run of the 24 kHz stream. */
    public int chunkFrames() {
        return chunkFrames;
    }

    /** 48 kHz segments encoded at once; 0: the models' budget. */
    public int threads() {
        return threads;
    }

    /** The models given; empty: {@link Models#shared()}. */
    public Optional<Models> models() {
        return Optional.ofNullable(models);
    }

    /** Whether the codes are entropy-coded by the deterministic LM. */
    public boolean lm() {
        return lm;
    }

    /**
     * The reference's choice: the model and a bandwidth in kbps ({@code nc} as above), nothing
     * else in the header; networks from {@link Models#shared()}.
     *
     * @throws IllegalArgumentException when the bandwidth needs more codebooks than the model has
     */
    public static EncoderOptions of(ModelFamily family, double bandwidthKbps) {
        if (!(bandwidthKbps > 0 && bandwidthKbps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bandwidth " + bandwidthKbps + " is not a positive number");
        }
        int nc = (int) Math.max(1, Math.floor(bandwidthKbps * 1000 / (BITS * family.frameRate())));
        return builder(family, nc).build();
    }

    /**
     * Encodec-Stream's choice for a bitrate in kbps (the rule above): model, codebooks, {@code br}
     * and {@code sr}.
     *
     * @throws IllegalArgumentException for a bitrate that is not positive, or so high or low that
     *     {@code sr} falls outside 1..{@link EcdcMetadata#MAX_SAMPLE_RATE}
     */
    public static EncoderOptions forBitrate(double kbps) {
        if (!(kbps > 0 && kbps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bitrate " + kbps + " is not a positive number");
        }
        ModelFamily family = kbps >= 3 ? ModelFamily.ENCODEC_48KHZ : ModelFamily.ENCODEC_24KHZ;
        double ratio = kbps / 3;
        int e = Math.getExponent(ratio); // floor(log2(ratio)), exact for normal doubles
        double bandwidth = Math.scalb(3.0, e);
        double min = family == ModelFamily.ENCODEC_24KHZ ? 1.5 : 3;
        double max = family == ModelFamily.ENCODEC_24KHZ ? 1.5 : 24;
        bandwidth = Math.max(min, Math.min(max, bandwidth));
        double rate = Math.rint(family.sampleRate() * kbps / bandwidth);
        if (!(rate >= 1 && rate <= EcdcMetadata.MAX_SAMPLE_RATE)) {
            throw new IllegalArgumentException("bitrate " + kbps + " kbps needs a sample rate of " + rate
                    + " Hz, outside 1.." + EcdcMetadata.MAX_SAMPLE_RATE);
        }
        int nc = (int) Math.floor(bandwidth * 1000 / (BITS * family.frameRate()));
        return builder(family, nc).bitrate(kbps).shiftedSampleRate((int) rate).build();
    }

    /** With {@code n} (null clears it). */
    public EncoderOptions withName(String value) {
        return toBuilder().name(value).build();
    }

    /** With {@code s} (null clears it). */
    public EncoderOptions withSource(String value) {
        return toBuilder().source(value).build();
    }

    /** With {@code t} (null clears it). */
    public EncoderOptions withThumbnail(String value) {
        return toBuilder().thumbnail(value).build();
    }

    /** With another 24 kHz chunk size, in steps. */
    public EncoderOptions withChunkFrames(int frames) {
        return toBuilder().chunkFrames(frames).build();
    }

    /** With another source of networks. */
    public EncoderOptions withModels(Models provider) {
        return toBuilder().models(provider).build();
    }

    /** With or without entropy coding by the deterministic LM. */
    public EncoderOptions withLm(boolean value) {
        return toBuilder().lm(value).build();
    }

    /** Channels of the PCM the encoder takes: the model's. */
    public int channels() {
        return family.channels();
    }

    /**
     * The rate the caller resamples its audio to before handing it to the encoder ({@code sr} when
     * set, else the model's rate). The encoder treats the samples as being at the model's rate.
     */
    public int inputSampleRate() {
        return sampleRate != null ? sampleRate : family.sampleRate();
    }

    /** Whether the header needs Encodec-Stream's keys ({@code br}, {@code sr}, {@code n}, {@code s}, {@code t}). */
    public boolean needsExtensions() {
        return bitrate != null || sampleRate != null || name != null || source != null || thumbnail != null;
    }

    /** The file version: 193 when {@link #needsExtensions()} or {@link #lm()}, else the reference's 0. */
    public int version() {
        return needsExtensions() || lm ? EcdcHeader.VERSION_STREAM : EcdcHeader.VERSION_REFERENCE;
    }

    /** The header of a file of {@code audioLength} samples per channel, without entropy coding. */
    public EcdcHeader header(long audioLength) {
        return header(audioLength, null, null);
    }

    /**
     * The header of a file of {@code audioLength} samples per channel; entropy-coded
     * ({@link EcdcMetadata#LM_VERSION}) when {@code lmChecksum} is given ({@code lmh}, the records'
     * {@code index}, and {@code lmc} for the 24 kHz model).
     */
    EcdcHeader header(long audioLength, String lmChecksum, LmIndex index) {
        boolean coded = lmChecksum != null;
        EcdcMetadata metadata = EcdcMetadata.builder().family(family).audioLength(audioLength).codebooks(codebooks)
                .lm(coded).lmVersion(coded ? EcdcMetadata.LM_VERSION : null).lmChecksum(lmChecksum)
                .lmChunkSteps(coded && !family.isSegmented() ? EcdcMetadata.LM_CHUNK_STEPS : null).bitrate(bitrate).shiftedSampleRate(sampleRate).name(name).source(source).thumbnail(thumbnail)
                .build();
        return EcdcHeader.of(version(), metadata, index);
    }

    /** With another thread count (0: the models' budget). */
    public EncoderOptions withThreads(int n) {
        return toBuilder().threads(n).build();
    }

    /** The models to use: {@link #models()}, else the shared ones. */
    Models modelsOrShared() {
        return models != null ? models : Models.shared();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderOptions e && family == e.family && codebooks == e.codebooks
                && Objects.equals(bitrate, e.bitrate) && Objects.equals(sampleRate, e.sampleRate)
                && Objects.equals(name, e.name) && Objects.equals(source, e.source)
                && Objects.equals(thumbnail, e.thumbnail) && chunkFrames == e.chunkFrames && threads == e.threads
                && models == e.models && lm == e.lm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, codebooks, bitrate, sampleRate, name, source, thumbnail, chunkFrames, threads,
                System.identityHashCode(models), lm);
    }

    @Override
    public String toString() {
        return "EncoderOptions[" + family.fileName() + ", nc=" + codebooks + (bitrate != null ? ", br=" + bitrate : "")
                + (sampleRate != null ? ", sr=" + sampleRate : "") + (name != null ? ", n=" + name : "")
                + (source != null ? ", s=" + source : "") + (thumbnail != null ? ", t=" + thumbnail : "")
                + ", chunkFrames=" + chunkFrames + ", threads=" + threads + (lm ? ", lm" : "")
                + ", models=" + (models == null ? "shared" : models) + "]";
    }

    /** Builds {@link EncoderOptions}; what it is not told is absent from the header, or its default. */
    public static final class Builder extends OptionsBuilder<Builder> {
        private final ModelFamily family;
        private final int codebooks;
        private Double bitrate;
        private Integer sampleRate;
        private String name;
        private String source;
        private String thumbnail;
        private boolean lm;

        private Builder(ModelFamily family, int codebooks) {
            super(DEFAULT_CHUNK);
            this.family = Objects.requireNonNull(family, "family");
            if (codebooks < 1 || codebooks > family.maxCodebooks()) {
                throw new IllegalArgumentException("codebooks " + codebooks + " outside 1.." + family.maxCodebooks()
                        + " for " + family.fileName());
            }
            this.codebooks = codebooks;
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code br}, kbps: a positive number. */
        public Builder bitrate(double kbps) {
            if (!(kbps > 0 && kbps < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("bitrate " + kbps + " is not a positive number");
            }
            bitrate = kbps;
            return this;
        }

        /** {@code sr}, Hz: the rate the input is resampled to, 1..{@link EcdcMetadata#MAX_SAMPLE_RATE}. */
        public Builder shiftedSampleRate(int hz) {
            if (hz < 1 || hz > EcdcMetadata.MAX_SAMPLE_RATE) {
                throw new IllegalArgumentException("sample rate " + hz + " outside 1.." + EcdcMetadata.MAX_SAMPLE_RATE);
            }
            sampleRate = hz;
            return this;
        }

        /** {@code n}; null leaves it out. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** {@code s}; null leaves it out. */
        public Builder source(String value) {
            source = value;
            return this;
        }

        /** {@code t}; null leaves it out. */
        public Builder thumbnail(String value) {
            thumbnail = value;
            return this;
        }

        /** Whether the codes are entropy-coded by the deterministic LM (default false). */
        public Builder lm(boolean value) {
            lm = value;
            return this;
        }

        /** The options. */
        public EncoderOptions build() {
            return new EncoderOptions(this);
        }
    }
}
