package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CDF rule and the arithmetic coder against the reference's own CDFs and bytes. */
class CoderReferenceTest {
    private static final int CARD = LmWeights.CARDINALITY;

    @Test
    void cdfRuleMatchesTheReferenceBitForBit() throws Exception {
        float[] probs = LmReference.floats("lm/lm48_seg01.probs.f32");
        int[] expected = LmReference.ints("lm/lm48_seg0.cdf.i32");
        int[] cdf = new int[CARD];
        int mismatches = 0;
        for (int i = 0; i < expected.length / CARD; i++) {
            QuantizedCdf.build(probs, i * CARD, CARD, cdf);
            if (!Arrays.equals(cdf, 0, CARD, expected, i * CARD, (i + 1) * CARD)) {
                mismatches++;
            }
        }
        assertEquals(0, mismatches, "CDFs differing from the reference's, of " + expected.length / CARD);
    }

    @Test
    void coderWritesTheReferenceBytesAndReadsThemBack() throws Exception {
        int[] cdfs = LmReference.ints("lm/lm48_seg0.cdf.i32");
        byte[] expected = Files.readAllBytes(ReferenceData.file("lm/lm48_seg0.coded.bin"));
        int[][] codes = LmReference.segmentCodes(0);
        ArithmeticEncoder encoder = new ArithmeticEncoder();
        int[] cdf = new int[CARD];
        for (int t = 0; t < codes.length; t++) {
            for (int k = 0; k < LmReference.CODEBOOKS; k++) {
                System.arraycopy(cdfs, (t * LmReference.CODEBOOKS + k) * CARD, cdf, 0, CARD);
                encoder.push(codes[t][k], cdf);
            }
        }
        byte[] bytes = encoder.finish();
        assertEquals(766, expected.length);
        assertArrayEquals(expected, bytes);

        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ArithmeticDecoder decoder = new ArithmeticDecoder(in);
        for (int t = 0; t < codes.length; t++) {
            for (int k = 0; k < LmReference.CODEBOOKS; k++) {
                System.arraycopy(cdfs, (t * LmReference.CODEBOOKS + k) * CARD, cdf, 0, CARD);
                assertEquals(codes[t][k], decoder.pull(cdf, CARD), "step " + t + " codebook " + k);
            }
        }
        assertEquals(bytes.length, decoder.bytesRead(), "the decoder reads exactly the segment's bytes");
    }
}
