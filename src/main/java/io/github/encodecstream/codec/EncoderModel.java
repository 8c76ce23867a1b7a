package io.github.encodecstream.codec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.DecoderGraph;
import io.github.encodecstream.graph.EncoderGraph;
import io.github.encodecstream.graph.QuantizerGraph;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.model.EncoderArchitecture;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.runtime.SessionFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's encoder loaded into ONNX Runtime: the encoder graph sessions (the segment graph for
 * the non-causal 48 kHz model; the start and step graphs for the causal 24 kHz one), the codebooks,
 * and one quantiser session per number of codebooks asked for (built on first use). Safe to share
 * between streams and threads; a stream's own state lives in the stream.
 */
final class EncoderModel implements AutoCloseable {
    private final ModelFamily family;
    private final Codebooks codebooks;
    private final SessionFactory sessions;
    private final OrtSession segment;
    private final OrtSession start;
    private final OrtSession step;
    private final List<DecoderGraph.StateSpec> states;
    private final Map<Integer, OrtSession> quantizers = new HashMap<>();

    private EncoderModel(ModelFamily family, Codebooks codebooks, SessionFactory sessions, OrtSession segment,
            OrtSession start, OrtSession step, List<DecoderGraph.StateSpec> states) {
        this.family = family;
        this.codebooks = codebooks;
        this.sessions = sessions;
        this.segment = segment;
        this.start = start;
        this.step = step;
        this.states = states;
    }

    /** Builds the graphs of a checkpoint's encoder and loads them. */
    public static EncoderModel load(ModelFamily family, Map<String, Tensor> checkpoint, SessionFactory sessions)
            throws IOException {
        Codebooks codebooks = Codebooks.read(checkpoint);
        List<Layer> layers = EncoderArchitecture.read(checkpoint, family.hasScale());
        if (family.hasScale()) {
            byte[] graph = EncoderGraph.build(layers, EncoderGraph.Mode.SEGMENT).model();
            return new EncoderModel(family, codebooks, sessions, sessions.create(graph), null, null, List.of());
        }
        DecoderGraph.Built first = EncoderGraph.build(layers, EncoderGraph.Mode.STREAM_START);
        DecoderGraph.Built next = EncoderGraph.build(layers, EncoderGraph.Mode.STREAM_STEP);
        OrtSession startSession = sessions.create(first.model());
        try {
            return new EncoderModel(family, codebooks, sessions, null, startSession, sessions.create(next.model()),
                    next.states());
        } catch (IOException | RuntimeException e) {
            try {
                startSession.close();
            } catch (OrtException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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
    Stream openStream(int maxLength) {
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
    final class Stream implements AutoCloseable {
        private final FloatBuffer input;
        /** The last causal run's outputs, holding the state the next run takes; null at the start. */
        private OrtSession.Result state;

        private Stream(int maxLength) {
            input = ByteBuffer.allocateDirect(Math.multiplyExact(maxLength, family.channels()) * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        /** The input buffer: the first {@code channels · length} values are the next call's samples. */
        FloatBuffer input() {
            return input;
        }

        /** Encodes {@code length} samples per channel and quantises with {@code nc} codebooks: {@code [codebook][step]}. */
        int[] encode(int length, int nc) throws IOException {
            OrtSession quantizer = quantizer(nc);
            OrtSession.Result result = run(length);
            try (OrtSession.Result codes = quantizer.run(Map.of(QuantizerGraph.INPUT, output(result, EncoderGraph.OUTPUT)))) {
                return OrtValues.ints(codes, QuantizerGraph.OUTPUT);
            } catch (OrtException e) {
                throw new IOException("quantizer graph failed: " + e.getMessage(), e);
            } finally {
                keep(result);
            }
        }

        /** Encodes {@code length} samples per channel; returns the embedding {@code [dimension, steps]}. */
        float[] embed(int length) throws IOException {
            OrtSession.Result result = run(length);
            try {
                return OrtValues.floats(result, EncoderGraph.OUTPUT);
            } catch (OrtException e) {
                throw new IOException("encoder graph failed: " + e.getMessage(), e);
            } finally {
                keep(result);
            }
        }

        private OrtSession.Result run(int length) throws IOException {
            input.limit(length * family.channels()).position(0);
            Map<String, OnnxTensorLike> inputs = new HashMap<>();
            try (OnnxTensor audio = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input,
                    new long[] {1, family.channels(), length})) {
                inputs.put(EncoderGraph.INPUT, audio);
                OrtSession session = segment;
                if (segment == null) {
                    session = state == null ? start : step;
                    if (state != null) {
                        for (DecoderGraph.StateSpec s : states) {
                            inputs.put(s.input(), output(state, s.output()));
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
            if (segment != null) {
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
                state.close();
                state = null;
            }
        }
    }

    private static OnnxTensor output(OrtSession.Result result, String name) {
        return (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("graph lacks " + name));
    }

    /** Loads the quantiser for {@code nc} codebooks now, if not yet loaded. */
    void prepare(int nc) throws IOException {
        quantizer(nc);
    }

    private synchronized OrtSession quantizer(int nc) throws IOException {
        OrtSession session = quantizers.get(nc);
        if (session == null) {
            session = sessions.create(QuantizerGraph.build(codebooks, nc));
            quantizers.put(nc, session);
        }
        return session;
    }

    @Override
    public synchronized void close() throws OrtException {
        for (OrtSession s : new OrtSession[] {segment, start, step}) {
            if (s != null) {
                s.close();
            }
        }
        for (OrtSession s : quantizers.values()) {
            s.close();
        }
        quantizers.clear();
    }
}
