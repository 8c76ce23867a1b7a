package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Network runs reuse their direct input buffers: decoding again creates no direct buffers (ONNX
 * Runtime copies a heap buffer into a new direct one on every run, native memory that only a
 * garbage collection frees), and the samples stay the same.
 */
class DirectBufferTest {
    @ParameterizedTest
    @ValueSource(strings = {"24k_bw6", "48k_bw3"})
    void decodingAgainAllocatesNoDirectBuffers(String name) throws Exception {
        Case c = ReferenceCases.named(name);
        DecoderOptions options = ReferenceCases.options().withChunkFrames(25).withThreads(1);
        float[] first = Decoding.decodeAll(c, options); // models loaded, buffers made
        long before = directBuffers();
        float[] again = null;
        for (int i = 0; i < 3; i++) {
            again = Decoding.decodeAll(c, options);
        }
        long after = directBuffers();
        assertArrayEquals(first, again);
        // a handful for the sources; one per network run (dozens here) before the change
        assertTrue(after - before <= 8, name + ": " + (after - before) + " direct buffers made by three decodes");
    }

    private static long directBuffers() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getCount).sum();
    }
}
