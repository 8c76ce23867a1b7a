package io.github.encodecstream.codec;

import io.github.encodecstream.format.ModelFamily;

/**
 * The reference's linear overlap-add of 48 kHz segments, computed from a held tail so that each
 * segment is decoded once. Segment {@code i} covers samples {@code [i * stride, i * stride + len)};
 * where two overlap (480 samples), sample {@code j} of the overlap is the earlier segment times
 * {@code (overlap - j)} plus the later one times {@code (j + 1)}, over their sum: the reference's
 * triangle weights, whose ratio over the overlap is exactly this linear crossfade.
 */
final class OverlapAdd {
    private final int channels;
    private final int stride;
    private final float total;
    private float[] tail;
    private int tailLength;

    OverlapAdd(ModelFamily family) {
        this.channels = family.channels();
        this.stride = family.segmentStride();
        this.total = family.segmentLength() + 1;
    }

    /**
     * Crossfades the start of a decoded segment ({@code [channels, decoded]}, channel-major, in
     * place) with the held tail of the previous one, then holds this segment's own tail (its
     * samples from the stride on) unless it is the last.
     */
    void join(float[] audio, int decoded, boolean last) {
        if (tail != null) {
            int n = Math.min(tailLength, decoded);
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < n; j++) {
                    float before = (tailLength - j) / total;
                    float after = (j + 1) / total;
                    int k = c * decoded + j;
                    audio[k] = (tail[c * tailLength + j] * before + audio[k] * after) / (before + after);
                }
            }
        }
        tail = null;
        if (!last) {
            tailLength = decoded - stride;
            tail = new float[channels * tailLength];
            for (int c = 0; c < channels; c++) {
                System.arraycopy(audio, c * decoded + stride, tail, c * tailLength, tailLength);
            }
        }
    }

    /** Hands over the held tail ({@link #tailLength()} samples per channel, channel-major), or null. */
    float[] takeTail() {
        float[] held = tail;
        tail = null;
        return held;
    }

    /** Samples per channel of the held tail. */
    int tailLength() {
        return tailLength;
    }

    /** Forgets the held tail (after a seek). */
    void reset() {
        tail = null;
    }
}
