package io.github.encodecstream.dsp;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioSystem;

/**
 * PCM bytes to floats, for the encoders (Java Sound writer, command line): the inverse of
 * {@link PcmConversion}, as the reference reads its input. (Java Sound's own float conversion
 * divides 16-bit samples by 32767, so it is not used.)
 *
 * <ul>
 *   <li>{@code PCM_SIGNED} of 8, 16, 24 or 32 bits: {@code v / 2^(bits-1)} (16 bits:
 *       {@code sample / 32768}, exactly the reference's float32 value);</li>
 *   <li>{@code PCM_UNSIGNED} of 8, 16, 24 or 32 bits: {@code (v - 2^(bits-1)) / 2^(bits-1)};</li>
 *   <li>{@code PCM_FLOAT} of 32 bits as they are, of 64 bits rounded to float.</li>
 * </ul>
 * Either byte order; samples packed in frames of {@code channels × bytes} (no padding), at a
 * known sample rate (rounded to whole Hz).
 */
public final class PcmInput {
    /** The most channels accepted (a WAV header's 16-bit field holds no more); bounds the frame size. */
    public static final int MAX_CHANNELS = 65_535;

    private final int bits;
    private final int bytes;
    private final boolean signed;
    private final boolean floating;
    private final boolean bigEndian;
    private final int channels;
    private final int sampleRate;

    private PcmInput(int bits, boolean signed, boolean floating, boolean bigEndian, int channels, int sampleRate) {
        this.bits = bits;
        this.bytes = bits / 8;
        this.signed = signed;
        this.floating = floating;
        this.bigEndian = bigEndian;
        this.channels = channels;
        this.sampleRate = sampleRate;
    }

    /**
     * The reader of {@code format}, or null when the format is not one of those above or has more
     * than {@link #MAX_CHANNELS} channels.
     */
    public static PcmInput of(AudioFormat format) {
        Encoding encoding = format.getEncoding();
        int bits = format.getSampleSizeInBits();
        boolean floating = encoding.equals(Encoding.PCM_FLOAT);
        boolean signed = encoding.equals(Encoding.PCM_SIGNED);
        boolean integer = signed || encoding.equals(Encoding.PCM_UNSIGNED);
        boolean sizeOk = floating ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
        if (!(floating || integer) || !sizeOk) {
            return null;
        }
        int channels = format.getChannels();
        float rate = format.getSampleRate();
        if (channels < 1 || channels > MAX_CHANNELS || !(rate >= 0.5f) || rate > Integer.MAX_VALUE) {
            return null;
        }
        int frameSize = format.getFrameSize();
        if (frameSize != AudioSystem.NOT_SPECIFIED && frameSize != channels * bits / 8) {
            return null;
        }
        return new PcmInput(bits, signed, floating, bits > 8 && format.isBigEndian(), channels, Math.round(rate));
    }

    /** Bytes per frame. */
    public int frameSize() {
        return channels * bytes;
    }

    /** Channels per frame. */
    public int channels() {
        return channels;
    }

    /** The rate, rounded to whole Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Converts {@code frames} frames of {@code in[offset..]} to interleaved floats at {@code out[0..]}. */
    public void decode(byte[] in, int offset, int frames, float[] out) {
        int n = frames * channels;
        double full = 1L << (bits - 1);
        for (int i = 0, at = offset; i < n; i++, at += bytes) {
            long raw = load(in, at);
            if (floating) {
                out[i] = bits == 32 ? Float.intBitsToFloat((int) raw) : (float) Double.longBitsToDouble(raw);
            } else {
                // two's complement for signed samples; unsigned ones are offset by half the range
                long v = signed ? raw << (64 - bits) >> (64 - bits) : raw - (1L << (bits - 1));
                out[i] = (float) (v / full); // exact in double, one rounding to float
            }
        }
    }

    /** The sample at {@code in[at..]} as an unsigned integer of {@link #bits} bits. */
    private long load(byte[] in, int at) {
        long v = 0;
        for (int b = 0; b < bytes; b++) {
            v = (v << 8) | (in[at + (bigEndian ? b : bytes - 1 - b)] & 0xFF);
        }
        return v;
    }
}
