package io.github.encodecstream.graph;

import io.github.encodecstream.graph.OnnxGraphBuilder.Attribute;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The graph-emitting parts shared by the SEANet encoder and decoder graphs ({@link EncoderGraph},
 * {@link DecoderGraph}): convolutions, GroupNorm, the LSTM with skip, ELU, reflect padding,
 * slices and concatenations on the time axis, and the bookkeeping of streaming state tensors.
 *
 * <p>Inside a graph the 1-d convolutions run as 2-d ones on {@code [batch, channels, 1, time]}
 * ({@link #TIME} is the time axis): ONNX Runtime's CPU kernels run that layout faster
 * (docs/PERFORMANCE.md). {@link #toInternal} and {@link #toExternal} convert from and to the 3-d
 * tensors that graph inputs, outputs and state use.
 *
 * <p>Padding is the caller's business: {@link #conv} emits the bare (strided, dilated)
 * convolution and its GroupNorm, if any.
 */
final class LayerEmitter {
    /** An open end for {@link #slice}. */
    static final long END = Long.MAX_VALUE;
    /** The time axis inside the graph. */
    static final int TIME = 3;

    final OnnxGraphBuilder g;
    private final List<StateSpec> states = new ArrayList<>();

    LayerEmitter(String graphName) {
        this.g = new OnnxGraphBuilder(graphName);
    }

    /** The state tensors registered so far, in order. */
    List<StateSpec> states() {
        return List.copyOf(states);
    }

    /** Registers a state tensor. */
    StateSpec addState(String name, long channels, long length) {
        StateSpec spec = new StateSpec(name, channels, length);
        states.add(spec);
        return spec;
    }

    /**
     * Declares every registered state as a graph output {@code [1, channels, length]}; with
     * {@code symbolicLength} the length axis is left free (for graphs whose last chunk may be
     * shorter than the context it would leave).
     */
    void declareStateOutputs(boolean symbolicLength) {
        for (StateSpec s : states) {
            Object length = symbolicLength ? "len_" + s.name() : (Object) s.length();
            g.output(s.output(), ElementType.FLOAT, 1L, s.channels(), length);
        }
    }

    /** {@code [B, C, T]} to the internal {@code [B, C, 1, T]}. */
    String toInternal(String x) {
        return g.node("Unsqueeze", List.of(x, g.vector(2)));
    }

    /** The internal {@code [B, C, 1, T]} to the graph output {@code name}, {@code [B, C, T]}. */
    void toExternal(String x, String name) {
        g.node("Squeeze", List.of(x, g.vector(2)), List.of(name));
    }

    String elu(String x) {
        return g.node("Elu", List.of(x), Attribute.of("alpha", 1.0f));
    }

    /** The convolution of an already padded input, then its GroupNorm when it has one. */
    String conv(String x, Layer.Conv conv) {
        String y = g.node("Conv", List.of(x, weight(conv.weight()), g.constant("b", conv.bias(), conv.bias().length)),
                Attribute.ints("dilations", 1, conv.dilation()), Attribute.ints("strides", 1, conv.stride()));
        return conv.norm() == null ? y : groupNorm(y, conv.norm());
    }

    /**
     * A residual block, {@code shortcut(x) + block(x)} with block = ELU, conv, ELU, conv; each
     * convolution is emitted, with its padding, by {@code paddedConv}.
     */
    String residual(String x, Layer.Residual block, BiFunction<String, Layer.Conv, String> paddedConv) {
        String y = paddedConv.apply(elu(x), block.first());
        y = paddedConv.apply(elu(y), block.second());
        String shortcut = paddedConv.apply(x, block.shortcut());
        return g.node("Add", List.of(shortcut, y));
    }

    /** Adds the last {@code context} samples of {@code padded} as the state output {@code name}. */
    String keepContext(String name, String padded, long channels, int context) {
        StateSpec spec = addState(name, channels, context);
        g.node("Squeeze", List.of(slice(padded, -context, END), g.vector(2)), List.of(spec.output()));
        return padded;
    }

    /** The state input {@code name}, {@code [1, channels, length]}, in the internal layout. */
    String stateInput(String name, long channels, long length) {
        return g.node("Unsqueeze", List.of(g.input(StateSpec.STATE_IN + name, ElementType.FLOAT, 1L, channels, length),
                g.vector(2)));
    }

    /**
     * A stacked LSTM with skip, {@code y = lstm(x) + x}, over the time axis.
     *
     * @param stateIn whether each layer's initial h and c are graph inputs (else zero)
     * @param stateOut whether each layer's final h and c are registered as state outputs
     */
    String lstm(String x, Layer.Lstm lstm, boolean stateIn, boolean stateOut) {
        int hidden = lstm.hidden();
        String input = g.node("Transpose", List.of(g.node("Squeeze", List.of(x, g.vector(2)))), Attribute.ints("perm", 2, 0, 1));
        String seq = input;
        for (int l = 0; l < lstm.layers(); l++) {
            String stateName = lstm.name() + ".l" + l;
            String h0 = "";
            String c0 = "";
            if (stateIn) {
                h0 = g.input(StateSpec.STATE_IN + stateName + ".h", ElementType.FLOAT, 1L, 1L, (long) hidden);
                c0 = g.input(StateSpec.STATE_IN + stateName + ".c", ElementType.FLOAT, 1L, 1L, (long) hidden);
            }
            String w = g.constant("lstm_w", onnxGates(lstm.weightIh()[l].data()), 1, 4L * hidden, lstm.weightIh()[l].dim(1));
            String r = g.constant("lstm_r", onnxGates(lstm.weightHh()[l].data()), 1, 4L * hidden, hidden);
            List<TensorData.Piece> b = new ArrayList<>(onnxGates(lstm.biasIh()[l]));
            b.addAll(onnxGates(lstm.biasHh()[l]));
            String bias = g.constant("lstm_b", b, 1, 8L * hidden);
            String y = g.fresh("lstm_y");
            List<String> outs = List.of(y, "", "");
            if (stateOut) {
                StateSpec h = addState(stateName + ".h", 1, hidden);
                StateSpec c = addState(stateName + ".c", 1, hidden);
                outs = List.of(y, h.output(), c.output());
            }
            g.node("LSTM", List.of(seq, w, r, bias, "", h0, c0), outs, Attribute.of("hidden_size", hidden));
            seq = g.node("Squeeze", List.of(y, g.vector(1)));
        }
        String sum = g.node("Add", List.of(seq, input));
        return g.node("Unsqueeze", List.of(g.node("Transpose", List.of(sum), Attribute.ints("perm", 1, 2, 0)), g.vector(2)));
    }

    /** GroupNorm with one group: normalise over channels and time, then a per-channel affine. */
    String groupNorm(String x, Layer.GroupNorm norm) {
        int channels = norm.weight().length;
        String flat = g.node("Reshape", List.of(x, g.vector(0, 1, -1)));
        String normalised = g.node("InstanceNormalization",
                List.of(flat, g.constant("one", new float[] {1f}, 1), g.constant("zero", new float[] {0f}, 1)),
                Attribute.of("epsilon", 1e-5f));
        String shaped = g.node("Reshape", List.of(normalised, g.node("Shape", List.of(x))));
        String scaled = g.node("Mul", List.of(shaped, g.constant("gn_w", norm.weight(), channels, 1, 1)));
        return g.node("Add", List.of(scaled, g.constant("gn_b", norm.bias(), channels, 1, 1)));
    }

    /** Reflect padding of the time axis by fixed amounts. */
    String reflectPad(String x, int left, int right) {
        return g.node("Pad", List.of(x, g.vector(0, 0, 0, left, 0, 0, 0, right)), Attribute.of("mode", "reflect"));
    }

    /** {@code x[..., start:end]} on the time axis; an end of 0 or {@link #END} is open. */
    String slice(String x, long start, long end) {
        return g.node("Slice", List.of(x, g.vector(start), g.vector(end == 0 ? END : end), g.vector(TIME)));
    }

    /** Concatenation on the time axis. */
    String concat(String a, String b) {
        return g.node("Concat", List.of(a, b), Attribute.of("axis", (long) TIME));
    }

    /** A convolution weight {@code [out, in, k]} (or {@code [in, out, k]}) as the 2-d {@code [., ., 1, k]}. */
    String weight(Weight w) {
        return g.constant("w", w.data(), w.dim(0), w.dim(1), 1, w.dim(2));
    }

    /**
     * PyTorch's gate blocks (input, forget, cell, output) in ONNX's order (input, output, forget,
     * cell), as pieces of the array: no copy.
     */
    static List<TensorData.Piece> onnxGates(float[] pytorch) {
        int block = pytorch.length / 4;
        List<TensorData.Piece> out = new ArrayList<>(4);
        for (int gate : new int[] {0, 3, 1, 2}) {
            out.add(new TensorData.Piece(pytorch, gate * block, block));
        }
        return out;
    }
}
