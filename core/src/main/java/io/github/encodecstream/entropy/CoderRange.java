package io.github.encodecstream.entropy;

/**
 * The range {@code [low, high]} that the reference's arithmetic coder and decoder narrow in step
 * ({@code encodec/quantization/ac.py}): widened by doubling while narrower than {@code 2^24}, a
 * symbol's sub-range {@code [ceil(cdf[s-1]·delta/2^24), floor((cdf[s]−1)·delta/2^24)]}, and the
 * leading bits that {@code low} and {@code high} share taken out one by one. One copy of that
 * arithmetic for {@link ArithmeticEncoder} and {@link ArithmeticDecoder}.
 */
abstract class CoderRange {
    static final int RANGE_BITS = QuantizedCdf.RANGE_BITS;
    long low;
    long high;
    /** The highest bit of the range still open, -1 when none. */
    int maxBit = -1;

    /** Whether the range is narrower than {@code 2^24} and must be doubled before the next symbol. */
    final boolean tooNarrow() {
        return high - low + 1 < (1L << RANGE_BITS);
    }

    /** Doubles the range, opening one more bit. */
    final void widen() {
        low *= 2;
        high = high * 2 + 1;
        maxBit++;
    }

    /** The start of the sub-range from {@code cdfLow} (the CDF before the symbol), relative to {@code low}. */
    static long subLow(long cdfLow, long delta) {
        return (cdfLow * delta + (1L << RANGE_BITS) - 1) >> RANGE_BITS;
    }

    /** The end of the sub-range from {@code cdfHigh} (the symbol's CDF minus one), relative to {@code low}. */
    static long subHigh(long cdfHigh, long delta) {
        return (cdfHigh * delta) >> RANGE_BITS;
    }

    /**
     * Takes out the leading bit that {@code low} and {@code high} share, if any: returns it (0 or 1),
     * or -1 when they differ there or no bit is open. The bit's position is {@code maxBit + 1} after.
     */
    final int popSettledBit() {
        if (maxBit < 0) {
            return -1;
        }
        long bit = low >> maxBit;
        if (bit != high >> maxBit) {
            return -1;
        }
        low -= bit << maxBit;
        high -= bit << maxBit;
        maxBit--;
        return (int) bit;
    }
}
