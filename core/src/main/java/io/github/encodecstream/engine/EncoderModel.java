package io.github.encodecstream.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.EncoderGraph;
import io.github.encodecstream.graph.QuantizerGraph;
import io.github.encodecstream.graph.StateSpec;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.runtime.NativeCalls;
import io.github.encodecstream.runtime.SessionFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One model's encoder loaded into ONNX Runtime: the encoder graph sessions (the segment graph for
 * the non-causal 48 kHz model; the start and step graphs for the causal 24 kHz one) and the
 * codebooks, held by a {@link NetworkSessions} as {@link ModelCache} loads them, and one quantiser
 * session per number of codebooks asked for (built on first use). Safe to share between streams
 * and threads; a stream's own state lives in the stream.
 */
public final class EncoderModel implements AutoCloseable {
    private final ModelFamily family;
    private final NetworkSessions network;
    private final Codebooks codebooks;
    private final SessionFactory sessions;
    private final Map<Integer, OrtSession> quantizers = new HashMap<>();
    private boolean closed;

    private final RunLimit limit;

    EncoderModel(ModelFamily family, NetworkSessions network, SessionFactory sessions) {
        this(family, network, sessions, RunLimit.NONE);
    }

    /** The encoder of {@code network}; quantisers from {@code sessions}; every run holds a permit of {@code limit}. */
    public EncoderModel(ModelFamily family, NetworkSessions network, SessionFactory sessions, RunLimit limit) {
        this.family = family;
        this.network = network;
        this.codebooks = network.codebooks();
        this.sessions = sessions;
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

    /**
     * A stream's use of the model, for inputs of up to {@code maxLength} samples per channel: its
     * input buffer and, for the causal model, its state. Not thread-safe; close it to release the
     * state's native memory.
     */
    public Stream openStream(int maxLength) {
        return new Stream(maxLength);
    }

    /**
     * One stream: fill {@link #input()} with {@code [channels, length]} samples, channel-major
     * (for the 48 kHz model already divided by the segment's scale), then {@link #encode} them.
     * The 48 kHz model encodes each call as a segment on its own; the 24 kHz model continues the
     * causal stream: every call but the last must give whole hops (320 samples), the first at
     * least 7 of them, and the codes equal those of encoding all the calls' samples at once.
     *
     * <p>Nothing is allocated per call outside ONNX Runtime but the codes: the input is a direct
     * buffer that ONNX Runtime reads in place, the embedding goes from the encoder's output to the
     * quantiser as it is, and the state stays in the previous run's outputs.
     */
    public final class Stream implements AutoCloseable {
        private final FloatBuffer input;
        /** The last causal run's outputs, holding the state the next run takes; null at the start. */
        private OrtSession.Result state;

        private Stream(int maxLength) {
            input = ByteBuffer.allocateDirect(Math.multiplyExact(maxLength, family.channels()) * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        /** The input buffer: the first {@code channels · length} values are the next call's samples. */
        public FloatBuffer input() {
            return input;
        }

        /** Encodes {@code length} samples per channel and quantises with {@code nc} codebooks: {@code [codebook][step]}. */
        public int[] encode(int length, int nc) throws IOException {
            OrtSession quantizer = quantizer(nc);
            try (RunLimit.Permit permit = limit.acquire()) {
                OrtSession.Result result = run(length);
                try (OrtSession.Result codes = quantizer.run(
                        Map.of(QuantizerGraph.INPUT, OrtValues.output(result, EncoderGraph.OUTPUT)))) {
                    return OrtValues.ints(codes, QuantizerGraph.OUTPUT);
                } catch (OrtException e) {
                    throw new IOException("quantizer graph failed: " + e.getMessage(), e);
                } finally {
                    keep(result);
                }
            }
        }

        /** Encodes {@code length} samples per channel; returns the embedding {@code [dimension, steps]}. */
        public float[] embed(int length) throws IOException {
            try (RunLimit.Permit permit = limit.acquire()) {
                OrtSession.Result result = run(length);
                try {
                    return OrtValues.floats(result, EncoderGraph.OUTPUT);
                } catch (OrtException e) {
                    throw new IOException("encoder graph failed: " + e.getMessage(), e);
                } finally {
                    keep(result);
                }
            }
        }

        private OrtSession.Result run(int length) throws IOException {
            input.limit(length * family.channels()).position(0);
            Map<String, OnnxTensorLike> inputs = new HashMap<>();
            try (OnnxTensor audio = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input,
                    new long[] {1, family.channels(), length})) {
                inputs.put(EncoderGraph.INPUT, audio);
                OrtSession session = network.segment();
                if (session == null) {
                    session = state == null ? network.start() : network.step();
                    if (state != null) {
                        for (StateSpec s : network.states()) {
                            inputs.put(s.input(), OrtValues.output(state, s.output()));
                        }
                    }
                }
                return session.run(inputs);
            } catch (OrtException e) {
                throw new IOException("encoder graph failed: " + e.getMessage(), e);
            } finally {
                input.clear();
            }
        }

        /** Holds a causal run's outputs as the next run's state (closing the previous ones); closes a segment's. */
        private void keep(OrtSession.Result result) {
            if (!network.causal()) {
                result.close();
                return;
            }
            if (state != null) {
                state.close();
            }
            state = result;
        }

        @Override
        public void close() {
            if (state != null) {
                NativeCalls.release(state::close);
                state = null;
            }
        }
    }

    /** Loads the quantiser for {@code nc} codebooks now, if not yet loaded. */
    public void prepare(int nc) throws IOException {
        quantizer(nc);
    }

    private synchronized OrtSession quantizer(int nc) throws IOException {
        if (closed) {
            throw RunLimit.closedException();
        }
        OrtSession session = quantizers.get(nc);
        if (session == null) {
            session = sessions.create(QuantizerGraph.build(codebooks, nc));
            quantizers.put(nc, session);
        }
        return session;
    }

    /** Whether {@link #close()} has run: the network's and the quantisers' sessions are closed. */
    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        NativeCalls.release(() -> {
            network.close();
            for (OrtSession s : quantizers.values()) {
                s.close();
            }
        });
        quantizers.clear();
    }
}
