package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding on several threads gives what one thread gives: 48 kHz bit for bit. */
class ParallelDecodeTest {
    private static final int[] THREADS = {2, 3, 8};

    static Stream<Case> cases48k() {
        return ReferenceCases.nonLm().filter(c -> c.model().equals("encodec_48khz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases48k")
    void segmentsInParallelAreBitIdentical(Case c) throws IOException {
        float[] sequential = Decoding.decodeAll(c, ReferenceCases.options().withThreads(1));
        for (int threads : THREADS) {
            float[] parallel = Decoding.decodeAll(c, ReferenceCases.options().withThreads(threads));
            assertArrayEquals(sequential, parallel, c.name() + " at " + threads + " threads");
        }
    }

    static Stream<Case> cases24k() {
        return ReferenceCases.nonLm().filter(c -> c.model().equals("encodec_24khz"));
    }

    /** 24 kHz spans pre-rolled in parallel stay within 1e-5 of the one stream (and of the reference). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases24k")
    void spansInParallelMatchTheStream(Case c) throws IOException {
        float[] sequential = Decoding.decodeAll(c, ReferenceCases.options().withThreads(1));
        for (int threads : THREADS) {
            float[] parallel = Decoding.decodeAll(c, ReferenceCases.options().withThreads(threads));
            assertEquals(sequential.length, parallel.length);
            double error = Samples.maxError(sequential, 0, parallel);
            System.out.printf("parallel 24k %-12s %d threads: max difference %.3g%n", c.name(), threads, error);
            assertTrue(error <= 1e-5, c.name() + " at " + threads + " threads: " + error);
        }
    }

    /**
     * With a pre-roll too short for the state to settle, spans are decoded again from the true
     * state: the result is still the stream's.
     */
    @Test
    void unsettledSpansAreDecodedAgain() throws IOException {
        Case c = ReferenceCases.named("24k_full");
        float[] sequential = Decoding.decodeAll(c, ReferenceCases.options().withThreads(1));
        DecoderOptions shortPreroll = ReferenceCases.options().withThreads(3).withPrerollFrames(0);
        try (EcdcDecoder decoder = Decoding.open(c, shortPreroll)) {
            float[] parallel = Samples.drain(decoder);
            long[] counts = ((CausalPath) decoder.path()).spanCounts();
            System.out.printf("24k_full, pre-roll 7 frames: %d spans kept, %d decoded again%n", counts[0], counts[1]);
            assertTrue(counts[1] > 0, "no span was decoded again");
            assertTrue(Samples.maxError(sequential, 0, parallel) <= 1e-5);
        }
        try (EcdcDecoder decoder = Decoding.open(c, ReferenceCases.options().withThreads(3))) {
            Samples.drain(decoder);
            long[] counts = ((CausalPath) decoder.path()).spanCounts();
            System.out.printf("24k_full, default pre-roll: %d spans kept, %d decoded again%n", counts[0], counts[1]);
            assertTrue(counts[0] > 0, "the default pre-roll settles no span on the test weights");
        }
    }

    @Test
    void seeksInParallel() throws IOException {
        Case c = ReferenceCases.named("48k_full");
        float[] sequential = Decoding.decodeAll(c, ReferenceCases.options().withThreads(1));
        try (EcdcDecoder decoder = Decoding.open(c, ReferenceCases.options().withThreads(3))) {
            for (long target : new long[] {200_000, 47_620, 600_000, 0}) {
                decoder.seek(target);
                float[] got = Samples.drain(decoder, 2L * 100_000);
                float[] expected = Arrays.copyOfRange(sequential, (int) target * 2, (int) target * 2 + got.length);
                assertArrayEquals(expected, got, "from " + target);
            }
        }
    }

    /** Forward seeks on a forward-only source, also into the segments and spans already read ahead. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"48k_full", "24k_full"})
    void forwardSeeksOnAForwardOnlySource(String name) throws IOException {
        Case c = ReferenceCases.named(name);
        int channels = c.channels();
        float[] sequential = Decoding.decodeAll(c, ReferenceCases.options().withThreads(1));
        try (EcdcDecoder decoder = EcdcDecoder.open(
                new io.github.encodecstream.source.StreamByteSource(Files.newInputStream(c.ecdc())),
                ReferenceCases.options().withThreads(3))) {
            long at = 0;
            for (long step : new long[] {1000, 30_000, 100_000, 5, 200_000}) {
                at = Math.min(at + step, c.length() - 1000);
                decoder.seek(at);
                float[] got = Samples.drain(decoder, 1000L * channels);
                float[] expected = Arrays.copyOfRange(sequential, (int) at * channels, (int) at * channels + got.length);
                assertTrue(Samples.maxError(expected, 0, got) <= 1e-5, name + " from " + at);
                at = decoder.position();
            }
        }
    }

    @Test
    void cutFileDeliversTheSameAudioThenTheError() throws IOException {
        Case c = ReferenceCases.named("48k_full");
        byte[] bytes = Files.readAllBytes(c.ecdc());
        byte[] cut = Arrays.copyOf(bytes, 5748);
        float[] sequential;
        TruncatedEcdcException expected;
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(cut),
                ReferenceCases.options().withThreads(1))) {
            sequential = Samples.drain(decoder, 2L * 333_120);
            expected = assertThrows(TruncatedEcdcException.class, decoder::read);
        }
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(cut),
                ReferenceCases.options().withThreads(4))) {
            assertArrayEquals(sequential, Samples.drain(decoder, 2L * 333_120));
            TruncatedEcdcException e = assertThrows(TruncatedEcdcException.class, decoder::read);
            assertEquals(expected.getMessage(), e.getMessage());
        }
    }

    @Test
    void closingStopsTheWorkers() throws Exception {
        Case c = ReferenceCases.named("48k_full");
        EcdcDecoder decoder = Decoding.open(c, ReferenceCases.options().withThreads(4));
        decoder.read();
        assertTrue(Decoding.threadsNamed("encodec-segments-") > 0, "workers started");
        decoder.close();
        assertEquals(0, Decoding.awaitNoThreads("encodec-segments-"), "workers still running after close");
    }

}
