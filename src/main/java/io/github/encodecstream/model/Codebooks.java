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
}
