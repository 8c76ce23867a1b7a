package io.github.encodecstream.codec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.DecoderGraph;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.model.DecoderArchitecture;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.runtime.SessionFactory;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's decoder loaded into ONNX Runtime: its codebooks and its graph sessions (the segment
 * graph for the non-causal 48 kHz model; the start and step graphs for the causal 24 kHz one).
 * Immutable after loading and safe to share between streams and threads; a stream's own state
 * lives in the stream ({@link CausalState}).
 */
final class DecoderModel implements AutoCloseable {
    private final ModelFamily family;
    private final Codebooks codebooks;
    private final OrtSession segment;
    private final OrtSession start;
    private final OrtSession step;
    private final List<DecoderGraph.StateSpec> states;

    private DecoderModel(ModelFamily family, Codebooks codebooks, OrtSession segment, OrtSession start, OrtSession step,
            List<DecoderGraph.StateSpec> states) {
        this.family = family;
        this.codebooks = codebooks;
        this.segment = segment;
        this.start = start;
        this.step = step;
        this.states = states;
    }

    /** Builds the graphs of a checkpoint's decoder and loads them. */
    public static DecoderModel load(ModelFamily family, Map<String, Tensor> checkpoint, SessionFactory sessions)
            throws IOException {
        Codebooks codebooks = Codebooks.read(checkpoint);
        List<Layer> layers = DecoderArchitecture.read(checkpoint, family.hasScale());
        if (family.hasScale()) {
            byte[] graph = DecoderGraph.build(layers, DecoderGraph.Mode.SEGMENT).model();
            return new DecoderModel(family, codebooks, sessions.create(graph), null, null, List.of());
        }
        DecoderGraph.Built first = DecoderGraph.build(layers, DecoderGraph.Mode.STREAM_START);
        DecoderGraph.Built next = DecoderGraph.build(layers, DecoderGraph.Mode.STREAM_STEP);
        return new DecoderModel(family, codebooks, null, sessions.create(first.model()), sessions.create(next.model()),
                next.states());
    }

    /** The model family. */
    public ModelFamily family() {
        return family;
    }

    /** The codebooks. */
    public Codebooks codebooks() {
        return codebooks;
    }

    /** Padding of the first convolution on the left and right, in frames. */
    int firstPadLeft() {
        return family.hasScale() ? 3 : 6;
    }

    int firstPadRight() {
        return family.hasScale() ? 3 : 0;
    }

    /**
     * Runs the segment graph on a padded embedding {@code [dimension, frames + 6]} and returns the
     * audio {@code [channels, frames * hop]}, channel-major.
     */
    float[] decodeSegment(float[] padded, int paddedFrames) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = tensor(env, padded, 1, codebooks.dimension(), paddedFrames);
             OrtSession.Result result = segment.run(Map.of(DecoderGraph.INPUT, input))) {
            return floats(result, DecoderGraph.OUTPUT);
        } catch (OrtException e) {
            throw new IOException("decoder graph failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one chunk of the causal stream: the start graph when {@code state} is fresh, else the
     * step graph. Updates {@code state} and returns the chunk's audio.
     */
    float[] decodeCausal(float[] padded, int paddedFrames, CausalState state) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensorLike> inputs = new HashMap<>();
        try {
            inputs.put(DecoderGraph.INPUT, tensor(env, padded, 1, codebooks.dimension(), paddedFrames));
            OrtSession session = state.values == null ? start : step;
            if (state.values != null) {
                for (int i = 0; i < states.size(); i++) {
                    DecoderGraph.StateSpec s = states.get(i);
                    inputs.put(s.input(), tensor(env, state.values[i], 1, s.channels(), s.length()));
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] next = new float[states.size()][];
                for (int i = 0; i < states.size(); i++) {
                    next[i] = floats(result, states.get(i).output());
                }
                state.values = next;
                return floats(result, DecoderGraph.OUTPUT);
            }
        } catch (OrtException e) {
            throw new IOException("decoder graph failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensorLike t : inputs.values()) {
                t.close();
            }
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[] data, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("graph lacks " + name));
        FloatBuffer buffer = t.getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        for (OrtSession s : new OrtSession[] {segment, start, step}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The recurrent state of one causal stream: null before its first chunk. */
    static final class CausalState {
        float[][] values;
    }
}
