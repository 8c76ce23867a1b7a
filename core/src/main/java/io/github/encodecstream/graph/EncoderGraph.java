package io.github.encodecstream.graph;

import io.github.encodecstream.graph.OnnxGraphBuilder.Attribute;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.model.Layer;
import java.util.List;

/**
 * Builds the ONNX graph of a SEANet encoder from its {@link Layer}s
 * ({@link io.github.encodecstream.model.EncoderArchitecture}).
 *
 * <p>The graph's input {@value #INPUT} is audio {@code [batch, channels, time]} at the model's
 * rate (for the 48 kHz model already divided by the segment's scale); its output
 * {@value #OUTPUT} is the embedding {@code [batch, dimension, ceil(time / 320)]}. Every
 * convolution pads its input as the reference's {@code SConv1d} does: {@code padding_total = K −
 * stride} (K the effective kernel) and an "extra" right padding {@code (−length) mod stride} that
 * completes the last window, all in reflect mode; the extra padding depends on the length and is
 * computed in the graph. Three shapes of the network are built:
 * <ul>
 *   <li>{@link GraphMode#SEGMENT}: the non-causal 48 kHz model on one whole segment: padding split
 *       ({@code padding_total // 2} on the right, the rest on the left, plus the extra on the
 *       right), GroupNorm after each convolution, and the reference's rule for inputs not longer
 *       than the larger pad (zeros appended, reflected, dropped again), so that any segment length
 *       from 1 sample up is exact.</li>
 *   <li>{@link GraphMode#STREAM_START}: the causal model on the first chunk of a stream: each
 *       convolution reflect-pads {@code padding_total} on the left, as the reference does at the
 *       start of the signal, and the extra on the right (zero for a chunk of whole hops; the real
 *       amount when the chunk is the whole input), with the short-input rule. Outputs the state
 *       the next chunk needs; its lengths are free in the declaration because a whole input
 *       shorter than a context leaves a shorter (unused) one.</li>
 *   <li>{@link GraphMode#STREAM_STEP}: the causal model on a later chunk, taking that state: each
 *       convolution's left context (its last {@code padding_total} input samples: for a strided
 *       convolution the {@code K − stride} samples that the next window shares with the last
 *       one) and each LSTM layer's h and c. The extra right padding reflects the chunk's end, so
 *       the last chunk of a stream may have any length; every other chunk must be whole hops.</li>
 * </ul>
 * The streaming graphs share the decoder's state conventions ({@link StateSpec}).
 */
public final class EncoderGraph {
    /** Name of the graph input. */
    public static final String INPUT = "audio";
    /** Name of the graph output. */
    public static final String OUTPUT = "embedding";

    private final LayerEmitter ops = new LayerEmitter("encodec_encoder");
    private final OnnxGraphBuilder g = ops.g;
    private final GraphMode mode;

    private EncoderGraph(GraphMode mode) {
        this.mode = mode;
    }

    /** Builds the graph of the encoder {@code layers} in the given mode. */
    public static BuiltGraph build(List<Layer> layers, GraphMode mode) {
        return new EncoderGraph(mode).emit(layers);
    }

    private BuiltGraph emit(List<Layer> layers) {
        Layer.Conv first = (Layer.Conv) layers.get(0);
        Object batch = mode == GraphMode.SEGMENT ? "batch" : 1L;
        String x = ops.toInternal(g.input(INPUT, ElementType.FLOAT, batch, (long) first.weight().dim(1), "time"));
        int dimension = 0;
        for (Layer layer : layers) {
            if (layer instanceof Layer.Conv conv) {
                x = conv(x, conv);
                dimension = conv.outChannels();
            } else if (layer instanceof Layer.Residual residual) {
                x = ops.residual(x, residual, this::conv);
            } else if (layer instanceof Layer.Lstm lstm) {
                x = ops.lstm(x, lstm, mode == GraphMode.STREAM_STEP, mode != GraphMode.SEGMENT);
            } else if (layer instanceof Layer.Elu) {
                x = ops.elu(x);
            } else {
                throw new IllegalArgumentException("the encoder has no " + layer.getClass().getSimpleName() + " layers");
            }
        }
        ops.toExternal(x, OUTPUT);
        g.output(OUTPUT, ElementType.FLOAT, batch, (long) dimension, "frames");
        ops.declareStateOutputs(mode == GraphMode.STREAM_START);
        return new BuiltGraph(g, ops.states());
    }

