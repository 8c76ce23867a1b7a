package io.github.encodecstream.codec;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Batch coders ({@link io.github.encodecstream.entropy.LmBatchEncoder},
 * {@link io.github.encodecstream.entropy.LmBatchDecoder}: each holds megabytes of LM state) lent to
 * one thread at a time, so that there is one per thread coding at once: {@link #with} takes a free
 * one, or makes one when none is free, and gives it back after the work. Thread-safe.
 *
 * @param <C> the coder
 */
final class CoderPool<C> {
    private final ConcurrentLinkedQueue<C> free = new ConcurrentLinkedQueue<>();
    private final Supplier<C> make;

    /** A pool that makes its coders with {@code make}, when first needed. */
    CoderPool(Supplier<C> make) {
        this.make = make;
    }

    /** Runs {@code work} with a coder of the pool on this thread; the coder is free again after it. */
    <R> R with(Function<C, R> work) {
        C coder = free.poll();
        if (coder == null) {
            coder = make.get();
        }
        try {
            return work.apply(coder);
        } finally {
            free.add(coder);
        }
    }
}
