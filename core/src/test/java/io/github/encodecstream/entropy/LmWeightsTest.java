package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceData;
import org.junit.jupiter.api.Test;

class LmWeightsTest {
    @Test
    void aPartialLoadHasTheCodebooksAskedForAndSaysWhatItCovers() throws Exception {
        LmWeights full = LmReference.weights();
        LmWeights four = LmWeights.read(ReferenceData.file("models/encodec_lm_48khz-random.th"), 4);
        assertEquals(16, full.codebooks());
        assertEquals(4, four.codebooks());
        assertTrue(four.covers(1));
        assertTrue(four.covers(4));
        assertFalse(four.covers(5));
        assertFalse(four.covers(16));
        assertFalse(four.covers(40)); // the checkpoint has more than the 4 loaded
        assertTrue(full.covers(16));
        assertTrue(full.covers(40)); // nothing more to load: the LM itself refuses 40
        assertThrows(IllegalArgumentException.class, () -> new DeterministicLm(four, 5, 525));
        assertThrows(IllegalArgumentException.class, () -> LmWeights.read(
                ReferenceData.file("models/encodec_lm_48khz-random.th"), 0));
    }

    @Test
    void aPartialLoadGivesTheFullLoadsProbabilitiesBitForBit() throws Exception {
        LmWeights four = LmWeights.read(ReferenceData.file("models/encodec_lm_48khz-random.th"), 4);
        DeterministicLm fromFull = new DeterministicLm(LmReference.weights(), 4, 525);
        DeterministicLm fromPart = new DeterministicLm(four, 4, 525);
        int[][] codes = LmReference.windowCodes();
        float[] expected = new float[4 * LmWeights.CARDINALITY];
        float[] actual = new float[4 * LmWeights.CARDINALITY];
        for (int t = 0; t < 40; t++) {
            int[] previous = t == 0 ? null : codes[t - 1];
            fromFull.next(previous, expected);
            fromPart.next(previous, actual);
            assertArrayEquals(expected, actual, "step " + t);
        }
    }
}
