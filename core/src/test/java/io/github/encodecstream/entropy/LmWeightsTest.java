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

    @Test
    void shapesThatAskForMoreThanTheCheckpointHoldsAreRefusedBeforeAnyCopy() throws Exception {
        java.nio.file.Path file = ReferenceData.file("models/encodec_lm_48khz-random.th");
        java.util.Map<String, io.github.encodecstream.checkpoint.Tensor> tensors =
                new java.util.HashMap<>(io.github.encodecstream.checkpoint.TorchCheckpoint.read(file));
        long size = java.nio.file.Files.size(file);
        assertEquals(16, LmWeights.fromTensors(tensors, 16, 2 * size).codebooks());
        java.io.IOException small = assertThrows(java.io.IOException.class,
                () -> LmWeights.fromTensors(tensors, 16, size / 4));
        assertTrue(small.getMessage().contains("bytes of weights"), small.getMessage());
        // layers that all name layer 0's tensors (one storage): a small file, many copies
        String layer0 = "transformer.layers.0.";
        for (int l = 1; l <= LmWeights.MAX_LAYERS; l++) {
            for (String name : java.util.List.copyOf(tensors.keySet())) {
                if (name.startsWith(layer0)) {
                    tensors.put("transformer.layers." + l + "." + name.substring(layer0.length()), tensors.get(name));
                }
            }
        }
        java.io.IOException many = assertThrows(java.io.IOException.class,
                () -> LmWeights.fromTensors(tensors, 16, 2 * size));
        assertTrue(many.getMessage().contains((LmWeights.MAX_LAYERS + 1) + " layers"), many.getMessage());
    }
}
