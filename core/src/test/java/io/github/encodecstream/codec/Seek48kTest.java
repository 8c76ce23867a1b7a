package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeking in a 48 kHz file (segments of 48000 every 47520 samples, overlap 480). */
class Seek48kTest {
    static final int STRIDE = 47_520;
    static final Case FULL = ReferenceCases.named("48k_full");
    static final long LENGTH = FULL.length();

    static Stream<Arguments> targets() {
        Random random = new Random(48_000);
        return Stream.of(
                Arguments.of("start", 0L),
                Arguments.of("boundary", (long) STRIDE),
                Arguments.of("boundary", 2L * STRIDE),
                Arguments.of("boundary", 13L * STRIDE),
                Arguments.of("overlap", STRIDE + 100L),
                Arguments.of("overlap", 2L * STRIDE + 479),
                Arguments.of("after overlap", 2L * STRIDE + 480),
                Arguments.of("random", (long) random.nextInt((int) LENGTH)),
                Arguments.of("random", (long) random.nextInt((int) LENGTH)),
                Arguments.of("random", (long) random.nextInt((int) LENGTH)),
                Arguments.of("last sample", LENGTH - 1),
                Arguments.of("end", LENGTH));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void seekThenReadToTheEndMatchesReference(String kind, long sample) throws IOException {
        try (EcdcDecoder decoder = Decoding.open(FULL)) {
            decoder.seek(sample);
            assertEquals(sample, decoder.position());
            float[] out = Samples.drain(decoder);
            assertEquals((LENGTH - sample) * 2, out.length, "samples after " + sample);
            assertEquals(LENGTH, decoder.position());
            if (sample == LENGTH) {
                assertNull(decoder.read());
                return;
            }
            double error = Samples.maxError(Decoding.reference(FULL), (int) (sample * 2), out);
            System.out.printf("48k seek %-13s %6d: max error %.3g%n", kind, sample, error);
            assertTrue(error <= Decoding.TOLERANCE, "seek to " + sample + ": max error " + error);
        }
    }

    @Test
    void seekBackwardsAfterReading() throws IOException {
        CountingSource source = new CountingSource(new FileByteSource(FULL.file(".ecdc")));
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            Samples.drain(decoder, 3L * STRIDE * 2);
            long back = STRIDE * 11L + 250; // inside the overlap of segments 10 and 11
            decoder.seek(back);
            float[] out = Samples.drain(decoder);
            assertEquals((LENGTH - back) * 2, out.length);
            double error = Samples.maxError(Decoding.reference(FULL), (int) (back * 2), out);
            System.out.printf("48k seek backwards to %d after %d: max error %.3g%n", back, 3L * STRIDE, error);
            assertTrue(error <= Decoding.TOLERANCE, "max error " + error);
            decoder.seek(1000);
            out = Samples.drain(decoder, 2 * 2 * STRIDE);
            error = Samples.maxError(Decoding.reference(FULL), 2000, out);
            System.out.printf("48k seek backwards to 1000 after the end: max error %.3g%n", error);
            assertTrue(error <= Decoding.TOLERANCE, "max error " + error);
        }
    }

    @Test
    void seekForwardALittleContinuesTheStream() throws IOException {
        CountingSource source = new CountingSource(new FileByteSource(FULL.file(".ecdc")));
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            decoder.seek(10L * STRIDE);
            Samples.drain(decoder, 1); // segment 9 (empty) and 10 are decoded, 11's overlap is held
            long at = decoder.position();
            assertEquals(11L * STRIDE, at);
            int opens = source.opens;
            float[] reference = Decoding.reference(FULL);
            // into the held overlap
            decoder.seek(at + 100);
            float[] first = decoder.read();
            assertEquals(opens, source.opens, "a short forward seek reopened the source");
            double error = Samples.maxError(reference, (int) (at + 100) * 2, first);
            // past the next overlap, inside the next segment
            decoder.seek(decoder.position() + 1000);
            float[] rest = Samples.drain(decoder);
            assertEquals(opens, source.opens, "a short forward seek reopened the source");
            assertEquals((LENGTH - 12L * STRIDE - 1000) * 2, rest.length);
            error = Math.max(error, Samples.maxError(reference, (int) (12L * STRIDE + 1000) * 2, rest));
            System.out.printf("48k short forward seeks (continuation): max error %.3g%n", error);
            assertTrue(error <= Decoding.TOLERANCE, "max error " + error);
        }
    }

    @Test
    void forwardOnlySourceSeeksForwardAndRefusesToGoBack() throws IOException {
        Decoding.assertSeeksForwardOnly(FULL, 2, 12L * STRIDE + 300, STRIDE);
    }
}
