package io.github.encodecstream.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.DecoderGraph;
import io.github.encodecstream.graph.StateSpec;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.runtime.NativeCalls;
import io.github.encodecstream.runtime.StartupTrace;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's decoder loaded into ONNX Runtime: its codebooks and its graph sessions (the segment
 * graph for the non-causal 48 kHz model; the start and step graphs for the causal 24 kHz one), held
 * by a {@link NetworkSessions} as {@link ModelCache} loads them. Immutable after loading and safe
 * to share between streams and threads; a stream's own state lives in the stream
 * ({@link CausalState}).
 */
public final class DecoderModel implements AutoCloseable {
    private final ModelFamily family;
    private final NetworkSessions network;
    private final Codebooks codebooks;
    private final RunLimit limit;
    private volatile boolean ran;

    DecoderModel(ModelFamily family, NetworkSessions network) {
        this(family, network, RunLimit.NONE);
    }

    /** The decoder of {@code network}; every run holds a permit of {@code limit}. */
    public DecoderModel(ModelFamily family, NetworkSessions network, RunLimit limit) {
        this.family = family;
        this.network = network;
        this.codebooks = network.codebooks();
        this.limit = limit;
    }

    /** The model family. */
    public ModelFamily family() {
        return family;
    }

    /** The codebooks. */
    public Codebooks codebooks() {
        return codebooks;
    }

    /** Padding of the first convolution on the left, in frames. */
    public int firstPadLeft() {
        return family.hasScale() ? 3 : 6;
    }

    /** Padding of the first convolution on the right, in frames. */
    public int firstPadRight() {
        return family.hasScale() ? 3 : 0;
    }

    /**
     * Runs the segment graph on a padded embedding {@code [dimension, frames + 6]} and returns the
     * audio {@code [channels, frames * hop]}, channel-major.
     */
    public float[] decodeSegment(float[] padded, int paddedFrames) throws IOException {
        long t0 = System.nanoTime();
        try (RunLimit.Permit permit = limit.acquire();
             OnnxTensor input = OrtValues.input(0, padded, 1, codebooks.dimension(), paddedFrames);
             OrtSession.Result result = network.segment().run(Map.of(DecoderGraph.INPUT, input))) {
            return OrtValues.floats(result, DecoderGraph.OUTPUT);
        } catch (OrtException e) {
            throw new IOException("decoder graph failed: " + e.getMessage(), e);
        } finally {
            firstRun(t0);
        }
    }

    private void firstRun(long t0) {
        if (StartupTrace.enabled() && !ran) {
            ran = true;
            StartupTrace.log("first run", System.nanoTime() - t0);
        }
    }

    /**
     * Runs one chunk of the causal stream: the start graph when {@code state} is fresh, else the
     * step graph. Updates {@code state} and returns the chunk's audio.
     */
    public float[] decodeCausal(float[] padded, int paddedFrames, CausalState state) throws IOException {
        long t0 = System.nanoTime();
        List<StateSpec> states = network.states();
        OrtSession session = state.values == null ? network.start() : network.step();
        // the tensors are made and freed inside the permit: native calls, as the run
        Map<String, OnnxTensorLike> inputs = new HashMap<>();
        try (RunLimit.Permit permit = limit.acquire()) {
            inputs.put(DecoderGraph.INPUT, OrtValues.input(0, padded, 1, codebooks.dimension(), paddedFrames));
            if (state.values != null) {
                for (int i = 0; i < states.size(); i++) {
                    StateSpec s = states.get(i);
                    inputs.put(s.input(), OrtValues.input(i + 1, state.values[i], 1, s.channels(), s.length()));
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] next = new float[states.size()][];
                for (int i = 0; i < states.size(); i++) {
                    next[i] = OrtValues.floats(result, states.get(i).output());
                }
                state.values = next;
                return OrtValues.floats(result, DecoderGraph.OUTPUT);
            } finally {
                for (OnnxTensorLike t : inputs.values()) {
                    t.close();
                }
            }
        } catch (OrtException e) {
            throw new IOException("decoder graph failed: " + e.getMessage(), e);
        } finally {
            firstRun(t0);
        }
    }

    /** Whether the network's sessions are closed. */
    public boolean closed() {
        return network.closed();
    }

    @Override
    public void close() throws OrtException {
        NativeCalls.release(network::close);
    }

    /** The recurrent state of one causal stream: null before its first chunk. */
    public static final class CausalState {
        float[][] values;

        /** A fresh state: the next chunk runs the start graph. */
        public CausalState() {}

        /** The state's tensors; null before the first chunk. */
        public float[][] values() {
            return values;
        }

        /** Replaces the state's tensors (a snapshot another stream reached). */
        public void restore(float[][] tensors) {
            values = tensors;
        }
    }
}
