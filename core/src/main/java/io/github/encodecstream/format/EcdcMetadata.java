package io.github.encodecstream.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON metadata of an {@code .ecdc} file, immutable and validated.
 *
 * <p>Reference keys: {@code m} model name, {@code al} audio length in samples per channel at the
 * model's rate, {@code nc} codebooks, {@code lm} entropy coding. Encodec-Stream keys (optional):
 * {@code br} bitrate in kbps, {@code sr} the rate the decoded samples are played at, {@code n}
 * name, {@code s} source URL, {@code t} thumbnail URL. Entropy-coded files written by
 * Encodec-Stream's deterministic LM (docs/LM.md) add {@code lmv}, the probability model and its
 * version ({@value #LM_VERSION} written, {@value #LM_VERSION_1} still read), {@code lmh}, the
 * first 8 hex digits of the SHA-256 of the LM checkpoint used; version 1 adds, for the 48 kHz
 * model, {@code lms}, each segment's coded byte length (after its 4-byte scale); version 2 keeps
 * the lengths in a binary index after the JSON ({@link LmIndex}) and adds, for the 24 kHz model,
 * {@code lmc}, the code steps per independently coded chunk. Other keys are kept, in order, in
 * {@link #extra()}.
 */
public final class EcdcMetadata {
    /** Bits per code of every codebook: codes are 0 to 1023. */
    public static final int CODE_BITS = 10;
    /**
     * The largest accepted {@code al}: one week at 48 kHz (29 030 400 000 samples). Larger values
     * are taken as corrupt; the bound keeps every step and byte count far inside a {@code long}
     * and a 24 kHz file's step count inside an {@code int}.
     */
    public static final long MAX_AUDIO_LENGTH = 7L * 24 * 3600 * 48_000;

    /** The largest accepted {@code sr}, in Hz. */
    public static final int MAX_SAMPLE_RATE = 1_000_000;

    /** The keys this class interprets; all others go to {@link #extra()}. */
    public static final Set<String> KNOWN_KEYS = Set.of("m", "al", "nc", "lm", "lmv", "lmh", "lms", "lmc", "br", "sr",
            "n", "s", "t");

    /**
     * The first file version of Encodec-Stream's deterministic LM (arithmetic version 1,
     * {@code DeterministicLm.ARITHMETIC_VERSION}): segment lengths in {@code lms} (48 kHz), the
     * 24 kHz codes as one stream, no checksums. Still decoded, no longer written.
     */
    public static final String LM_VERSION_1 = "encodec-stream-lm/1";

    /**
     * The {@code lmv} this library writes: the same LM and arithmetic as {@link #LM_VERSION_1}, in
     * a file with a binary index of record lengths and CRC-32C checksums after the JSON
     * ({@link LmIndex}), the 24 kHz codes in independently coded chunks of {@code lmc} steps. A
     * change of the arithmetic or of the layout is a new version.
     */
    public static final String LM_VERSION = "encodec-stream-lm/2";

    /** The {@code lmv} values this library decodes. */
    public static final Set<String> LM_VERSIONS = Set.of(LM_VERSION_1, LM_VERSION);

    /** The {@code lmc} this library writes: 375 steps, 5 s of the 24 kHz model's 75 Hz. */
    public static final int LM_CHUNK_STEPS = 375;

    /** The largest accepted {@code lmc}. */
    public static final int MAX_LM_CHUNK_STEPS = 375;

    /** The longest accepted {@code lmv} string. */
    public static final int MAX_LM_VERSION_LENGTH = 64;

    /** How {@link #toJson(JsonStyle)} lays out the JSON; both escape non-ASCII as Python does. */
    public enum JsonStyle {
        /** {@code {"m":"encodec_48khz","al":1}}, as Encodec-Stream writes (versions 192, 193). */
        COMPACT,
        /** {@code {"m": "encodec_48khz", "al": 1}}, as the reference's {@code json.dumps} writes (version 0). */
        PYTHON
    }

    private final ModelFamily family;
    private final long audioLength;
    private final int codebooks;
    private final boolean lm;
    private final String lmVersion;
    private final String lmChecksum;
    private final int[] lmSegmentBytes;
    private final Integer lmChunkSteps;
    private final Double bitrate;
    private final Integer shiftedSampleRate;
    private final String name;
    private final String source;
    private final String thumbnail;
    private final Map<String, JsonNode> extra;

    private EcdcMetadata(Builder b) {
        if (b.model == null || b.audioLength == null || b.codebooks == null || b.lm == null) {
            throw new IllegalArgumentException("missing required key "
                    + (b.model == null ? "m" : b.audioLength == null ? "al" : b.codebooks == null ? "nc" : "lm"));
        }
        family = ModelFamily.fromName(b.model)
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + b.model + "'"));
        audioLength = b.audioLength;
        if (audioLength < 0 || audioLength > MAX_AUDIO_LENGTH) {
            throw new IllegalArgumentException("audio length al = " + audioLength + " is outside 0.." + MAX_AUDIO_LENGTH);
        }
        codebooks = b.codebooks;
        if (codebooks < 1 || codebooks > family.maxCodebooks()) {
            throw new IllegalArgumentException("nc = " + codebooks + " codebooks is outside 1.."
                    + family.maxCodebooks() + " for " + family.fileName());
        }
        lm = b.lm;
        lmVersion = b.lmVersion;
        lmChecksum = b.lmChecksum;
        lmSegmentBytes = b.lmSegmentBytes == null ? null : b.lmSegmentBytes.clone();
        lmChunkSteps = b.lmChunkSteps;
        validateLm();
        bitrate = b.bitrate;
        if (bitrate != null && !(bitrate > 0 && bitrate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bitrate br = " + bitrate + " is not a positive number");
        }
        shiftedSampleRate = b.shiftedSampleRate;
        if (shiftedSampleRate != null && (shiftedSampleRate < 1 || shiftedSampleRate > MAX_SAMPLE_RATE)) {
            throw new IllegalArgumentException("sample rate sr = " + shiftedSampleRate + " is outside 1.." + MAX_SAMPLE_RATE);
        }
        name = b.name;
        source = b.source;
        thumbnail = b.thumbnail;
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    private void validateLm() {
        if (!lm && (lmVersion != null || lmChecksum != null || lmSegmentBytes != null || lmChunkSteps != null)) {
            throw new IllegalArgumentException("lmv, lmh, lms and lmc need lm = true");
        }
        if (LM_VERSION.equals(lmVersion)) {
            if (lmSegmentBytes != null) {
                throw new IllegalArgumentException("lms is not part of " + LM_VERSION + " (its lengths are in the index)");
            }
            if (!family.isSegmented() && lmChunkSteps == null) {
                throw new IllegalArgumentException("lmc (steps per chunk) is missing");
            }
        } else if (lmChunkSteps != null && (lmVersion == null || LM_VERSION_1.equals(lmVersion))) {
            throw new IllegalArgumentException("lmc is not part of " + (lmVersion == null ? "a file without lmv" : lmVersion));
        }
        if (lmChunkSteps != null && LM_VERSION.equals(lmVersion)) {
            if (family.isSegmented()) {
                throw new IllegalArgumentException("lmc is for the 24 kHz model only");
            }
            if (lmChunkSteps < 1 || lmChunkSteps > MAX_LM_CHUNK_STEPS) {
                throw new IllegalArgumentException("lmc = " + lmChunkSteps + " is outside 1.." + MAX_LM_CHUNK_STEPS);
            }
        }
        if (lmVersion != null && (lmVersion.isEmpty() || lmVersion.length() > MAX_LM_VERSION_LENGTH)) {
            throw new IllegalArgumentException("lmv must have 1.." + MAX_LM_VERSION_LENGTH + " characters");
        }
        if (lmChecksum != null && !lmChecksum.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("lmh = '" + lmChecksum + "' is not 8 lowercase hex digits");
        }
        if (lmSegmentBytes != null) {
            if (!family.isSegmented()) {
                throw new IllegalArgumentException("lms is for the segmented (48 kHz) model only");
            }
            long segments = audioLength == 0 ? 0 : (audioLength + family.segmentStride() - 1) / family.segmentStride();
            if (lmSegmentBytes.length != segments) {
                throw new IllegalArgumentException("lms has " + lmSegmentBytes.length + " lengths for " + segments
                        + " segments");
            }
            int max = maxLmSegmentBytes(family, codebooks);
            for (int i = 0; i < lmSegmentBytes.length; i++) {
                if (lmSegmentBytes[i] < 0 || lmSegmentBytes[i] > max) {
                    throw new IllegalArgumentException("lms[" + i + "] = " + lmSegmentBytes[i] + " is outside 0.." + max);
                }
            }
        }
    }

    /**
     * The largest accepted coded length of one segment: 4 bytes per code of a full segment (the
     * coder spends at most 23 bits on one symbol), plus 64.
     */
    public static int maxLmSegmentBytes(ModelFamily family, int codebooks) {
        return (int) Math.min(Integer.MAX_VALUE, family.stepsFor(family.segmentLength()) * codebooks * 4 + 64);
    }

    /**
     * The largest accepted coded length of one 24 kHz chunk of {@code chunkSteps} steps: 4 bytes
     * per code of a full chunk, plus 64.
     */
    public static int maxLmChunkBytes(int codebooks, int chunkSteps) {
        return chunkSteps * codebooks * 4 + 64;
    }

    /** A builder with no keys set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this metadata's keys. */
    public Builder toBuilder() {
        Builder b = new Builder().model(family.fileName()).audioLength(audioLength).codebooks(codebooks).lm(lm)
                .lmVersion(lmVersion).lmChecksum(lmChecksum).lmSegmentBytes(lmSegmentBytes).lmChunkSteps(lmChunkSteps).bitrate(bitrate).shiftedSampleRate(shiftedSampleRate).name(name).source(source).thumbnail(thumbnail);
        extra.forEach(b::putExtra);
        return b;
    }

    /** The model name, {@code m}. */
    public String model() {
        return family.fileName();
    }

    /** The model, from {@code m}. */
    public ModelFamily family() {
        return family;
    }

    /**
     * {@code al}: samples per channel at the model's rate, 0..{@link #MAX_AUDIO_LENGTH}, as the
     * header declares it; the decoder and the Java Sound reader report no more than a file of known
     * size can hold ({@code codes.LengthBound}).
     */
    public long audioLength() {
        return audioLength;
    }

    /** {@code nc}: codebooks per step, 1..{@link ModelFamily#maxCodebooks()}. */
    public int codebooks() {
        return codebooks;
    }

    /** {@code lm}: whether the codes are entropy coded with the language model. */
    public boolean lm() {
        return lm;
    }

    /** {@code lmv}: the probability model and version of an entropy-coded file, or null (not Encodec-Stream's). */
    public String lmVersion() {
        return lmVersion;
    }

    /** {@code lmh}: the first 8 hex digits of the SHA-256 of the LM checkpoint used, or null. */
    public String lmChecksum() {
        return lmChecksum;
    }

    /** {@code lms}: the coded byte length of each 48 kHz segment (after its scale), or null. */
    public int[] lmSegmentBytes() {
        return lmSegmentBytes == null ? null : lmSegmentBytes.clone();
    }

    /** {@code lmc}: the code steps per chunk of a 24 kHz {@value #LM_VERSION} file, or null. */
    public Integer lmChunkSteps() {
        return lmChunkSteps;
    }

    /**
     * Whether a binary index ({@link LmIndex}: each record's length and CRC-32C, and the header's
     * CRC-32C) follows the JSON: entropy-coded files of version {@value #LM_VERSION}.
     */
    public boolean hasLmIndex() {
        return lm && LM_VERSION.equals(lmVersion);
    }

    /**
     * The records of a file with an {@link LmIndex}: 48 kHz: one per segment; 24 kHz:
     * {@code ceil(steps / lmc)} chunks; 0 for an empty file or one without an index.
     */
    public int lmRecordCount() {
        if (!hasLmIndex() || audioLength == 0) {
            return 0;
        }
        if (family.isSegmented()) {
            return Math.toIntExact((audioLength + family.segmentStride() - 1) / family.segmentStride());
        }
        return Math.toIntExact((family.stepsFor(audioLength) + lmChunkSteps - 1) / lmChunkSteps);
    }

    /** The largest accepted coded length of one record of an {@link LmIndex}. */
    public int maxLmRecordBytes() {
        return family.isSegmented() ? maxLmSegmentBytes(family, codebooks) : maxLmChunkBytes(codebooks, lmChunkSteps);
    }

    /**
     * Whether this library can decode the codes: not entropy coded, or entropy coded by a known
     * version of its deterministic LM ({@link #LM_VERSIONS}), with the checkpoint checksum and,
     * for the 48 kHz model of version 1, the segment lengths.
     */
    public boolean codesDecodable() {
        return !lm || (lmVersion != null && LM_VERSIONS.contains(lmVersion) && lmChecksum != null
                && (lmSegmentBytes != null || !family.isSegmented() || hasLmIndex()));
    }

    /** {@code br}: the requested bitrate in kbps, or null. */
    public Double bitrate() {
        return bitrate;
    }

    /** {@code sr}: the rate in Hz the decoded samples are to be played at, or null. */
    public Integer shiftedSampleRate() {
        return shiftedSampleRate;
    }

    /** {@code n}: the name, or null. */
    public String name() {
        return name;
    }

    /** {@code s}: the source URL, or null. */
    public String source() {
        return source;
    }

    /** {@code t}: the thumbnail URL, or null. */
    public String thumbnail() {
        return thumbnail;
    }

    /** Keys not interpreted here, in file order, as copies of their JSON values. */
    public Map<String, JsonNode> extra() {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        extra.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /** The rate the decoded samples are played at: {@code sr} if present, else the model's rate. */
    public int effectiveSampleRate() {
        return shiftedSampleRate != null ? shiftedSampleRate : family.sampleRate();
    }

    /** The playing time in seconds that the header declares: {@code al / effectiveSampleRate()}. */
    public double durationSeconds() {
        return (double) audioLength / effectiveSampleRate();
    }

    /**
     * The bit rate of the codes as played, in kbit/s: codebooks x {@value #CODE_BITS} bits x
     * the model's frame rate, scaled by {@code effectiveSampleRate() / modelRate} for a shifted
     * sample rate (this equals Encodec-Stream's {@code br}; e.g. 6.0 for 4 codebooks of the 48 kHz model).
     */
    public double bandwidthKbps() {
        double modelRate = family.sampleRate();
        return codebooks * (double) CODE_BITS * family.frameRate() * (effectiveSampleRate() / modelRate) / 1000.0;
    }

    /** The JSON in Encodec-Stream's {@link JsonStyle#COMPACT compact} style. */
    public String toJson() {
        return toJson(JsonStyle.COMPACT);
    }

    /**
     * The JSON: {@code m, al, nc, lm}, then the present {@code br, sr, n, s, t}, then the extra
     * keys in order; a whole {@code br} is written without a fraction, as Encodec-Stream does.
     */
    public String toJson(JsonStyle style) {
        return MetadataJson.write(this, style);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EcdcMetadata)) {
            return false;
        }
        EcdcMetadata m = (EcdcMetadata) o;
        return family == m.family && audioLength == m.audioLength && codebooks == m.codebooks && lm == m.lm
                && Objects.equals(lmVersion, m.lmVersion) && Objects.equals(lmChecksum, m.lmChecksum)
                && java.util.Arrays.equals(lmSegmentBytes, m.lmSegmentBytes) && Objects.equals(lmChunkSteps, m.lmChunkSteps)
                && Objects.equals(bitrate, m.bitrate) && Objects.equals(shiftedSampleRate, m.shiftedSampleRate)
                && Objects.equals(name, m.name) && Objects.equals(source, m.source)
                && Objects.equals(thumbnail, m.thumbnail) && extra.equals(m.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, audioLength, codebooks, lm, lmVersion, lmChecksum,
                java.util.Arrays.hashCode(lmSegmentBytes), lmChunkSteps, bitrate, shiftedSampleRate, name, source, thumbnail, extra);
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Collects keys; {@link #build()} validates them. Null clears an optional key. */
    public static final class Builder {
        private String model;
        private Long audioLength;
        private Integer codebooks;
        private Boolean lm;
        private String lmVersion;
        private String lmChecksum;
        private int[] lmSegmentBytes;
        private Integer lmChunkSteps;
        private Double bitrate;
        private Integer shiftedSampleRate;
        private String name;
        private String source;
        private String thumbnail;
        private final Map<String, JsonNode> extra = new LinkedHashMap<>();

        private Builder() {}

        /** Sets {@code m}. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Sets {@code m} from a family. */
        public Builder family(ModelFamily family) {
            return model(family.fileName());
        }

        /** Sets {@code al}. */
        public Builder audioLength(long audioLength) {
            this.audioLength = audioLength;
            return this;
        }

        /** Sets {@code nc}. */
        public Builder codebooks(int codebooks) {
            this.codebooks = codebooks;
            return this;
        }

        /** Sets {@code lm}. */
        public Builder lm(boolean lm) {
            this.lm = lm;
            return this;
        }

        /** Sets {@code lmv} or clears it. */
        public Builder lmVersion(String value) {
            this.lmVersion = value;
            return this;
        }

        /** Sets {@code lmh} or clears it. */
        public Builder lmChecksum(String value) {
            this.lmChecksum = value;
            return this;
        }

        /** Sets {@code lms} or clears it. */
        public Builder lmSegmentBytes(int[] value) {
            this.lmSegmentBytes = value == null ? null : value.clone();
            return this;
        }

        /** Sets {@code lmc} or clears it. */
        public Builder lmChunkSteps(Integer value) {
            this.lmChunkSteps = value;
            return this;
        }

        /** Sets {@code br} (kbps) or clears it. */
        public Builder bitrate(Double bitrate) {
            this.bitrate = bitrate;
            return this;
        }

        /** Sets {@code sr} (Hz) or clears it. */
        public Builder shiftedSampleRate(Integer shiftedSampleRate) {
            this.shiftedSampleRate = shiftedSampleRate;
            return this;
        }

        /** Sets {@code n} or clears it. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets {@code s} or clears it. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** Sets {@code t} or clears it. */
        public Builder thumbnail(String thumbnail) {
            this.thumbnail = thumbnail;
            return this;
        }

        /** Adds (or replaces) an extra key, which must not be one of {@link #KNOWN_KEYS}. */
        public Builder putExtra(String key, JsonNode value) {
            if (KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is not an extra key");
            }
            extra.put(Objects.requireNonNull(key), Objects.requireNonNull(value).deepCopy());
            return this;
        }

        /**
         * The metadata.
         *
         * @throws IllegalArgumentException when a required key is missing or a value is out of range
         */
        public EcdcMetadata build() {
            return new EcdcMetadata(this);
        }
    }
}
