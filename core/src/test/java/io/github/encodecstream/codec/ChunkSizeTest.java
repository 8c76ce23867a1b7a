package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 24 kHz stream gives the same samples whatever the chunk size. */
class ChunkSizeTest {
    /** Chunk sizes in frames; {@link Integer#MAX_VALUE} decodes the whole file in one chunk. */
    static final int[] CHUNKS = {75, 7, 1, Integer.MAX_VALUE};
    static final double AGREEMENT = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"24k_full", "24k_bw6"})
    void chunkSizeChangesNothing(String name) throws IOException {
        Case c = ReferenceCases.named(name);
        float[] reference = Decoding.reference(c);
        int totalFrames = (int) ((c.length() + 319) / 320);
        Map<Integer, float[]> outputs = new LinkedHashMap<>();
        for (int chunk : CHUNKS) {
            List<Integer> sizes = new ArrayList<>();
            long t0 = System.nanoTime();
            float[] out;
            try (EcdcDecoder decoder = Decoding.open(c, ReferenceCases.options().withThreads(1).withChunkFrames(chunk))) {
                out = drainRecording(decoder, sizes);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double error = Samples.maxError(reference, 0, out);
            System.out.printf("chunk %-10s %-9s %5d reads %6.2f s, max error vs reference %.3g%n", label(chunk), name,
                    sizes.size(), seconds, error);
            assertEquals(c.length(), out.length, "samples");
            assertTrue(error <= Decoding.TOLERANCE, label(chunk) + ": max error vs reference " + error);
            // the option is honoured: the first chunk is at least 7 frames, the others exactly `chunk`
            int first = Math.min(Math.max(chunk, CausalFrameDecoder.MIN_FIRST_FRAMES), totalFrames);
            assertEquals(Math.min(first * 320L, c.length()), (long) sizes.get(0), "first chunk");
            int expectedReads = 1 + (totalFrames - first + chunk - 1) / chunk;
            assertEquals(expectedReads, sizes.size(), "reads");
            outputs.put(chunk, out);
        }
        double worst = 0;
        for (Map.Entry<Integer, float[]> a : outputs.entrySet()) {
            for (Map.Entry<Integer, float[]> b : outputs.entrySet()) {
                if (a.getKey() < b.getKey()) {
                    double d = Samples.maxError(a.getValue(), 0, b.getValue());
                    System.out.printf("chunk %s vs %s on %s: max difference %.3g%n", label(a.getKey()),
                            label(b.getKey()), name, d);
                    worst = Math.max(worst, d);
                }
            }
        }
        assertTrue(worst <= AGREEMENT, name + ": chunk sizes differ by " + worst);
    }

    private static float[] drainRecording(EcdcDecoder decoder, List<Integer> sizes) throws IOException {
        float[] out = new float[0];
        int n = 0;
        for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
            sizes.add(chunk.length);
            if (n + chunk.length > out.length) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, n + chunk.length));
            }
            System.arraycopy(chunk, 0, out, n, chunk.length);
            n += chunk.length;
        }
        return Arrays.copyOf(out, n);
    }

    private static String label(int chunk) {
        return chunk == Integer.MAX_VALUE ? "whole" : String.valueOf(chunk);
    }
}
