package io.github.encodecstream.entropy;

/**
 * The reference's {@code build_stable_quantized_cdf} with {@value #RANGE_BITS} range bits, roundoff 1e-8 and
 * minimum range 2, in the float32 arithmetic PyTorch does it in: {@code pdf / 1e-8} (float division by
 * {@code (float) 1e-8}), floor, {@code * 1e-8} (float), {@code * 16775168} (that is
 * {@code (1 - 2·1024/2^24)·2^24}, exact in float), floor, to integer, {@code + 2}, cumulative sum.
 *
 * <p>Every step is a correctly rounded IEEE float operation or exact ({@code Math.floor} is exact by its
 * specification, as {@code StrictMath.floor}), so the same probabilities give the same
 * CDF on every JVM; the test checks it bit for bit against the reference's own CDFs.
 */
public final class QuantizedCdf {
    /** The coder's range bits (the reference's default). */
    public static final int RANGE_BITS = 24;
    /** The roundoff, as PyTorch casts the Python scalar for a float32 tensor. */
    private static final float ROUNDOFF = 1e-8f;
    /** The minimum range of a symbol. */
    static final int MIN_RANGE = 2;

    private QuantizedCdf() {}

    /**
     * Builds the quantised CDF of {@code n} probabilities {@code pdf[offset..offset+n)} into {@code cdf[0..n)}:
     * {@code cdf[i]} is the upper end (exclusive) of symbol {@code i}'s range.
     *
     * @return whether the CDF fits, that is its total is at most {@code 2^24}; it can pass it only where the
     *     probabilities sum to more than 1 (the reference coder then breaks; see {@link #buildOrUniform})
     * @throws IllegalArgumentException where {@code n} is so large that the minimum ranges do not fit
     */
    public static boolean build(float[] pdf, int offset, int n, int[] cdf) {
        long totalRange = 1L << RANGE_BITS;
        // alpha = min_range * cardinality / total_range, (1 - alpha) * total_range in double, as Python does
        double alpha = (double) MIN_RANGE * n / totalRange;
        if (alpha > 1) {
            throw new IllegalArgumentException("too many symbols for " + RANGE_BITS + " range bits: " + n);
        }
        float scale = (float) ((1 - alpha) * totalRange);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            float p = pdf[offset + i];
            float rounded = (float) Math.floor(p / ROUNDOFF) * ROUNDOFF;
            long range = (long) Math.floor(scale * rounded) + MIN_RANGE;
            sum += range;
            cdf[i] = (int) Math.min(sum, Integer.MAX_VALUE);
        }
        return sum <= totalRange;
    }

    /**
     * {@link #build}, or where its CDF does not fit (float probabilities whose rounded sum passes 1: never seen,
     * but possible in principle), the uniform CDF ({@code cdf[i] = (i + 1) * floor(2^24 / n)}). The encoder and
     * the decoder compute the same probabilities, so they take the same branch.
     */
    public static void buildOrUniform(float[] pdf, int offset, int n, int[] cdf) {
        if (!build(pdf, offset, n, cdf)) {
            int width = (1 << RANGE_BITS) / n;
            for (int i = 0; i < n; i++) {
                cdf[i] = (i + 1) * width;
            }
        }
    }
}
