package io.github.encodecstream.entropy;

import java.util.Arrays;

/**
 * The reference's {@code ArithmeticCoder} ({@code encodec/quantization/ac.py}), bit for bit: 24 range bits, the
 * range {@code [low, high]} widened by doubling while narrower than {@code 2^24}, a symbol's sub-range
 * {@code [ceil(cdf[s-1]·delta/2^24), floor((cdf[s]−1)·delta/2^24)]}, common leading bits pushed out one by one,
 * least significant bit of each byte first ({@code BitPacker(bits=1)}); {@link #finish()} pushes the remaining
 * bits of {@code low} and pads the last byte with zeros.
 *
 * <p>All integer arithmetic ({@code delta < 2^25}, a CDF value {@code <= 2^24}, so products stay below
 * {@code 2^49}): the reference's {@code range * (delta / 2^24)} in double is exact for these values, so it
 * equals the integer ceiling and floor used here.
 */
public final class ArithmeticEncoder extends CoderRange {
    private int currentByte;
    private int bitsInByte;
    private byte[] out = new byte[256];
    private int size;
    private boolean finished;

    /** Encodes symbol {@code symbol} with the quantised CDF {@code cdf} (see {@link QuantizedCdf}). */
    public void push(int symbol, int[] cdf) {
        if (finished) {
            throw new IllegalStateException("finished");
        }
        while (tooNarrow()) {
            widen();
        }
        long delta = high - low + 1;
        long rangeLow = symbol == 0 ? 0 : cdf[symbol - 1];
        long rangeHigh = cdf[symbol] - 1L;
        long effectiveLow = subLow(rangeLow, delta);
        long effectiveHigh = subHigh(rangeHigh, delta);
        high = low + effectiveHigh;
        low = low + effectiveLow;
        if (low > high) {
            throw new IllegalArgumentException("empty range for symbol " + symbol);
        }
        for (int bit; (bit = popSettledBit()) >= 0; ) {
            pushBit(bit);
        }
        if (maxBit > 61) {
            throw new IllegalStateException("coder range overflow");
        }
    }

    private void pushBit(int bit) {
        currentByte |= bit << bitsInByte;
        if (++bitsInByte == 8) {
            if (size == out.length) {
                out = Arrays.copyOf(out, size * 2);
            }
            out[size++] = (byte) currentByte;
            currentByte = 0;
            bitsInByte = 0;
        }
    }

    /** Pushes the remaining bits and the last partial byte; returns all the bytes of the stream. */
    public byte[] finish() {
        if (!finished) {
            while (maxBit >= 0) {
                pushBit((int) ((low >> maxBit) & 1));
                maxBit--;
            }
            if (bitsInByte > 0) {
                if (size == out.length) {
                    out = Arrays.copyOf(out, size + 1);
                }
                out[size++] = (byte) currentByte;
                currentByte = 0;
                bitsInByte = 0;
            }
            finished = true;
        }
        return Arrays.copyOf(out, size);
    }
}
