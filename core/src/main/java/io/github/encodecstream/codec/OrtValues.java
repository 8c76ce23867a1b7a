package io.github.encodecstream.codec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Copies of ONNX Runtime outputs into Java arrays, for the encoder's sessions. */
final class OrtValues {
    private OrtValues() {}

    /** A float output of a run, as a new array. */
    static float[] floats(OrtSession.Result result, String name) throws OrtException {
        FloatBuffer buffer = output(result, name).getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** An int64 output of a run, narrowed to ints. */
    static int[] ints(OrtSession.Result result, String name) throws OrtException {
        LongBuffer buffer = output(result, name).getLongBuffer();
        int[] out = new int[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(buffer.get());
        }
        return out;
    }

    private static OnnxTensor output(OrtSession.Result result, String name) {
        return (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("graph lacks " + name));
    }
}
