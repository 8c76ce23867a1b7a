package io.github.encodecstream.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serialising graphs: {@link OnnxGraphBuilder#build()} and {@link OnnxGraphBuilder#write}, inline and with external data. */
class OnnxGraphBuilderTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int N = 60;

    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** y = x · W + b, with W [N, N] (14 400 bytes: external) and b from two pieces of an array (inline: small). */
    private static OnnxGraphBuilder affine(float[] w, float[] bias) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("affine");
        String x = g.input("x", ElementType.FLOAT, 1L, (long) N);
        String weight = g.constant("w", w, N, N);
        String b = g.constant("b", List.of(new TensorData.Piece(bias, N / 2, N / 2), new TensorData.Piece(bias, 0, N / 2)),
                N);
        String shape = g.vector(1, N);
        String y = g.node("Add", List.of(g.node("MatMul", List.of(x, weight)), b));
        g.node("Reshape", List.of(y, shape), List.of("y"));
        g.output("y", ElementType.FLOAT, 1L, (long) N);
        return g;
    }

    private static float[] run(OrtSession session, float[] x) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, new float[][] {x});
             OrtSession.Result result = session.run(Map.of("x", in))) {
            return ((float[][]) result.get(0).getValue())[0];
        }
    }

    @Test
    void writeInlineIsBuild() throws IOException {
        OnnxGraphBuilder g = affine(random(N * N, 1), random(N, 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        g.write(out, null);
        assertArrayEquals(g.build(), out.toByteArray());
    }

    @Test
    void externalDataGivesTheSameResultsAndIsWrittenOnce() throws Exception {
        float[] w = random(N * N, 3);
        float[] bias = random(N, 4);
        float[] x = random(N, 5);
        OnnxGraphBuilder g = affine(w, bias);
        float[] expected;
        try (OrtSession fromBytes = ENV.createSession(g.build(), new OrtSession.SessionOptions())) {
            expected = run(fromBytes, x);
        }
        // the bias pieces reorder the halves of the array
        float[] plain = new float[N];
        for (int i = 0; i < N; i++) {
            double sum = 0;
            for (int k = 0; k < N; k++) {
                sum += (double) x[k] * w[k * N + i];
            }
            plain[i] = (float) sum + bias[(i + N / 2) % N];
        }
        for (int i = 0; i < N; i++) {
            assertEquals(plain[i], expected[i], 1e-4f, "y[" + i + "]");
        }
        Path weights = dir.resolve("weights.bin");
        try (ExternalData data = new ExternalData(weights)) {
            write(g, dir.resolve("a.onnx"), data);
            long once = data.size();
            assertEquals((long) N * N * Float.BYTES, once, "only W is external");
            write(affine(w, bias), dir.resolve("b.onnx"), data); // the same array
            write(affine(w.clone(), bias), dir.resolve("c.onnx"), data); // the same bytes
            assertEquals(once, data.size(), "equal tensors are written once");
            float[] other = w.clone();
            other[N * N - 1] += 1;
            write(affine(other, bias), dir.resolve("d.onnx"), data);
            long page = ExternalData.ALIGNMENT;
            assertEquals((once + page - 1) / page * page + once, data.size(), "another tensor starts at the next page");
        }
        assertEquals(4 * ExternalData.ALIGNMENT + (long) N * N * Float.BYTES, Files.size(weights));
        for (String name : new String[] {"a.onnx", "b.onnx", "c.onnx"}) {
            try (OrtSession fromFile = ENV.createSession(dir.resolve(name).toString(), new OrtSession.SessionOptions())) {
                assertArrayEquals(expected, run(fromFile, x), name);
            }
        }
        assertTrue(Files.size(dir.resolve("a.onnx")) < 2048, "the model file holds no weights");
    }

    private static void write(OnnxGraphBuilder g, Path file, ExternalData data) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            g.write(out, data);
        }
    }
}
