package io.github.encodecstream.format;

import java.util.Optional;

/**
 * The two EnCodec models as the file format sees them: rates, channels, codebooks and the
 * segmentation of the audio.
 */
public enum ModelFamily {
    /** 24 kHz mono, causal; the whole file is one segment, no scale. */
    ENCODEC_24KHZ("encodec_24khz", 24_000, 1, 75, 32, 0, 0),
    /** 48 kHz stereo, non-causal; 1 s segments every 0.99 s, each with a scale. */
    ENCODEC_48KHZ("encodec_48khz", 48_000, 2, 150, 16, 48_000, 47_520);

    /** Samples per code step, the product of the encoder's strides (8·5·4·2), for both models. */
    public static final int HOP = 320;

    private final String fileName;
    private final int sampleRate;
    private final int channels;
    private final int frameRate;
    private final int maxCodebooks;
    private final int segmentLength;
    private final int segmentStride;

    ModelFamily(String fileName, int sampleRate, int channels, int frameRate, int maxCodebooks,
            int segmentLength, int segmentStride) {
        this.fileName = fileName;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.frameRate = frameRate;
        this.maxCodebooks = maxCodebooks;
        this.segmentLength = segmentLength;
        this.segmentStride = segmentStride;
    }

    /** The family whose {@link #fileName()} is {@code name}, if any. */
    public static Optional<ModelFamily> fromName(String name) {
        for (ModelFamily family : values()) {
            if (family.fileName.equals(name)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /** The model's name in files' {@code m} key, e.g. {@code encodec_48khz}. */
    public String fileName() {
        return fileName;
    }

    /** The model's audio sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Audio channels: 1 or 2. */
    public int channels() {
        return channels;
    }

    /** Code steps per second of audio: ceil(sampleRate / {@link #HOP}). */
    public int frameRate() {
        return frameRate;
    }

    /** Samples per code step. */
    public int hop() {
        return HOP;
    }

    /** The largest number of codebooks the model has (and a file may use). */
    public int maxCodebooks() {
        return maxCodebooks;
    }

    /** Whether the audio is cut into overlapping segments (else the whole file is one). */
    public boolean isSegmented() {
        return segmentLength > 0;
    }

    /** Samples per segment, per channel; 0 when not {@link #isSegmented() segmented}. */
    public int segmentLength() {
        return segmentLength;
    }

    /** Samples between segment starts: int(0.99 · segmentLength); 0 when not segmented. */
    public int segmentStride() {
        return segmentStride;
    }

    /** Samples shared by consecutive segments ({@code segmentLength - segmentStride}). */
    public int overlap() {
        return segmentLength - segmentStride;
    }

    /** Whether each segment starts with a big-endian float32 scale. */
    public boolean hasScale() {
        return isSegmented();
    }

    /**
     * Code steps of a segment of {@code samples} samples:
     * ceil(samples · frameRate / sampleRate), computed exactly in integers.
     */
    public long stepsFor(long samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("negative length " + samples);
        }
        return Math.floorDiv(Math.multiplyExact(samples, frameRate) + sampleRate - 1, sampleRate);
    }
}
