package io.github.encodecstream.graph;

import io.github.encodecstream.graph.OnnxGraphBuilder.Attribute;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.model.Codebooks;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ONNX graph of the residual vector quantiser's encoder for a number of codebooks.
 *
 * <p>Input {@value #INPUT}: the embedding {@code [1, dimension, frames]}; output {@value #OUTPUT}:
 * int64 codes {@code [codebooks, frames]}. For each codebook in turn, as the reference computes it
 * in float32: {@code dist = −((‖r‖² − 2·r·E) + ‖e‖²)} for every entry (the matrix product
 * {@code r·E} by ONNX Runtime's GEMM, the entries' squared norms computed here in double and
 * rounded to float), the code is the {@code ArgMax} (the first index on ties, as
 * {@code torch.max}), and the residual {@code r} loses the chosen entry.
 */
public final class QuantizerGraph {
    /** Name of the graph input. */
    public static final String INPUT = "embedding";
    /** Name of the graph output. */
    public static final String OUTPUT = "codes";

    private QuantizerGraph() {}

    /** The graph for the first {@code codebooks} codebooks. */
    public static byte[] build(Codebooks books, int codebooks) {
        if (codebooks < 1 || codebooks > books.count()) {
            throw new IllegalArgumentException(codebooks + " codebooks requested, model has " + books.count());
        }
        int bins = books.bins();
        int dim = books.dimension();
        OnnxGraphBuilder g = new OnnxGraphBuilder("encodec_quantizer");
        String x = g.input(INPUT, ElementType.FLOAT, 1L, (long) dim, "frames");
        String residual = g.node("Transpose", List.of(g.node("Squeeze", List.of(x, g.vector(0)))),
                Attribute.ints("perm", 1, 0));
        String two = g.constant("two", new float[] {2f});
        String axis1 = g.vector(1);
        List<String> codes = new ArrayList<>();
        for (int k = 0; k < codebooks; k++) {
            float[] embed = books.codebook(k);
            float[] transposed = new float[embed.length];
            float[] norms = new float[bins];
            for (int b = 0; b < bins; b++) {
                double sum = 0;
                for (int d = 0; d < dim; d++) {
                    float v = embed[b * dim + d];
                    transposed[d * bins + b] = v;
                    sum += (double) (v * v);
                }
                norms[b] = (float) sum;
            }
            String squares = g.node("ReduceSum", List.of(g.node("Mul", List.of(residual, residual)), axis1),
                    Attribute.of("keepdims", 1L));
            String dot = g.node("MatMul", List.of(residual, g.constant("embed_t", transposed, dim, bins)));
            String partial = g.node("Sub", List.of(squares, g.node("Mul", List.of(dot, two))));
            String dist = g.node("Neg", List.of(g.node("Add", List.of(partial, g.constant("embed_sq", norms, 1, bins)))));
            String code = g.node("ArgMax", List.of(dist), Attribute.of("axis", 1L), Attribute.of("keepdims", 0L),
                    Attribute.of("select_last_index", 0L));
            codes.add(g.node("Unsqueeze", List.of(code, g.vector(0))));
            if (k + 1 < codebooks) {
                String chosen = g.node("Gather", List.of(g.constant("embed", embed, bins, dim), code),
                        Attribute.of("axis", 0L));
                residual = g.node("Sub", List.of(residual, chosen));
            }
        }
        if (codes.size() == 1) {
            g.node("Identity", codes, List.of(OUTPUT));
        } else {
            g.node("Concat", codes, List.of(OUTPUT), Attribute.of("axis", 0L));
        }
        g.output(OUTPUT, ElementType.INT64, (long) codebooks, "frames");
        return g.build();
    }
}
