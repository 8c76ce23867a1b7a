package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Encoding 48 kHz segments on several threads writes the file one thread writes, byte for byte. */
class ParallelEncodeTest {
    static Stream<Case> cases48k() {
        return ReferenceCases.nonLm().filter(c -> c.model().equals("encodec_48khz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases48k")
    void segmentsInParallelGiveTheSameFile(Case c) throws IOException {
        float[] input = Encoding.input(c);
        byte[] sequential = Encoding.encode(input, Encoding.options(c).withThreads(1));
        assertArrayEquals(Files.readAllBytes(c.ecdc()), sequential, c.name() + ": the reference's file");
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(sequential, Encoding.encode(input, Encoding.options(c).withThreads(threads)),
                    c.name() + " at " + threads + " threads");
        }
    }

    @Test
    void closingWithoutFinishingStopsTheWorkers() throws Exception {
        Case c = ReferenceCases.named("48k_full");
        float[] input = Encoding.input(c);
        EcdcEncoder encoder = EcdcEncoder.create(new ByteArrayOutputStream(), Encoding.options(c).withThreads(4));
        encoder.write(input, 0, input.length / 2 / 2);
        assertTrue(workerThreads() > 0, "workers started");
        encoder.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (workerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, workerThreads(), "workers still running after close");
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("encodec-encode-") && t.isAlive()).count();
    }
}
