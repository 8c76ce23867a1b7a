package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.format.TruncatedEcdcException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Entropy-coded files cut short: the audio and codes before the cut are delivered, then the cut is
 * thrown by every later read, also after a seek near it and with records LM-decoded ahead on workers
 * (before: a 24 kHz decoder spun forever, a 48 kHz one threw NullPointerException, and a block of codes
 * crossing into the cut chunk lost its steps).
 */
class LmCutTest {
    @ParameterizedTest
    @CsvSource({"ENCODEC_24KHZ, 1", "ENCODEC_24KHZ, 2", "ENCODEC_48KHZ, 1", "ENCODEC_48KHZ, 2"})
    void aSeekNearTheCutThrowsTheCutAgain(ModelFamily family, int threads) throws Exception {
        boolean f48 = family == ModelFamily.ENCODEC_48KHZ;
        byte[] coded = LmDamageTest.encode(family, f48 ? 48_000 * 6 : 24_000 * 16, true);
        byte[] cut = Arrays.copyOf(coded, coded.length * 2 / 3);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (EcdcDecoder d = EcdcDecoder.open(Decoding.CountingSource.of(cut),
                    DecoderOptions.defaults().withModels(LmDamageTest.models()).withThreads(threads))) {
                long samples = 0;
                try {
                    for (float[] b = d.read(); b != null; b = d.read()) {
                        samples += b.length;
                    }
                    throw new AssertionError("the cut file decoded to its end");
                } catch (TruncatedEcdcException expected) {
                    // the audio up to the cut came first
                }
                assertEquals(d.position() * family.channels(), samples);
                d.seek(d.position());
                assertThrows(TruncatedEcdcException.class, d::read);
                assertThrows(TruncatedEcdcException.class, d::read);
            }
        });
    }

    @Test
    void aBlockCrossingIntoACutChunkKeepsItsStepsAndThenThrows() throws Exception {
        Models models = LmDamageTest.models();
        byte[] coded = LmDamageTest.encode(ModelFamily.ENCODEC_24KHZ, 3 * 120_000, true);
        EcdcHeader h = EcdcHeader.read(new ByteArrayInputStream(coded));
        byte[] cut = Arrays.copyOf(coded, (int) h.frameDataOffset() + h.lmIndex().length(0) + 5); // inside chunk 1
        for (int max : new int[] {37, 1000}) {
            try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(cut), models)) {
                int steps = 0;
                for (EcdcCodes.Block b = codes.read(max); b != null; b = codes.read(max)) {
                    assertEquals(steps, b.firstStep());
                    steps += b.steps();
                    if (steps > 375) {
                        throw new AssertionError("steps past the cut chunk: " + steps);
                    }
                    if (steps == 375) {
                        break;
                    }
                }
                assertEquals(375, steps, "chunk 0 whole (max " + max + ")");
                assertThrows(TruncatedEcdcException.class, () -> codes.read(max));
                assertThrows(TruncatedEcdcException.class, () -> codes.read(max));
            }
        }
    }

    @Test
    void aCut48kHzSegmentIsThrownByEveryLaterRead() throws Exception {
        byte[] coded = LmDamageTest.encode(ModelFamily.ENCODEC_48KHZ, 48_000 * 4, true);
        byte[] cut = Arrays.copyOf(coded, coded.length * 2 / 3);
        try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(cut), LmDamageTest.models())) {
            int steps = 0;
            try {
                for (EcdcCodes.Block b = codes.read(1000); b != null; b = codes.read(1000)) {
                    steps += b.steps();
                }
                throw new AssertionError("the cut file read to its end");
            } catch (TruncatedEcdcException expected) {
                // the segments before the cut came first
            }
            assertTrue(steps >= 150, "whole segments before the cut: " + steps);
            assertThrows(TruncatedEcdcException.class, () -> codes.read(1000));
            assertThrows(TruncatedEcdcException.class, () -> codes.read(1000));
        }
    }
}
