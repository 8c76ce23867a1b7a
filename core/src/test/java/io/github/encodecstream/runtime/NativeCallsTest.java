package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A gate of its own in each test: the process's one is drained only when the process ends. */
class NativeCallsTest {
    @Test
    void drainWaitsForTheRunningCallsAndRefusesNewOnes() throws Exception {
        NativeCalls gate = new NativeCalls();
        NativeCalls.Call running = gate.begin();
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> gate.drainCalls(10_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!gate.closed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(gate.closed(), "closed as soon as drain is called");
        InterruptedIOException refused = assertThrows(InterruptedIOException.class, gate::begin);
        assertTrue(refused.getMessage().contains("no new ONNX Runtime call"), refused.getMessage());
        Thread.sleep(100);
        assertFalse(drained.isDone(), "drain returned while a call was running");
        running.close();
        assertTrue(drained.get(10, TimeUnit.SECONDS));
    }

    @Test
    void drainGivesUpAfterItsTime() {
        NativeCalls gate = new NativeCalls();
        try (NativeCalls.Call stuck = gate.begin()) {
            long t0 = System.nanoTime();
            assertFalse(gate.drainCalls(200));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= 150 && waited < 5000, waited + " ms");
        } catch (InterruptedIOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCallClosedTwiceEndsOnce() throws Exception {
        NativeCalls gate = new NativeCalls();
        NativeCalls.Call first = gate.begin();
        NativeCalls.Call second = gate.begin();
        first.close();
        first.close();
        assertFalse(gate.drainCalls(50), "the second call still runs");
        second.close();
        assertTrue(gate.drainCalls(0));
    }

    @Test
    void releasesRunUntilDrainedThenNoMore() throws Exception {
        NativeCalls gate = new NativeCalls();
        AtomicInteger released = new AtomicInteger();
        gate.releaseUnlessClosed(released::incrementAndGet);
        assertEquals(1, released.get());
        assertTrue(gate.drainCalls(0));
        gate.releaseUnlessClosed(released::incrementAndGet);
        assertEquals(1, released.get(), "no native release once drained: the memory goes with the process");
    }

    @Test
    void aReleaseCountsAsACallWhileItRuns() throws Exception {
        NativeCalls gate = new NativeCalls();
        gate.releaseUnlessClosed(() -> assertFalse(gate.drainCalls(20), "drained while a release ran"));
        assertTrue(gate.drainCalls(0));
    }
}
