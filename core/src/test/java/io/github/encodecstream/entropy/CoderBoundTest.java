package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ArithmeticDecoder#maxSymbols}: no stream holds more symbols, and the most confident one comes near. */
class CoderBoundTest {
    private static final int N = LmWeights.CARDINALITY;

    @Test
    void theMostConfidentStreamComesNearTheBound() throws IOException {
        int[] cdf = new int[N];
        cdf[0] = (1 << QuantizedCdf.RANGE_BITS) - 2 * (N - 1); // the widest range one symbol can have
        for (int i = 1; i < N; i++) {
            cdf[i] = cdf[i - 1] + 2;
        }
        assertEquals(1 << QuantizedCdf.RANGE_BITS, cdf[N - 1]);
        int symbols = 1_000_000;
        ArithmeticEncoder encoder = new ArithmeticEncoder();
        for (int i = 0; i < symbols; i++) {
            encoder.push(0, cdf);
        }
        byte[] stream = encoder.finish();
        ArithmeticDecoder decoder = new ArithmeticDecoder(new ByteArrayInputStream(stream));
        for (int i = 0; i < symbols; i++) {
            assertEquals(0, decoder.pull(cdf, N));
        }
        long bound = ArithmeticDecoder.maxSymbols(stream.length, N);
        assertTrue(bound >= symbols, stream.length + " bytes hold " + symbols + " symbols, bound " + bound);
        assertTrue(bound <= symbols + 2 * 45_500, stream.length + " bytes, bound " + bound + ": within two bytes' worth");
    }

    @Test
    void randomStreamsHoldNoMoreThanTheBound() throws IOException {
        Random random = new Random(17);
        float[] pdf = new float[N];
        int[] cdf = new int[N];
        for (int round = 0; round < 20; round++) {
            double sharpness = random.nextDouble() * 40;
            ArithmeticEncoder encoder = new ArithmeticEncoder();
            int symbols = 1 + random.nextInt(3000);
            for (int i = 0; i < symbols; i++) {
                int favourite = random.nextInt(N);
                double sum = 0;
                for (int k = 0; k < N; k++) {
                    pdf[k] = (float) Math.exp(-sharpness * Math.abs(k - favourite) / 8.0);
                    sum += pdf[k];
                }
                for (int k = 0; k < N; k++) {
                    pdf[k] /= (float) sum;
                }
                QuantizedCdf.buildOrUniform(pdf, 0, N, cdf);
                encoder.push(random.nextInt(10) == 0 ? random.nextInt(N) : favourite, cdf);
            }
            int bytes = encoder.finish().length;
            assertTrue(ArithmeticDecoder.maxSymbols(bytes, N) >= symbols, bytes + " bytes hold " + symbols);
        }
    }

    @Test
    void noSymbolBeforeTheRangeBits() {
        assertEquals(0, ArithmeticDecoder.maxSymbols(0, N));
        assertEquals(0, ArithmeticDecoder.maxSymbols(ArithmeticDecoder.FIRST_SYMBOL_BYTES - 1, N));
        assertEquals(1, ArithmeticDecoder.maxSymbols(ArithmeticDecoder.FIRST_SYMBOL_BYTES, N));
        assertEquals(Long.MAX_VALUE, ArithmeticDecoder.maxSymbols(Long.MAX_VALUE / 8, N));
    }
}
