package io.github.encodecstream.graph;

import io.github.encodecstream.graph.OnnxGraphBuilder.Attribute;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.model.Layer;
import java.util.List;

/**
 * Builds the ONNX graph of a SEANet decoder from its {@link Layer}s.
 *
 * <p>The graph's input {@value #INPUT} is the summed codebook embedding {@code [batch, dimension,
 * time]}, already padded for the first convolution by the caller (who knows whether the stream
 * starts there); its output {@value #OUTPUT} is the audio {@code [batch, channels, time * hop]}.
 * Three shapes of the same network are built:
 * <ul>
 *   <li>{@link GraphMode#SEGMENT}: the non-causal 48 kHz model on one whole segment: reflect padding
 *       split on both sides, GroupNorm over the whole segment, transposed outputs trimmed on both
 *       sides. A free batch axis.</li>
 *   <li>{@link GraphMode#STREAM_START}: the causal model on the first chunk of a stream: every
 *       convolution reflect-pads its own input on the left, as the reference does at the start of
 *       the signal. Outputs the state that the next chunk needs.</li>
 *   <li>{@link GraphMode#STREAM_STEP}: the causal model on any later chunk, taking that state: each
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
    private final LayerEmitter ops = new LayerEmitter("encodec_decoder");
    private final OnnxGraphBuilder g = ops.g;
    private final GraphMode mode;

    private DecoderGraph(GraphMode mode) {
        this.mode = mode;
    }

    /** Builds the graph of the decoder {@code layers} in the given mode. */
    public static BuiltGraph build(List<Layer> layers, GraphMode mode) {
        DecoderGraph graph = new DecoderGraph(mode);
        return graph.emit(layers);
    }

    private BuiltGraph emit(List<Layer> layers) {
        Layer.Conv first = (Layer.Conv) layers.get(0);
        Object batch = mode == GraphMode.SEGMENT ? "batch" : 1L;
        String x = g.input(INPUT, ElementType.FLOAT, batch, (long) first.weight().dim(1), "time");
        x = ops.toInternal(x);
        boolean prePadded = true;
        int channels = 0;
        for (Layer layer : layers) {
            if (layer instanceof Layer.Conv conv) {
                x = conv(x, conv, prePadded);
                channels = conv.outChannels();
            } else if (layer instanceof Layer.ConvTranspose convTranspose) {
                x = convTranspose(x, convTranspose);
            } else if (layer instanceof Layer.Lstm lstm) {
                x = ops.lstm(x, lstm, mode == GraphMode.STREAM_STEP, mode != GraphMode.SEGMENT);
            } else if (layer instanceof Layer.Residual residual) {
                x = ops.residual(x, residual, (in, conv) -> conv(in, conv, false));
            } else if (layer instanceof Layer.Elu) {
                x = ops.elu(x);
            }
            prePadded = false;
        }
        ops.toExternal(x, OUTPUT);
        g.output(OUTPUT, ElementType.FLOAT, batch, (long) channels, "samples");
        ops.declareStateOutputs(false);
        return new BuiltGraph(g, ops.states());
    }

    private String conv(String x, Layer.Conv conv, boolean prePadded) {
        if (conv.stride() != 1) {
            throw new IllegalArgumentException(conv.name() + ": the decoder has stride-1 convolutions only");
        }
        int context = conv.effectiveKernel() - 1;
        if (!prePadded && context > 0) {
            long in = conv.weight().dim(1);
            x = switch (mode) {
                case SEGMENT -> ops.reflectPad(x, context - context / 2, context / 2);
                case STREAM_START -> ops.keepContext(conv.name(), ops.reflectPad(x, context, 0), in, context);
                case STREAM_STEP -> ops.keepContext(conv.name(), ops.concat(ops.stateInput(conv.name(), in, context), x),
                        in, context);
            };
        }
        return ops.conv(x, conv);
    }

    private String convTranspose(String x, Layer.ConvTranspose layer) {
        int stride = layer.stride();
        int overhang = layer.kernel() - stride;
        float[] bias = layer.bias();
        if (mode == GraphMode.SEGMENT) {
            String y = g.node("ConvTranspose", List.of(x, ops.weight(layer.weight()), g.constant("b", bias, bias.length)),
                    Attribute.ints("strides", 1, stride));
            if (layer.norm() != null) {
                y = ops.groupNorm(y, layer.norm());
            }
            int right = overhang / 2;
            return ops.slice(y, overhang - right, -right);
        }
        String y = g.node("ConvTranspose", List.of(x, ops.weight(layer.weight())), Attribute.ints("strides", 1, stride));
        StateSpec spec = ops.addState(layer.name(), layer.outChannels(), overhang);
        g.node("Squeeze", List.of(ops.slice(y, -overhang, LayerEmitter.END), g.vector(2)), List.of(spec.output()));
        String body;
        if (mode == GraphMode.STREAM_START) {
            body = ops.slice(y, 0, -overhang);
        } else {
            String head = g.node("Add", List.of(ops.slice(y, 0, overhang),
                    ops.stateInput(layer.name(), layer.outChannels(), overhang)));
            body = ops.concat(head, ops.slice(y, overhang, -overhang));
        }
        return g.node("Add", List.of(body, g.constant("b", bias, bias.length, 1, 1)));
    }
}
