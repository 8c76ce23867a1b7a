package io.github.encodecstream.dsp;

import java.nio.ByteBuffer;

/**
 * Float samples to PCM bytes. A float {@code x} (nominal range [-1, 1)) becomes the signed
 * integer {@code round(x * 2^(bits-1))} (rounding as {@link Math#round}: halves up),
 * clipped to {@code [-2^(bits-1), 2^(bits-1) - 1]}: the inverse of reading PCM as
 * {@code sample / 2^(bits-1)}, as the reference reads its input. NaN becomes 0.
 */
public final class PcmConversion {
    private PcmConversion() {}

    /** One sample as a signed integer of {@code bits} bits. */
    public static int toInt(float x, int bits) {
        double full = 1L << (bits - 1);
        long v = Math.round(x * full);
        return (int) Math.max(-full, Math.min(full - 1, v));
    }

    /** Writes samples as 16-bit signed PCM in the buffer's byte order. */
    public static void putS16(float[] samples, int from, int to, ByteBuffer out) {
        for (int i = from; i < to; i++) {
            out.putShort((short) toInt(samples[i], 16));
        }
    }

    /** Writes samples as 32-bit floats in the buffer's byte order. */
    public static void putF32(float[] samples, int from, int to, ByteBuffer out) {
        for (int i = from; i < to; i++) {
            out.putFloat(samples[i]);
        }
    }
}
