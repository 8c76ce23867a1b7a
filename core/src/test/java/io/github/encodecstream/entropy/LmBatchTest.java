package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams coded in lockstep give exactly the bytes and codes of one-at-a-time coding. */
class LmBatchTest {
    private static final int CODEBOOKS = 4;
    /** Unequal lengths: empty, one step, a 48 kHz segment and one more step, a 24 kHz chunk. */
    private static final int[] STEPS = {151, 0, 375, 1, 151, 20};
    private static LmWeights weights;

    @BeforeAll
    static void weights() {
        weights = LmWeights.random(LmHashMain.WEIGHT_SEED, LmHashMain.CODEBOOKS);
    }

    @ParameterizedTest
    @ValueSource(ints = {525, 262})
    void batchEqualsOneAtATimeForEveryWidth(int pastContext) throws Exception {
        List<int[][]> segments = new ArrayList<>();
        List<byte[]> single = new ArrayList<>();
        LmSegmentEncoder encoder = new LmSegmentEncoder(weights, CODEBOOKS, pastContext);
        for (int i = 0; i < STEPS.length; i++) {
            segments.add(LmHashMain.codes(40 + i, STEPS[i], CODEBOOKS));
            single.add(encoder.encode(segments.get(i)));
        }
        for (int width = 1; width <= STEPS.length + 1; width++) {
            List<byte[]> batch = new LmBatchEncoder(weights, CODEBOOKS, pastContext, width).encode(segments);
            assertEquals(STEPS.length, batch.size());
            for (int i = 0; i < STEPS.length; i++) {
                assertArrayEquals(single.get(i), batch.get(i), "width " + width + ", stream " + i);
            }
            List<LmBatchDecoder.Result> decoded = new LmBatchDecoder(weights, CODEBOOKS, pastContext, width)
                    .decode(single, STEPS);
            for (int i = 0; i < STEPS.length; i++) {
                assertArrayEquals(flat(segments.get(i)), decoded.get(i).codesOrThrow(), "width " + width + ", stream " + i);
            }
        }
    }

    @Test
    void aCancelledBatchStopsWithinAStepAndTheDecoderServesTheNext() throws Exception {
        int past = 262;
        int[] steps = {375, 375};
        List<int[][]> segments = List.of(LmHashMain.codes(90, 375, CODEBOOKS), LmHashMain.codes(91, 375, CODEBOOKS));
        List<byte[]> coded = new LmBatchEncoder(weights, CODEBOOKS, past, 2).encode(segments);
        LmBatchDecoder decoder = new LmBatchDecoder(weights, CODEBOOKS, past, 2);
        int[] asked = {0};
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> decoder.decode(coded, steps, () -> ++asked[0] > 10));
        assertEquals(11, asked[0], "asked once per step");
        List<LmBatchDecoder.Result> results = decoder.decode(coded, steps);
        assertArrayEquals(flat(segments.get(0)), results.get(0).codesOrThrow());
        assertArrayEquals(flat(segments.get(1)), results.get(1).codesOrThrow());
    }

    @Test
    void aBadStreamFailsAloneAndTheOthersDecode() throws Exception {
        int past = 525;
        int[] steps = {150, 150, 150, 150, 150, 150};
        List<int[][]> segments = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            segments.add(LmHashMain.codes(70 + i, steps[i], CODEBOOKS));
        }
        List<byte[]> coded = new ArrayList<>(new LmBatchEncoder(weights, CODEBOOKS, past, 3).encode(segments));
        byte[] corrupt = coded.get(1).clone();
        for (int b = 0; b < corrupt.length; b += 7) {
            corrupt[b] ^= (byte) 0x5A;
        }
        coded.set(1, corrupt);
        coded.set(2, Arrays.copyOf(coded.get(2), coded.get(2).length / 2)); // truncated
        byte[] longer = Arrays.copyOf(coded.get(3), coded.get(3).length + 3); // bytes left over
        coded.set(3, longer);
        coded.set(4, new byte[0]); // no bytes for 150 steps
        for (int width : new int[] {1, 2, LmBatchDecoder.BEST_WIDTH, 6}) {
            List<LmBatchDecoder.Result> results = new LmBatchDecoder(weights, CODEBOOKS, past, width).decode(coded, steps);
            assertArrayEquals(flat(segments.get(0)), results.get(0).codes());
            assertArrayEquals(flat(segments.get(5)), results.get(5).codes());
            assertFalse(results.get(2).ok());
            assertInstanceOf(EOFException.class, results.get(2).failure());
            assertFalse(results.get(3).ok());
            assertTrue(results.get(3).failure().getMessage().contains("bytes"), results.get(3).failure().getMessage());
            assertFalse(results.get(4).ok());
            for (int i = 0; i < steps.length; i++) {
                assertSameOutcome(coded.get(i), steps[i], results.get(i), past);
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        LmBatchDecoder decoder = new LmBatchDecoder(weights, CODEBOOKS, 525, 2);
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(List.of(new byte[0]), new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(List.of(new byte[0]), new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new LmBatchDecoder(weights, CODEBOOKS, 525, 0));
        LmBatchEncoder encoder = new LmBatchEncoder(weights, CODEBOOKS, 525, 2);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.<int[][]>of(new int[][] {{1, 2, 3, 1024}})));
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.<int[][]>of(new int[][] {{1, 2, 3}})));
        assertEquals(List.of(), decoder.decode(List.of(), new int[0]));
    }

    /** The batch's result for a stream is what decoding it alone gives: the same codes or the same failure. */
    private static void assertSameOutcome(byte[] bytes, int steps, LmBatchDecoder.Result result, int past) {
        try {
            int[][] alone = new LmSegmentDecoder(weights, CODEBOOKS, past).decode(bytes, steps);
            assertTrue(result.ok(), () -> "decodes alone, but in the batch: " + result.failure());
            assertArrayEquals(flat(alone), result.codes());
        } catch (IOException e) {
            assertFalse(result.ok(), "fails alone: " + e);
            assertEquals(e.getClass(), result.failure().getClass());
        }
    }

    static int[] flat(int[][] codes) {
        int k = codes.length == 0 ? 0 : codes[0].length;
        int[] out = new int[codes.length * k];
        for (int t = 0; t < codes.length; t++) {
            System.arraycopy(codes[t], 0, out, t * k, k);
        }
        return out;
    }
}