    private String conv(String x, Layer.Conv conv) {
        int stride = conv.stride();
        int paddingTotal = conv.effectiveKernel() - stride;
        if (paddingTotal < 0) {
            throw new IllegalArgumentException(conv.name() + ": kernel shorter than its stride");
        }
        long in = conv.weight().dim(1);
        switch (mode) {
            case SEGMENT -> x = pad1d(x, paddingTotal - paddingTotal / 2, paddingTotal / 2, stride, true);
            case STREAM_START -> {
                if (paddingTotal > 0) {
                    ops.keepContext(conv.name(), x, in, paddingTotal);
                }
                x = pad1d(x, paddingTotal, 0, stride, true);
            }
            case STREAM_STEP -> {
                if (paddingTotal > 0) {
                    x = ops.keepContext(conv.name(), ops.concat(ops.stateInput(conv.name(), in, paddingTotal), x), in,
                            paddingTotal);
                }
                x = pad1d(x, 0, 0, stride, false);
            }
        }
        return ops.conv(x, conv);
    }

    /**
     * The reference's {@code pad1d(x, (left, right + extra), mode="reflect")} on the time axis,
     * where {@code extra = (−length) mod stride} is computed from the input's length at run time.
     * With {@code shortRule}, inputs not longer than the larger pad are first extended with zeros,
     * which are dropped from the end again after reflecting.
     */
    private String pad1d(String x, int left, int right, int stride, boolean shortRule) {
        if (stride == 1 && (!shortRule || left + right == 0)) {
            return left + right == 0 ? x : ops.reflectPad(x, left, right);
        }
        String length = shape(x);
        String rightTotal;
        if (stride > 1) {
            String extra = g.node("Mod", List.of(g.node("Neg", List.of(length)), g.vector(stride)));
            rightTotal = right == 0 ? extra : g.node("Add", List.of(extra, g.vector(right)));
        } else {
            rightTotal = g.vector(right);
        }
        if (!shortRule) {
            return reflect(x, left, rightTotal);
        }
        String maxPad = g.node("Max", List.of(g.vector(left), rightTotal));
        String zeros = g.node("Max", List.of(g.vector(0),
                g.node("Sub", List.of(g.node("Add", List.of(maxPad, g.vector(1))), length))));
        String extended = g.node("Pad", List.of(x, pads(g.vector(0, 0, 0, 0, 0, 0, 0), zeros)));
        String padded = reflect(extended, left, rightTotal);
        String end = g.node("Sub", List.of(shape(padded), zeros));
        return g.node("Slice", List.of(padded, g.vector(0), end, g.vector(LayerEmitter.TIME)));
    }

    private String reflect(String x, int left, String right) {
        return g.node("Pad", List.of(x, pads(g.vector(0, 0, 0, left, 0, 0, 0), right)), Attribute.of("mode", "reflect"));
    }

    /** The 8 pads of a 4-d Pad: 7 fixed values, then the time axis' right pad. */
    private String pads(String firstSeven, String last) {
        return g.node("Concat", List.of(firstSeven, last), Attribute.of("axis", 0L));
    }

    /** The length of the time axis as a one-element int64 tensor. */
    private String shape(String x) {
        return g.node("Shape", List.of(x), Attribute.of("start", (long) LayerEmitter.TIME),
                Attribute.of("end", (long) LayerEmitter.TIME + 1));
    }
}
