package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoderPoolTest {
    @Test
    void oneThreadReusesOneCoderEvenAfterAFailure() {
        AtomicInteger made = new AtomicInteger();
        CoderPool<Object> pool = new CoderPool<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        Object first = pool.with(c -> c);
        assertThrows(IllegalStateException.class, () -> pool.with(c -> {
            throw new IllegalStateException("work failed");
        }));
        assertSame(first, pool.with(c -> c));
        assertEquals(1, made.get());
    }

    @Test
    void threadsCodingAtOnceGetACoderEach() throws Exception {
        CoderPool<Object> pool = new CoderPool<>(Object::new);
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Object> a = threads.submit(() -> pool.with(c -> holdUntilBoth(c, both)));
            Future<Object> b = threads.submit(() -> pool.with(c -> holdUntilBoth(c, both)));
            assertNotSame(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    private static Object holdUntilBoth(Object coder, CountDownLatch both) {
        both.countDown();
        try {
            if (!both.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other thread never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return coder;
    }
}
