package io.github.encodecstream.sound;

import io.github.encodecstream.dsp.PcmConversion;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;

/**
 * A PCM format of a decoded {@code .ecdc} stream: 16, 24 or 32-bit signed integers or 32-bit
 * floats, in either byte order, converted from the decoder's floats by {@link PcmConversion}.
 * Only streams of these formats are converted by {@link EcdcFormatConversionProvider}: the class
 * marks them, so that the provider never takes over other streams' conversions.
 */
final class DecodedFormat extends AudioFormat {
    private static final int[] SIGNED_BITS = {16, 24, 32};

    private DecodedFormat(Encoding encoding, float rate, int bits, int channels, boolean bigEndian) {
        super(encoding, rate, bits, channels, channels * (bits / 8), rate, bigEndian);
    }

    /** The stream format of {@code AudioSystem.getAudioInputStream}: 16-bit signed little-endian PCM. */
    static DecodedFormat pcm16(float rate, int channels) {
        return new DecodedFormat(Encoding.PCM_SIGNED, rate, 16, channels, false);
    }

    /** Every format a decoded stream can be converted to: signed 16/24/32 bits and float, both byte orders. */
    static List<DecodedFormat> all(float rate, int channels) {
        List<DecodedFormat> formats = new ArrayList<>();
        for (int bits : SIGNED_BITS) {
            for (boolean bigEndian : new boolean[] {false, true}) {
                formats.add(new DecodedFormat(Encoding.PCM_SIGNED, rate, bits, channels, bigEndian));
            }
        }
        for (boolean bigEndian : new boolean[] {false, true}) {
            formats.add(new DecodedFormat(Encoding.PCM_FLOAT, rate, 32, channels, bigEndian));
        }
        return formats;
    }

    /** The first of {@link #all} that matches {@code target} (whose unspecified values match anything), or null. */
    static DecodedFormat matching(AudioFormat target, float rate, int channels) {
        for (DecodedFormat f : all(rate, channels)) {
            if (f.matches(target)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Writes interleaved {@code samples[from..to)} as this format's bytes at {@code out[offset..]}.
     *
     * @return the offset after the last byte
     */
    int encode(float[] samples, int from, int to, byte[] out, int offset) {
        if (getEncoding().equals(Encoding.PCM_FLOAT)) {
            return PcmConversion.putFloat(samples, from, to, isBigEndian(), out, offset);
        }
        return PcmConversion.putSigned(samples, from, to, getSampleSizeInBits(), isBigEndian(), out, offset);
    }
}
