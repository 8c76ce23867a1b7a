package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.Decoding.CountingSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.StreamByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeking in the causal 24 kHz stream: from a pre-roll of frames before the target, or exactly
 * (from the start of the file).
 */
class Seek24kTest {
    static final Case FULL = ReferenceCases.named("24k_full");
    static final long LENGTH = FULL.length();
    /** Our own decode of the whole file: pre-roll errors are measured against it as well. */
    static float[] whole;

    @BeforeAll
    static void decodeOnce() throws IOException {
        try (EcdcDecoder decoder = Decoding.open(FULL)) {
            decoder.seek(0);
            whole = Samples.drain(decoder);
        }
    }

    static LongStream randomTargets() {
        return new Random(24_000).longs(3, 1, LENGTH);
    }

    @ParameterizedTest
    @MethodSource("randomTargets")
    void seekWithDefaultPrerollMatchesReference(long sample) throws IOException {
        check("default pre-roll", sample, ReferenceCases.options(), Decoding.TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("randomTargets")
    void exactSeekMatchesReference(long sample) throws IOException {
        float[] out = check("exact", sample, ReferenceCases.options().withExactSeek(true), Decoding.TOLERANCE);
        // the exact seek decodes the same chunks as the whole-file decode
        double own = Samples.maxError(whole, (int) sample, out);
        assertTrue(own <= 1e-6, "exact seek differs from the whole decode by " + own);
    }

    @Test
    void seekToStartLastSampleAndEnd() throws IOException {
        assertEquals(LENGTH, whole.length);
        double error = Samples.maxError(Decoding.reference(FULL), 0, whole);
        System.out.printf("24k seek %-16s %6d: max error %.3g%n", "start", 0, error);
        assertTrue(error <= Decoding.TOLERANCE, "seek to 0: max error " + error);
        check("last sample", LENGTH - 1, ReferenceCases.options(), Decoding.TOLERANCE);
        check("end", LENGTH, ReferenceCases.options(), Decoding.TOLERANCE);
    }

    /**
     * Error of a seek against the reference and against our own whole decode, per pre-roll, over
     * the first second after the target (later samples agree to float rounding for any pre-roll).
     */
    @Test
    void prerollTable() throws IOException {
        int[] prerolls = {0, 5, 10, 25, 50};
        long[] targets = new Random(7).longs(4, 24_000, LENGTH - 24_000).toArray();
        float[] reference = Decoding.reference(FULL);
        double[] vsOwn = new double[prerolls.length];
        System.out.printf("24k pre-roll (frames) | max error vs reference | vs whole decode, first 1 s after %d targets%n",
                targets.length);
        for (int p = 0; p < prerolls.length; p++) {
            double vsReference = 0;
            for (long target : targets) {
                try (EcdcDecoder decoder = Decoding.open(FULL, ReferenceCases.options().withPrerollFrames(prerolls[p]))) {
                    decoder.seek(target);
                    float[] out = Samples.drain(decoder, 24_000);
                    int n = Math.min(out.length, 24_000);
                    vsReference = Math.max(vsReference, Samples.maxError(reference, (int) target, out, 0, n));
                    vsOwn[p] = Math.max(vsOwn[p], Samples.maxError(whole, (int) target, out, 0, n));
                }
            }
            System.out.printf("24k pre-roll %3d | %.3g | %.3g%n", prerolls[p], vsReference, vsOwn[p]);
        }
        // measured: 0 -> ~1e-2, 10 -> ~2e-5, 25 and 50 -> float rounding (see the documentation of DecoderOptions)
        assertTrue(vsOwn[0] > 1e-4, "without pre-roll the seek should differ visibly: " + vsOwn[0]);
        assertTrue(vsOwn[3] <= 1e-6, "25 frames of pre-roll: " + vsOwn[3]);
        assertTrue(vsOwn[4] <= 1e-6, "50 frames of pre-roll: " + vsOwn[4]);
    }

    @Test
    void seekBackwardsAfterReading() throws IOException {
        CountingSource source = new CountingSource(new FileByteSource(FULL.file(".ecdc")));
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            Samples.drain(decoder, 300_000);
            long back = 350_123;
            decoder.seek(back); // forward but past the pre-roll: reopens
            Samples.drain(decoder, 10_000);
            back = 123_457;
            int opens = source.opens;
            decoder.seek(back);
            float[] out = Samples.drain(decoder);
            assertEquals(opens + 1, source.opens, "a backward seek reopens the source");
            assertEquals(LENGTH - back, out.length);
            double error = Samples.maxError(Decoding.reference(FULL), (int) back, out);
            System.out.printf("24k seek backwards to %d: max error %.3g%n", back, error);
            assertTrue(error <= Decoding.TOLERANCE, "max error " + error);
        }
    }

    @Test
    void seekForwardALittleContinuesExactly() throws IOException {
        CountingSource source = new CountingSource(new FileByteSource(FULL.file(".ecdc")));
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            Samples.drain(decoder, 2 * 24_000);
            int opens = source.opens;
            long target = decoder.position() + 1001;
            decoder.seek(target);
            float[] out = Samples.drain(decoder, 3 * 24_000);
            decoder.seek(decoder.position() + 5 * 320 + 7);
            long second = decoder.position();
            float[] rest = Samples.drain(decoder);
            assertEquals(opens, source.opens, "a short forward seek reopened the source");
            assertEquals(LENGTH - second, rest.length);
            double error = Math.max(Samples.maxError(whole, (int) target, out),
                    Samples.maxError(whole, (int) second, rest));
            double vsReference = Math.max(Samples.maxError(Decoding.reference(FULL), (int) target, out),
                    Samples.maxError(Decoding.reference(FULL), (int) second, rest));
            System.out.printf("24k short forward seeks (continuation): max error %.3g vs reference, %.3g vs whole decode%n",
                    vsReference, error);
            assertTrue(error <= 1e-6, "continuation differs from the whole decode by " + error);
            assertTrue(vsReference <= Decoding.TOLERANCE, "max error " + vsReference);
        }
    }

    @Test
    void forwardOnlySourceSeeksForwardAndRefusesToGoBack() throws IOException {
        Decoding.assertSeeksForwardOnly(FULL, 1, 400_321, 1000);
    }

    private static float[] check(String kind, long sample, DecoderOptions options, double tolerance) throws IOException {
        try (EcdcDecoder decoder = Decoding.open(FULL, options)) {
            decoder.seek(sample);
            float[] out = Samples.drain(decoder);
            assertEquals(LENGTH - sample, out.length, "samples after " + sample);
            double error = Samples.maxError(Decoding.reference(FULL), (int) sample, out);
            System.out.printf("24k seek %-16s %6d: max error %.3g%n", kind, sample, error);
            assertTrue(error <= tolerance, kind + " seek to " + sample + ": max error " + error);
            return out;
        }
    }
}
