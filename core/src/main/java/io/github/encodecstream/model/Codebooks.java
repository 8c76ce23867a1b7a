package io.github.encodecstream.model;

import io.github.encodecstream.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The residual vector quantiser's codebooks ({@code quantizer.vq.layers.K._codebook.embed},
 * each {@code [bins, dimension]}). Decoding sums, for each step, the entries that the step's
 * codes select in the first {@code nc} codebooks.
 */
public final class Codebooks {
    private final float[][] embed;
    private final int bins;
    private final int dimension;

    private Codebooks(float[][] embed, int bins, int dimension) {
        this.embed = embed;
        this.bins = bins;
        this.dimension = dimension;
    }

    /** Reads every codebook of a checkpoint. */
    public static Codebooks read(Map<String, Tensor> tensors) {
        List<float[]> books = new ArrayList<>();
        int bins = 0;
        int dimension = 0;
        for (int k = 0; ; k++) {
            Tensor t = tensors.get("quantizer.vq.layers." + k + "._codebook.embed");
            if (t == null) {
                break;
            }
            bins = t.shape()[0];
            dimension = t.shape()[1];
            books.add(t.toFloats());
        }
        if (books.isEmpty()) {
            throw new IllegalArgumentException("checkpoint has no quantizer.vq.layers.0._codebook.embed");
        }
        return new Codebooks(books.toArray(float[][]::new), bins, dimension);
    }

    /**
     * Codebooks from arrays, each {@code [bins, dimension]} row-major, all of the same size (for
     * tests and tools; checkpoints go through {@link #read}).
     */
    public static Codebooks of(float[][] books, int dimension) {
        if (books.length == 0 || dimension < 1 || books[0].length % dimension != 0) {
            throw new IllegalArgumentException("codebooks must be non-empty [bins, " + dimension + "] arrays");
        }
        float[][] copy = new float[books.length][];
        for (int k = 0; k < books.length; k++) {
            if (books[k].length != books[0].length) {
                throw new IllegalArgumentException("codebook " + k + " differs in size from codebook 0");
            }
            copy[k] = books[k].clone();
        }
        return new Codebooks(copy, books[0].length / dimension, dimension);
    }

    /** Number of codebooks. */
    public int count() {
        return embed.length;
    }

    /** Entries per codebook. */
    public int bins() {
        return bins;
    }

    /** Length of an embedding vector. */
    public int dimension() {
        return dimension;
    }

    /**
     * Decodes {@code steps} steps of codes laid out {@code [step][codebook]} into
     * {@code out[offset + d * stride + step]}: channel-major, as a {@code [dimension, time]} row of
     * a graph input whose time axis is {@code stride} long.
     */
    public void decode(int[] codes, int codebooks, int steps, float[] out, int offset, int stride) {
        if (codebooks > embed.length) {
            throw new IllegalArgumentException(codebooks + " codebooks requested, model has " + embed.length);
        }
        for (int s = 0; s < steps; s++) {
            for (int d = 0; d < dimension; d++) {
                out[offset + d * stride + s] = 0f;
            }
            for (int k = 0; k < codebooks; k++) {
                int code = codes[s * codebooks + k];
                if (code < 0 || code >= bins) {
                    throw new IllegalArgumentException("code " + code + " outside codebook of " + bins);
                }
                float[] book = embed[k];
                int base = code * dimension;
                for (int d = 0; d < dimension; d++) {
                    out[offset + d * stride + s] += book[base + d];
                }
            }
        }
    }

    /** A copy of codebook {@code k}, {@code [bins, dimension]} row-major. */
    public float[] codebook(int k) {
        return embed[k].clone();
    }

    /**
     * Encodes {@code steps} frames of an embedding laid out {@code [dimension, steps]} (channel
     * major, as a graph outputs it) with the first {@code codebooks} codebooks, by the reference's
     * residual rule: for each codebook in turn, the code is the entry with the largest
     * {@code −((‖r‖² − 2·r·e) + ‖e‖²)}, computed in float32 (the first entry on ties), and the
     * residual {@code r} loses that entry. Returns the codes {@code [codebook][step]}.
     *
     * <p>A plain Java statement of the rule; the encoder runs the same computation as an ONNX
     * graph ({@code graph.QuantizerGraph}), whose sums may round differently in the last bit.
     */
    public int[] encode(float[] embedding, int steps, int codebooks) {
        if (codebooks < 1 || codebooks > embed.length) {
            throw new IllegalArgumentException(codebooks + " codebooks requested, model has " + embed.length);
        }
        int[] codes = new int[codebooks * steps];
        float[] r = new float[dimension];
        for (int s = 0; s < steps; s++) {
            for (int d = 0; d < dimension; d++) {
                r[d] = embedding[d * steps + s];
            }
            for (int k = 0; k < codebooks; k++) {
                float[] book = embed[k];
                float squares = 0f;
                for (int d = 0; d < dimension; d++) {
                    squares += r[d] * r[d];
                }
                int best = 0;
                float bestDist = Float.NEGATIVE_INFINITY;
                for (int b = 0; b < bins; b++) {
                    float dot = 0f;
                    double norm = 0;
                    int base = b * dimension;
                    for (int d = 0; d < dimension; d++) {
                        dot += r[d] * book[base + d];
                        norm += (double) (book[base + d] * book[base + d]);
                    }
                    float dist = -((squares - 2f * dot) + (float) norm);
                    if (dist > bestDist) {
                        bestDist = dist;
                        best = b;
                    }
                }
                codes[k * steps + s] = best;
                int base = best * dimension;
                for (int d = 0; d < dimension; d++) {
                    r[d] -= book[base + d];
                }
            }
        }
        return codes;
    }
}
