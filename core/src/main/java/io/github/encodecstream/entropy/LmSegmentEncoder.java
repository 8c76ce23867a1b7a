package io.github.encodecstream.entropy;

/**
 * Entropy-codes the codes of one segment as the reference lays out an LM file's segment: the LM restarted,
 * then per step its probabilities (given the previous step's codes), per codebook the quantised CDF
 * ({@link QuantizedCdf}) and the arithmetic coder, which is flushed at the segment's end. A 48 kHz file has one
 * such stream per segment (after the segment's scale); a 24 kHz file has one for the whole file.
 *
 * <p>The bytes depend only on the codes, the weights, the codebook count and the past context, never on the JVM,
 * the CPU or the thread: see {@link DeterministicLm}. Not thread-safe (it holds an LM's state); use one per
 * thread, sharing the {@link LmWeights}.
 */
public final class LmSegmentEncoder {
    private final DeterministicLm lm;
    private final int codebooks;
    private final float[] probabilities;
    private final int[] cdf = new int[LmWeights.CARDINALITY];

    /**
     * An encoder for segments of {@code codebooks} codebooks with the LM {@code weights}, attending to
     * {@code pastContext} earlier steps ({@link DeterministicLm#pastContext(int)} of the codec's frame rate).
     */
    public LmSegmentEncoder(LmWeights weights, int codebooks, int pastContext) {
        this.lm = new DeterministicLm(weights, codebooks, pastContext);
        this.codebooks = codebooks;
        this.probabilities = new float[codebooks * LmWeights.CARDINALITY];
    }

    /**
     * The coded bytes of one segment.
     *
     * @param codes {@code [steps][codebooks]}, each code in 0..1023; any number of steps (none gives no bytes)
     */
    public byte[] encode(int[][] codes) {
        lm.reset();
        ArithmeticEncoder coder = new ArithmeticEncoder();
        int card = LmWeights.CARDINALITY;
        for (int t = 0; t < codes.length; t++) {
            if (codes[t].length != codebooks) {
                throw new IllegalArgumentException("step " + t + " has " + codes[t].length + " codes, not " + codebooks);
            }
            lm.next(t == 0 ? null : codes[t - 1], probabilities);
            for (int k = 0; k < codebooks; k++) {
                int code = codes[t][k];
                if (code < 0 || code >= card) {
                    throw new IllegalArgumentException("code " + code + " out of range (step " + t + ", codebook " + k + ")");
                }
                QuantizedCdf.buildOrUniform(probabilities, k * card, card, cdf);
                coder.push(code, cdf);
            }
        }
        return coder.finish();
    }
}
