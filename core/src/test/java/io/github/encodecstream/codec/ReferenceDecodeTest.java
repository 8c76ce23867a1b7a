package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
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
            return Samples.drain(decoder);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceOutput(Case c) throws IOException {
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        float[] actual = decodeAll(c, ReferenceCases.options());
        assertEquals(c.length() * c.channels(), actual.length, "samples");
        assertEquals(expected.length, actual.length, "samples vs reference");
        double error = Samples.maxError(expected, 0, actual);
        System.out.printf("decode %-22s max abs error %.3g%n", c.name(), error);
        assertTrue(error <= TOLERANCE, c.name() + ": max abs error " + error);
    }
}
