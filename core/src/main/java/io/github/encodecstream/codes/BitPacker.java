package io.github.encodecstream.codes;

import io.github.encodecstream.format.EcdcMetadata;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Packs 10-bit codes least-significant bit first into bytes, as the reference's
 * {@code BitPacker}: each value is shifted above the bits still pending and whole low bytes are
 * emitted; {@link #flush()} ends a segment with its last byte zero-filled.
 */
public final class BitPacker {
    /** Bits per code. */
    public static final int BITS = EcdcMetadata.CODE_BITS;
    /** The largest code. */
    public static final int MAX_VALUE = (1 << BITS) - 1;

    private final OutputStream out;
    private int bits;
    private int pending;

    /** A packer writing to {@code out}. */
    public BitPacker(OutputStream out) {
        this.out = out;
    }

    /** Bytes taken by {@code values} codes: ceil(values · 10 / 8). */
    public static long packedSize(long values) {
        return Math.floorDiv(Math.multiplyExact(values, BITS) + 7, 8);
    }

    /** Appends a code, 0..{@link #MAX_VALUE}. */
    public void write(int value) throws IOException {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("code " + value + " outside 0.." + MAX_VALUE);
        }
        bits |= value << pending;
        pending += BITS;
        while (pending >= 8) {
            out.write(bits & 0xFF);
            bits >>>= 8;
            pending -= 8;
        }
    }

    /** Writes the pending bits, if any, as one zero-filled byte (the end of a segment); does not flush the stream. */
    public void flush() throws IOException {
        if (pending > 0) {
            out.write(bits & 0xFF);
        }
        bits = 0;
        pending = 0;
    }
}
