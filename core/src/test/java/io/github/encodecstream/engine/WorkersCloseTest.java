package io.github.encodecstream.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Workers#close()} returns at once; what the running tasks use is released after the last one. */
class WorkersCloseTest {
    @Test
    void closeDoesNotWaitForARunningTaskAndReleasesAfterIt() throws Exception {
        Workers workers = new Workers(1, "close-test");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean taskEnded = new AtomicBoolean();
        AtomicBoolean releasedAfterTheTask = new AtomicBoolean();
        CountDownLatch released = new CountDownLatch(1);
        Future<Integer> running = workers.submit(() -> {
            started.countDown();
            while (true) { // like a network run: deaf to interrupts
                try {
                    finish.await();
                    break;
                } catch (InterruptedException e) {
                    // keep running
                }
            }
            taskEnded.set(true);
            return 1;
        });
        Future<Integer> queued = workers.submit(() -> 2); // one thread: waits for the first
        assertTrue(started.await(5, TimeUnit.SECONDS));

        long start = System.nanoTime();
        workers.close(() -> {
            releasedAfterTheTask.set(taskEnded.get());
            released.countDown();
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, "close() took " + millis + " ms");
        assertEquals(1, released.getCount(), "not released while a task runs");
        assertTrue(running.isCancelled() && queued.isCancelled());
        assertThrows(InterruptedIOException.class, () -> Workers.await(running));

        finish.countDown();
        assertTrue(released.await(5, TimeUnit.SECONDS), "released once the task ended");
        assertTrue(releasedAfterTheTask.get());
        assertTrue(workers.submit(() -> 4).isCancelled(), "closed workers take no more tasks");
    }

    @Test
    void withNothingRunningTheReleaseIsImmediate() {
        Workers workers = new Workers(1, "close-test");
        AtomicInteger released = new AtomicInteger();
        workers.close(released::incrementAndGet);
        assertEquals(1, released.get());
        workers.close();
        assertFalse(released.get() > 1);
    }
}
