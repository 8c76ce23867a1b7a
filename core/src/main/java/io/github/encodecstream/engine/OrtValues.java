package io.github.encodecstream.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Tensors in and out of ONNX Runtime with as few copies as its Java API allows: inputs from a
 * per-thread direct buffer that ONNX Runtime reads in place (a heap array would be copied into a
 * new direct buffer on every run, freed only when the garbage collector gets to it), outputs
 * copied once into a Java array.
 */
final class OrtValues {
    /** Each thread's input buffers, one per input slot, grown to the largest run seen. */
    private static final ThreadLocal<FloatBuffer[]> INPUTS = ThreadLocal.withInitial(() -> new FloatBuffer[0]);

    private OrtValues() {}

    /**
     * A tensor of {@code shape} over a copy of {@code data} in this thread's direct buffer for
     * {@code slot} (each input of one run needs its own slot). Valid until this thread's next call
     * for the same slot; close it after the run.
     */
    static OnnxTensor input(int slot, float[] data, long... shape) throws OrtException {
        FloatBuffer[] buffers = INPUTS.get();
        if (slot >= buffers.length) {
            buffers = Arrays.copyOf(buffers, slot + 1);
            INPUTS.set(buffers);
        }
        FloatBuffer buffer = buffers[slot];
        if (buffer == null || buffer.capacity() < data.length) {
            buffer = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            buffers[slot] = buffer;
        }
        buffer.clear();
        buffer.put(data).flip();
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, shape);
    }

    /** A float output of a run, as a new array (ONNX Runtime's own copy, not copied again). */
    static float[] floats(OrtSession.Result result, String name) throws OrtException {
        FloatBuffer buffer = output(result, name).getFloatBuffer();
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
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

    /** A run's output tensor by name (still owned by the result). */
    static OnnxTensor output(OrtSession.Result result, String name) {
        return (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("graph lacks " + name));
    }
}
