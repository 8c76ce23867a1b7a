package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.engine.DecoderModel;
import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.engine.RunLimit;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Closing {@link Models} frees their networks and fails the streams still using them with an
 * {@link IllegalStateException}, quickly, without crashing the JVM under a run in flight.
 */
class ModelsCloseTest {
    /** How long the streams still running may take to fail after close returned. */
    private static final long FAIL_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static Models newModels() {
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
        return Models.builder().store(store).device("cpu").threads(2).build();
    }

    @Test
    void closingMidDecodeFailsTheDecoderAndFreesTheNetwork48k() throws Exception {
        closeMidDecode("48k_full", ModelFamily.ENCODEC_48KHZ);
    }

    @Test
    void closingMidDecodeFailsTheDecoderAndFreesTheNetwork24k() throws Exception {
        closeMidDecode("24k_full", ModelFamily.ENCODEC_24KHZ);
    }

    private void closeMidDecode(String name, ModelFamily family) throws Exception {
        Models models = newModels();
        DecoderOptions options = DecoderOptions.defaults().withModels(models);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Long> failedAt = new CompletableFuture<>();
        Thread reader = untilFailure("close-test-reader", failedAt, () -> {
            try (EcdcDecoder decoder = Decoding.open(ReferenceCases.named(name), options)) {
                while (decoder.read() != null) {
                    started.countDown();
                }
            }
        });
        assertTrue(started.await(120, TimeUnit.SECONDS), "the decode started");
        DecoderModel decoder = models.decoder(family);

        long closedAt = closeTimed(models);

        assertFailedSoonAfter(failedAt, closedAt);
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the reader ended");
        assertReleased(models, decoder::closed);
        assertThrows(IllegalStateException.class, () -> models.decoder(family), "loading after close");
        assertThrows(IllegalStateException.class, () -> Decoding.decodeAll(ReferenceCases.named(name), options));
        models.close(); // again: nothing
    }

    @Test
    void closingMidEncodeFailsTheEncoderAndFreesTheNetwork() throws Exception {
        Models models = newModels();
        EncoderOptions options = EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6).withModels(models);
        CountDownLatch started = new CountDownLatch(3);
        CompletableFuture<Long> failedAt = new CompletableFuture<>();
        Thread writer = untilFailure("close-test-writer", failedAt, () -> {
            float[] second = new float[48_000 * 2];
            try (EcdcEncoder encoder = EcdcEncoder.create(new ByteArrayOutputStream(), options)) {
                for (int s = 0; s < 600; s++) { // 10 minutes: far longer than the test waits
                    for (int i = 0; i < second.length; i++) {
                        second[i] = (float) (0.3 * Math.sin((s * 48_000 + i / 2) * 0.05) + 0.01 * ((i * 7919) % 13 - 6));
                    }
                    encoder.write(second, 0, 48_000);
                    started.countDown();
                }
            }
        });
        assertTrue(started.await(120, TimeUnit.SECONDS), "the encode started");
        EncoderModel encoder = models.encoder(ModelFamily.ENCODEC_48KHZ);

        long closedAt = closeTimed(models);

