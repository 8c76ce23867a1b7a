package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decodes every non-LM reference file and compares with the reference decoder's output. */
class ReferenceDecodeTest {
    static final double TOLERANCE = 1e-4;

    static Stream<Case> cases() {
        return ReferenceCases.nonLm();
    }

    /** Decodes a whole file with the given options. */
    static float[] decodeAll(Case c, DecoderOptions options) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(c.file(".ecdc")), options)) {
            return drain(decoder);
        }
    }

    static float[] drain(EcdcDecoder decoder) throws IOException {
        float[] out = new float[0];
        int n = 0;
        for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
            if (n + chunk.length > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, n + chunk.length));
            }
            System.arraycopy(chunk, 0, out, n, chunk.length);
            n += chunk.length;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static double maxError(float[] expected, int expectedFrom, float[] actual) {
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(expected[expectedFrom + i] - actual[i]));
        }
        return max;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceOutput(Case c) throws IOException {
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        float[] actual = decodeAll(c, ReferenceCases.options());
        assertEquals(c.length() * c.channels(), actual.length, "samples");
        assertEquals(expected.length, actual.length, "samples vs reference");
        double error = maxError(expected, 0, actual);
        System.out.printf("decode %-22s max abs error %.3g%n", c.name(), error);
        assertTrue(error <= TOLERANCE, c.name() + ": max abs error " + error);
    }
}
