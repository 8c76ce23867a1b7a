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
        assertTrue(Decoding.threadsNamed("encodec-encode-") > 0, "workers started");
        encoder.close();
        assertEquals(0, Decoding.awaitNoThreads("encodec-encode-"), "workers still running after close");
    }
}
