package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The models' CPU budget bounds the network runs of all their streams together. */
class RunBudgetTest {
    @Test
    void manyParallelStreamsRunNoMoreThanTheBudgetAtOnce() throws Exception {
        Case c = ReferenceCases.named("48k_bw3");
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
        Models models = Models.builder().store(store).device("cpu").threads(2).build();
        {
            DecoderOptions options = DecoderOptions.defaults().withModels(models).withThreads(2);
            float[] single = Decoding.decodeAll(c, options.withThreads(1));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<float[]>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) { // 4 streams x 2 threads: 8 runs would go at once without the limit
                    results.add(pool.submit(() -> {
                        start.await();
                        return Decoding.decodeAll(c, options);
                    }));
                }
                start.countDown();
                for (Future<float[]> f : results) {
                    assertArrayEquals(single, f.get(300, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2, models.runLimit().peak(), "runs at once");
        }
    }
}
