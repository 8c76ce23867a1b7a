package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The deterministic LM against the reference LM's probabilities (within 1e-5). */
class DeterministicLmReferenceTest {
    private static final int CARD = LmWeights.CARDINALITY;
    private static final int K = LmReference.CODEBOOKS;

    @Test
    void segmentsZeroAndOneRestarted() throws Exception {
        float[] expected = LmReference.floats("lm/lm48_seg01.probs.f32");
        DeterministicLm lm = new DeterministicLm(LmReference.weights(), K, DeterministicLm.pastContext(150));
        float[] probs = new float[K * CARD];
        double max = 0;
        double maxRelative = 0;
        int[] referenceCdfs = LmReference.ints("lm/lm48_seg0.cdf.i32");
        int[] cdf = new int[CARD];
        int cdfsDiffering = 0;
        int entriesDiffering = 0;
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.nio.ByteBuffer bits = java.nio.ByteBuffer.allocate(K * CARD * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int segment = 0; segment < 2; segment++) {
            int[][] codes = LmReference.segmentCodes(segment);
            lm.reset();
            for (int t = 0; t < codes.length; t++) {
                lm.next(t == 0 ? null : codes[t - 1], probs);
                bits.clear();
                for (float p : probs) {
                    bits.putInt(Float.floatToRawIntBits(p));
                }
                sha.update(bits.array());
                int base = (segment * LmReference.SEGMENT_STEPS + t) * K * CARD;
                for (int i = 0; i < K * CARD; i++) {
                    double diff = Math.abs(probs[i] - expected[base + i]);
                    max = Math.max(max, diff);
                    maxRelative = Math.max(maxRelative, diff / expected[base + i]);
                }
                if (segment == 0) {
                    for (int k = 0; k < K; k++) {
                        QuantizedCdf.build(probs, k * CARD, CARD, cdf);
                        int off = (t * K + k) * CARD;
                        int differing = 0;
                        for (int i = 0; i < CARD; i++) {
                            differing += cdf[i] != referenceCdfs[off + i] ? 1 : 0;
                        }
                        cdfsDiffering += differing > 0 ? 1 : 0;
                        entriesDiffering += differing;
                    }
                }
            }
        }
        System.out.printf("LM vs reference, segments 0 and 1: max abs diff %.3g, max relative diff %.3g;"
                + " segment 0: %d of 600 CDFs differ from the reference's (%d entries)%n",
                max, maxRelative, cdfsDiffering, entriesDiffering);
        assertTrue(max <= 1e-5, "max abs diff " + max);
        // pinned, as LmDeterminismTest's hashes: this LM's own float bits with the reference's test checkpoint
        assertEquals(CHECKPOINT_HASH, java.util.HexFormat.of().formatHex(sha.digest()));
    }

    /** SHA-256 of the float bits of segments 0 and 1's probabilities; changes only with the arithmetic version. */
    static final String CHECKPOINT_HASH = "6ce23130d0dbd51649b16826c877cce8a07801e663ae5138fd23628420e6cb93";

    @Test
    void pastTheAttentionWindow() throws Exception {
        int[] steps = {0, 1, 2, 260, 261, 262, 263, 264, 523, 524, 525, 526, 527, 597, 598, 599};
        float[] expected = LmReference.floats("lm/lm_window262.probs.f32");
        int[][] codes = LmReference.windowCodes();
        DeterministicLm lm = new DeterministicLm(LmReference.weights(), K, 262);
        float[] probs = new float[K * CARD];
        double max = 0;
        int next = 0;
        for (int t = 0; t <= steps[steps.length - 1]; t++) {
            lm.next(t == 0 ? null : codes[t - 1], probs);
            if (t == steps[next]) {
                double stepMax = 0;
                for (int i = 0; i < K * CARD; i++) {
                    stepMax = Math.max(stepMax, Math.abs(probs[i] - expected[next * K * CARD + i]));
                }
                System.out.printf("window 262, step %d: max abs diff %.3g%n", t, stepMax);
                max = Math.max(max, stepMax);
                next++;
            }
        }
        assertTrue(max <= 1e-5, "max abs diff " + max);
    }
}