        assertFailedSoonAfter(failedAt, closedAt);
        writer.join(5_000);
        assertFalse(writer.isAlive(), "the writer ended");
        assertReleased(models, encoder::closed);
        assertThrows(IllegalStateException.class, () -> models.encoder(ModelFamily.ENCODEC_48KHZ), "loading after close");
        assertThrows(IllegalStateException.class, () -> EcdcEncoder.create(new ByteArrayOutputStream(), options));
        models.close();
    }

    @Test
    void closingUnusedModelsRefusesLoadsAndRuns() throws Exception {
        Models models = newModels();
        models.close();
        models.close();
        assertTrue(models.isClosed());
        assertThrows(IllegalStateException.class, () -> models.decoder(ModelFamily.ENCODEC_48KHZ));
        assertThrows(IllegalStateException.class, () -> models.lm(ModelFamily.ENCODEC_48KHZ, 4));
        assertThrows(IllegalStateException.class, () -> models.runLimit().acquire());
    }

    @Test
    void aRunWaitingForAPermitFailsWhenClosed() throws Exception {
        RunLimit limit = new RunLimit(1);
        RunLimit.Permit held = limit.acquire();
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                limit.acquire().close();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(100);
        boolean[] released = new boolean[1];
        assertFalse(limit.close(50, () -> released[0] = true), "a run in flight: the release waits for it");
        assertFalse(released[0]);
        held.close();
        assertTrue(released[0], "released by the last run");
        assertTrue(waiter.get(5, TimeUnit.SECONDS) instanceof IllegalStateException, "the waiting run fails");
        assertFalse(limit.close(0, () -> { throw new AssertionError("released twice"); }));
    }

    @Test
    void theSharedModelsCannotBeClosed() {
        Models shared = Models.shared();
        assertThrows(UnsupportedOperationException.class, shared::close);
        assertFalse(shared.isClosed());
        assertSame(shared, Models.shared(), "the same settings: the same models");
        Models mine = newModels();
        mine.close(); // built by the caller: the caller's to close
        assertTrue(mine.isClosed());
    }

    @Test
    void sharedModelsAreKeyedByEveryStoreSettingAndTheInferenceSettings() {
        ModelStore.Builder store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true)
                .baseUri(java.net.URI.create("http://127.0.0.1:9/"));
        Models a = Models.builder().store(store.build()).device("cpu").threads(2).shared();
        assertSame(a, Models.builder().store(store.build()).device("cpu").threads(2).shared(), "an equal store");
        assertNotSame(a, Models.builder().store(store.allowHttp(true).build()).device("cpu").threads(2).shared(),
                "a store that allows http");
        assertNotSame(a, Models.builder().store(store.allowHttp(false).build()).device("cpu").threads(1).shared(),
                "other threads");
        assertThrows(UnsupportedOperationException.class, a::close);
    }

    /** A stream's work, run until it fails. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * Starts a thread running {@code work}; {@code failedAt} gets when it failed with the closed
     * models' exception, or an error when it failed otherwise or did not fail.
     */
    private static Thread untilFailure(String name, CompletableFuture<Long> failedAt, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
                failedAt.completeExceptionally(new AssertionError("the stream ended before close"));
            } catch (Throwable e) {
                failedAt.complete(System.nanoTime());
                failure(e, failedAt);
            }
        }, name);
        thread.start();
        return thread;
    }

    /** Closes {@code models}, checking it returns within 2 s; returns when it returned. */
    private static long closeTimed(Models models) {
        long t0 = System.nanoTime();
        models.close();
        long closedAt = System.nanoTime();
        assertTrue(closedAt - t0 < TimeUnit.MILLISECONDS.toNanos(2_000),
                "close took " + (closedAt - t0) / 1_000_000 + " ms");
        return closedAt;
    }

    private static void assertFailedSoonAfter(CompletableFuture<Long> failedAt, long closedAt) throws Exception {
        long at = failedAt.get(5, TimeUnit.SECONDS);
        assertTrue(at - closedAt < FAIL_WITHIN_NANOS, "failed " + (at - closedAt) / 1_000_000 + " ms after close");
    }

    /** The stream's exception must be (or be caused by) the closed models' IllegalStateException. */
    private static void failure(Throwable e, CompletableFuture<Long> failedAt) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && "models closed".equals(t.getMessage())) {
                return;
            }
        }
        failedAt.obtrudeException(new AssertionError("not the closed models' IllegalStateException", e));
    }

    /** The network's sessions are closed within 2 s (at once, or by the last run in flight). */
    private static void assertReleased(Models models, BooleanSupplier closed) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!closed.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(closed.getAsBoolean(), "the network's sessions were closed");
        assertTrue(models.isClosed());
        assertTrue(models.runLimit().closed());
    }
}
