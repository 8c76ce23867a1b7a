package io.github.encodecstream.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.checkpoint.TorchCheckpoint;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.runtime.SessionFactory;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quantiser graph against the plain Java statement of the rule ({@link Codebooks#encode}). */
class QuantizerGraphTest {
    private static final SessionFactory SESSIONS = new SessionFactory(new InferenceSettings(Device.CPU, 1));

    static int[] run(Codebooks books, int nc, float[] embedding, int steps) throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = SESSIONS.create(QuantizerGraph.build(books, nc));
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(embedding), new long[] {1, books.dimension(), steps});
             OrtSession.Result result = session.run(Map.of(QuantizerGraph.INPUT, x))) {
            OnnxTensor codes = (OnnxTensor) result.get(QuantizerGraph.OUTPUT).orElseThrow();
            assertArrayEquals(new long[] {nc, steps}, codes.getInfo().getShape());
            LongBuffer b = codes.getLongBuffer();
            int[] out = new int[b.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) b.get();
            }
            return out;
        }
    }

    @Test
    void agreesWithTheJavaRuleOnTheModelsCodebooks() throws Exception {
        Codebooks books = Codebooks.read(TorchCheckpoint.read(ReferenceData.file("models/encodec_24khz-random.th")));
        int steps = 40;
        int nc = 8;
        Random random = new Random(7);
        float[] embedding = new float[books.dimension() * steps];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) (random.nextGaussian() * 3);
        }
        int[] graph = run(books, nc, embedding, steps);
        int[] java = books.encode(embedding, steps, nc);
        int same = 0;
        for (int i = 0; i < graph.length; i++) {
            same += graph[i] == java[i] ? 1 : 0;
        }
        System.out.printf("quantizer graph vs Java: %d/%d codes equal%n", same, graph.length);
        assertTrue(same >= 0.999 * graph.length, same + " of " + graph.length);
    }

    @Test
    void takesTheFirstEntryOnTiesAndSubtractsTheChosenEntry() throws Exception {
        int dim = 4;
        // entries 1 and 3 are equal; the input is that entry, so both are at distance 0
        float[] first = {
            9, 9, 9, 9,
            1, 2, 3, 4,
            -5, 0, 0, 0,
            1, 2, 3, 4,
        };
        float[] second = {
            0, 0, 0, 0,
            0.5f, 0, 0, 0,
            0, 0, 0, 0.25f,
            0, 0, 0, 0,
        };
        Codebooks books = Codebooks.of(new float[][] {first, second}, dim);
        // one step: [1, 2, 3, 4.25] → entry 1 (first of the tie 1/3 up to 0.25), residual [0,0,0,0.25] → entry 2
        float[] embedding = {1, 2, 3, 4.25f};
        int[] expected = {1, 2};
        assertArrayEquals(expected, books.encode(embedding, 1, 2));
        assertArrayEquals(expected, run(books, 2, embedding, 1));
        assertArrayEquals(new int[] {1}, run(books, 1, embedding, 1));
    }

    @Test
    void rejectsMoreCodebooksThanTheModelHas() {
        Codebooks books = Codebooks.of(new float[][] {{0, 0}}, 2);
        assertThrows(IllegalArgumentException.class, () -> QuantizerGraph.build(books, 2));
        assertThrows(IllegalArgumentException.class, () -> books.encode(new float[2], 1, 2));
        assertEquals(1, books.bins());
    }
}
