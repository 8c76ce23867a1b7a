package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoders of one file running in parallel share the networks and give the same samples as one alone. */
class DecoderSharingTest {
    static final int THREADS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"24k_bw6", "48k_bw3"})
    void parallelDecodersMatchASingleOne(String name) throws Exception {
        Case c = ReferenceCases.named(name);
        // small chunks: the streams interleave many runs of the shared sessions
        DecoderOptions options = ReferenceCases.options().withChunkFrames(25);
        float[] single = Decoding.decodeAll(c, options);
        ModelFamily family = ModelFamily.fromName(c.model()).orElseThrow();
        assertSame(options.models().orElseThrow().decoder(family), options.models().orElseThrow().decoder(family));

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Decoding.decodeAll(c, options);
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<float[]> f : results) {
                assertArrayEquals(single, f.get(120, TimeUnit.SECONDS), name + ": a parallel decode differs");
            }
            System.out.printf("%s: %d parallel decoders identical to a single one (%.2f s)%n", name, THREADS,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
