package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Segments entropy-coded with the deterministic LM decode to exactly their codes. */
class LmSegmentRoundTripTest {
    private static LmWeights random;

    @BeforeAll
    static void weights() {
        random = LmWeights.random(LmHashMain.WEIGHT_SEED, LmHashMain.CODEBOOKS);
    }

    @Test
    void referenceCaseSegments() throws Exception {
        LmWeights weights = LmReference.weights();
        int k = LmReference.CODEBOOKS;
        LmSegmentEncoder encoder = new LmSegmentEncoder(weights, k, DeterministicLm.pastContext(150));
        LmSegmentDecoder decoder = new LmSegmentDecoder(weights, k, DeterministicLm.pastContext(150));
        // two segments back to back on one stream, as in a 48 kHz file (less the scales)
        int[][] first = LmReference.segmentCodes(0);
        int[][] second = LmReference.segmentCodes(1);
        byte[] a = encoder.encode(first);
        byte[] b = encoder.encode(second);
        System.out.printf("case 48k_bw6_lm: segment 0 %d bytes (reference coder with reference probabilities: 766;"
                + " plain: %d), segment 1 %d bytes%n", a.length, 150 * k * 10 / 8, b.length);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(a);
        joined.write(b);
        InputStream in = new ByteArrayInputStream(joined.toByteArray());
        for (int[][] segment : new int[][][] {first, second}) {
            decoder.start(in);
            int[] codes = new int[k];
            for (int[] step : segment) {
                decoder.next(codes);
                assertArrayEquals(step, codes);
            }
        }
        assertEquals(0, in.available(), "both segments read exactly");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5, 6, 149, 150, 151})
    void randomCodes(int steps) throws Exception {
        roundTrip(random, 4, 5, steps, 11 + steps);
        roundTrip(random, 4, 525, steps, 13 + steps);
    }

    @Test
    void fewerCodebooksThanTheLm() throws Exception {
        roundTrip(random, 1, 525, 150, 3);
        roundTrip(random, 2, 7, 40, 4);
    }

    @Test
    void lopsidedCodes() throws Exception {
        // long runs of one code: the LM (random weights) predicts them no better, but the coder sees extreme ranges
        int[][] codes = new int[300][4];
        for (int t = 0; t < codes.length; t++) {
            for (int k = 0; k < 4; k++) {
                codes[t][k] = t < 150 ? 0 : 1023;
            }
        }
        byte[] bytes = new LmSegmentEncoder(random, 4, 262).encode(codes);
        int[][] back = new LmSegmentDecoder(random, 4, 262).decode(bytes, codes.length);
        assertArrayEquals(codes, back);
    }

    @Test
    void truncatedAndCorruptStreamsFailClearly() throws Exception {
        int[][] codes = LmHashMain.codes(5, 150, 4);
        byte[] bytes = new LmSegmentEncoder(random, 4, 525).encode(codes);
        LmSegmentDecoder decoder = new LmSegmentDecoder(random, 4, 525);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(EOFException.class, () -> decoder.decode(cut, codes.length));
        assertThrows(IOException.class, () -> decoder.decode(bytes, codes.length - 1), "bytes left over");
    }

    private static void roundTrip(LmWeights weights, int codebooks, int pastContext, int steps, long seed)
            throws IOException {
        int[][] codes = LmHashMain.codes(seed, steps, codebooks);
        byte[] bytes = new LmSegmentEncoder(weights, codebooks, pastContext).encode(codes);
        if (steps == 0) {
            assertEquals(0, bytes.length);
        }
        int[][] back = new LmSegmentDecoder(weights, codebooks, pastContext).decode(bytes, steps);
        assertArrayEquals(codes, back, steps + " steps, past context " + pastContext);
    }
}
