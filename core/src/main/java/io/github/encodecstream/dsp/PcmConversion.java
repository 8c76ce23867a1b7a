package io.github.encodecstream.dsp;

import java.nio.ByteBuffer;

/**
 * Float samples to PCM bytes.
 *
 * <p>Integers: a float {@code x} (nominal range [-1, 1)) becomes the signed integer
 * {@code round(x * 2^(bits-1))} (rounding as {@link Math#round}: to the nearest integer, halves
 * up), clipped to {@code [-2^(bits-1), 2^(bits-1) - 1]}: the inverse of reading PCM as
 * {@code sample / 2^(bits-1)}, as the reference reads its input. So 1.0 clips to the largest
 * value, -1.0 is the smallest, and NaN becomes 0. The product is exact in double precision, so
 * each width rounds the float itself, never a value already rounded to fewer bits.
 *
 * <p>Floats: 32-bit IEEE 754 values, unchanged (no clipping).
 */
public final class PcmConversion {
    private PcmConversion() {}

    /** One sample as a signed integer of {@code bits} bits (1 to 32). */
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

    /**
     * Writes {@code samples[from..to)} as signed PCM of {@code bits} bits (8, 16, 24 or 32) into
     * {@code out} from {@code offset}, {@code bits / 8} bytes a sample.
     *
     * @return the offset after the last byte written
     * @throws IllegalArgumentException for another sample size
     */
    public static int putSigned(float[] samples, int from, int to, int bits, boolean bigEndian, byte[] out, int offset) {
        if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
            throw new IllegalArgumentException("sample size must be 8, 16, 24 or 32 bits, not " + bits);
        }
        int bytes = bits / 8;
        int o = offset;
        for (int i = from; i < to; i++) {
            putInt(toInt(samples[i], bits), bytes, bigEndian, out, o);
            o += bytes;
        }
        return o;
    }

    /**
     * Writes {@code samples[from..to)} as 32-bit IEEE floats into {@code out} from {@code offset}.
     *
     * @return the offset after the last byte written
     */
    public static int putFloat(float[] samples, int from, int to, boolean bigEndian, byte[] out, int offset) {
        int o = offset;
        for (int i = from; i < to; i++) {
            putInt(Float.floatToRawIntBits(samples[i]), 4, bigEndian, out, o);
            o += 4;
        }
        return o;
    }

    /** The low {@code bytes} bytes of {@code v} at {@code out[offset..]}. */
    private static void putInt(int v, int bytes, boolean bigEndian, byte[] out, int offset) {
        for (int b = 0; b < bytes; b++) {
            int shift = 8 * (bigEndian ? bytes - 1 - b : b);
            out[offset + b] = (byte) (v >>> shift);
        }
    }
}
