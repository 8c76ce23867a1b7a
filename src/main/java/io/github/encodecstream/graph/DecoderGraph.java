package io.github.encodecstream.graph;

import io.github.encodecstream.graph.OnnxGraphBuilder.Attribute;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ONNX graph of a SEANet decoder from its {@link Layer}s.
 *
 * <p>The graph's input {@value #INPUT} is the summed codebook embedding {@code [batch, dimension,
 * time]}, already padded for the first convolution by the caller (who knows whether the stream
 * starts there); its output {@value #OUTPUT} is the audio {@code [batch, channels, time * hop]}.
 * Three shapes of the same network are built:
 * <ul>
 *   <li>{@link Mode#SEGMENT}: the non-causal 48 kHz model on one whole segment: reflect padding
 *       split on both sides, GroupNorm over the whole segment, transposed outputs trimmed on both
 *       sides. A free batch axis.</li>
 *   <li>{@link Mode#STREAM_START}: the causal model on the first chunk of a stream: every
 *       convolution reflect-pads its own input on the left, as the reference does at the start of
 *       the signal. Outputs the state that the next chunk needs.</li>
 *   <li>{@link Mode#STREAM_STEP}: the causal model on any later chunk, taking that state: each
 *       convolution's left context, the LSTM's h and c per layer, and each transposed
 *       convolution's partial tail (without its bias). Outputs the next state.</li>
 * </ul>
 *
 * <p>Inside the graph the 1-d convolutions run as 2-d ones on {@code [batch, channels, 1, time]}:
 * ONNX Runtime's CPU kernels run that layout about 20% faster (docs/PERFORMANCE.md). Inputs,
 * outputs and state stay 3-d.
 */
public final class DecoderGraph {
    /** Name of the graph input. */
    public static final String INPUT = "embedding";
    /** Name of the graph output. */
    public static final String OUTPUT = "audio";
    /** Prefix of the state inputs of {@link Mode#STREAM_STEP}. */
    public static final String STATE_IN = "state_in_";
    /** Prefix of the state outputs of the streaming graphs. */
    public static final String STATE_OUT = "state_out_";

    /** Which variant of the network to build. */
    public enum Mode { SEGMENT, STREAM_START, STREAM_STEP }

    /** One tensor of streaming state, shape {@code [1, channels, length]}. */
    public record StateSpec(String name, long channels, long length) {
        /** The step graph's input name. */
        public String input() {
            return STATE_IN + name;
        }

        /** The graph's output name. */
        public String output() {
            return STATE_OUT + name;
        }
    }

    /** A built graph: the serialised model and, for the streaming modes, its state tensors. */
    public record Built(byte[] model, List<StateSpec> states) {}

    private static final long END = Long.MAX_VALUE;
    /** The time axis inside the graph: 1-d convolutions run as 2-d ones on {@code [batch, channels, 1, time]}. */
    private static final int TIME = 3;

    private final OnnxGraphBuilder g = new OnnxGraphBuilder("encodec_decoder");
    private final Mode mode;
    private final List<StateSpec> states = new ArrayList<>();

    private DecoderGraph(Mode mode) {
        this.mode = mode;
    }

    /** Builds the graph of the decoder {@code layers} in the given mode. */
    public static Built build(List<Layer> layers, Mode mode) {
        DecoderGraph graph = new DecoderGraph(mode);
        return graph.emit(layers);
    }

    private Built emit(List<Layer> layers) {
        Layer.Conv first = (Layer.Conv) layers.get(0);
        Object batch = mode == Mode.SEGMENT ? "batch" : 1L;
        String x = g.input(INPUT, ElementType.FLOAT, batch, (long) first.weight().dim(1), "time");
        x = g.node("Unsqueeze", List.of(x, g.vector(2)));
        boolean prePadded = true;
        int channels = 0;
        for (Layer layer : layers) {
            if (layer instanceof Layer.Conv conv) {
                x = conv(x, conv, prePadded);
                channels = conv.outChannels();
            } else if (layer instanceof Layer.ConvTranspose convTranspose) {
                x = convTranspose(x, convTranspose);
            } else if (layer instanceof Layer.Lstm lstm) {
                x = lstm(x, lstm);
            } else if (layer instanceof Layer.Residual residual) {
                x = residual(x, residual);
            } else if (layer instanceof Layer.Elu) {
                x = elu(x);
            }
            prePadded = false;
        }
        g.node("Squeeze", List.of(x, g.vector(2)), List.of(OUTPUT));
        g.output(OUTPUT, ElementType.FLOAT, batch, (long) channels, "samples");
        for (StateSpec s : states) {
            g.output(s.output(), ElementType.FLOAT, 1L, s.channels(), s.length());
        }
        return new Built(g.build(), List.copyOf(states));
    }

    private String elu(String x) {
        return g.node("Elu", List.of(x), Attribute.of("alpha", 1.0f));
    }

    private String conv(String x, Layer.Conv conv, boolean prePadded) {
        if (conv.stride() != 1) {
            throw new IllegalArgumentException(conv.name() + ": the decoder has stride-1 convolutions only");
        }
        int context = conv.effectiveKernel() - 1;
        if (!prePadded && context > 0) {
            x = switch (mode) {
                case SEGMENT -> reflectPad(x, context - context / 2, context / 2);
                case STREAM_START -> keepContext(conv.name(), reflectPad(x, context, 0), conv.weight().dim(1), context);
                case STREAM_STEP -> keepContext(conv.name(), concat(stateInput(conv.name(), conv.weight().dim(1), context), x),
                        conv.weight().dim(1), context);
            };
        }
        String y = g.node("Conv", List.of(x, weight(conv.weight()), g.constant("b", conv.bias(), conv.bias().length)),
                Attribute.ints("dilations", 1, conv.dilation()), Attribute.ints("strides", 1, 1));
        return conv.norm() == null ? y : groupNorm(y, conv.norm());
    }

    /** Adds the last {@code context} samples of a padded input as a state output. */
    private String keepContext(String name, String padded, long channels, int context) {
        StateSpec spec = new StateSpec(name, channels, context);
        states.add(spec);
        g.node("Squeeze", List.of(slice(padded, -context, END), g.vector(2)), List.of(spec.output()));
        return padded;
    }

    private String stateInput(String name, long channels, long length) {
        return g.node("Unsqueeze", List.of(g.input(STATE_IN + name, ElementType.FLOAT, 1L, channels, length), g.vector(2)));
    }

    private String convTranspose(String x, Layer.ConvTranspose layer) {
        int stride = layer.stride();
        int overhang = layer.kernel() - stride;
        float[] bias = layer.bias();
        if (mode == Mode.SEGMENT) {
            String y = g.node("ConvTranspose", List.of(x, weight(layer.weight()), g.constant("b", bias, bias.length)),
                    Attribute.ints("strides", 1, stride));
            if (layer.norm() != null) {
                y = groupNorm(y, layer.norm());
            }
            int right = overhang / 2;
            return slice(y, overhang - right, -right);
        }
        String y = g.node("ConvTranspose", List.of(x, weight(layer.weight())), Attribute.ints("strides", 1, stride));
        StateSpec spec = new StateSpec(layer.name(), layer.outChannels(), overhang);
        states.add(spec);
        g.node("Squeeze", List.of(slice(y, -overhang, END), g.vector(2)), List.of(spec.output()));
        String body;
        if (mode == Mode.STREAM_START) {
            body = slice(y, 0, -overhang);
        } else {
            String head = g.node("Add", List.of(slice(y, 0, overhang), stateInput(layer.name(), layer.outChannels(), overhang)));
            body = concat(head, slice(y, overhang, -overhang));
        }
        return g.node("Add", List.of(body, g.constant("b", bias, bias.length, 1, 1)));
    }

    private String lstm(String x, Layer.Lstm lstm) {
        int hidden = lstm.hidden();
        String input = g.node("Transpose", List.of(g.node("Squeeze", List.of(x, g.vector(2)))), Attribute.ints("perm", 2, 0, 1));
        String seq = input;
        for (int l = 0; l < lstm.layers(); l++) {
            String stateName = lstm.name() + ".l" + l;
            String h0 = "";
            String c0 = "";
            if (mode == Mode.STREAM_STEP) {
                h0 = g.input(STATE_IN + stateName + ".h", ElementType.FLOAT, 1L, 1L, (long) hidden);
                c0 = g.input(STATE_IN + stateName + ".c", ElementType.FLOAT, 1L, 1L, (long) hidden);
            }
            String w = g.constant("lstm_w", onnxGates(lstm.weightIh()[l].data(), hidden), 1, 4L * hidden, lstm.weightIh()[l].dim(1));
            String r = g.constant("lstm_r", onnxGates(lstm.weightHh()[l].data(), hidden), 1, 4L * hidden, hidden);
            float[] b = new float[8 * hidden];
            System.arraycopy(onnxGates(lstm.biasIh()[l], hidden), 0, b, 0, 4 * hidden);
            System.arraycopy(onnxGates(lstm.biasHh()[l], hidden), 0, b, 4 * hidden, 4 * hidden);
            String bias = g.constant("lstm_b", b, 1, 8L * hidden);
            String y = g.fresh("lstm_y");
            List<String> outs = List.of(y, "", "");
            if (mode != Mode.SEGMENT) {
                StateSpec h = new StateSpec(stateName + ".h", 1, hidden);
                StateSpec c = new StateSpec(stateName + ".c", 1, hidden);
                states.add(h);
                states.add(c);
                outs = List.of(y, h.output(), c.output());
            }
            g.node("LSTM", List.of(seq, w, r, bias, "", h0, c0), outs, Attribute.of("hidden_size", hidden));
            seq = g.node("Squeeze", List.of(y, g.vector(1)));
        }
        String sum = g.node("Add", List.of(seq, input));
        return g.node("Unsqueeze", List.of(g.node("Transpose", List.of(sum), Attribute.ints("perm", 1, 2, 0)), g.vector(2)));
    }

    private String residual(String x, Layer.Residual block) {
        String y = conv(elu(x), block.first(), false);
        y = conv(elu(y), block.second(), false);
        String shortcut = conv(x, block.shortcut(), false);
        return g.node("Add", List.of(shortcut, y));
    }

    /** GroupNorm with one group: normalise over channels and time, then a per-channel affine. */
    private String groupNorm(String x, Layer.GroupNorm norm) {
        int channels = norm.weight().length;
        String flat = g.node("Reshape", List.of(x, g.vector(0, 1, -1)));
        String normalised = g.node("InstanceNormalization",
                List.of(flat, g.constant("one", new float[] {1f}, 1), g.constant("zero", new float[] {0f}, 1)),
                Attribute.of("epsilon", 1e-5f));
        String shaped = g.node("Reshape", List.of(normalised, g.node("Shape", List.of(x))));
        String scaled = g.node("Mul", List.of(shaped, g.constant("gn_w", norm.weight(), channels, 1, 1)));
        return g.node("Add", List.of(scaled, g.constant("gn_b", norm.bias(), channels, 1, 1)));
    }

    private String reflectPad(String x, int left, int right) {
        return g.node("Pad", List.of(x, g.vector(0, 0, 0, left, 0, 0, 0, right)), Attribute.of("mode", "reflect"));
    }

    private String slice(String x, long start, long end) {
        return g.node("Slice", List.of(x, g.vector(start), g.vector(end == 0 ? END : end), g.vector(TIME)));
    }

    private String concat(String a, String b) {
        return g.node("Concat", List.of(a, b), Attribute.of("axis", (long) TIME));
    }

    private String weight(Weight w) {
        return g.constant("w", w.data(), w.dim(0), w.dim(1), 1, w.dim(2));
    }

    /** Reorders PyTorch's gate blocks (input, forget, cell, output) to ONNX's (input, output, forget, cell). */
    static float[] onnxGates(float[] pytorch, int hidden) {
        int block = pytorch.length / 4;
        float[] out = new float[pytorch.length];
        int[] order = {0, 3, 1, 2};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(pytorch, order[i] * block, out, i * block, block);
        }
        return out;
    }
}
