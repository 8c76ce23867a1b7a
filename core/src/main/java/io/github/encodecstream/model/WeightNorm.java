package io.github.encodecstream.model;

/**
 * Folds PyTorch's weight normalisation: {@code weight = g * v / ||v||}, the norm taken over all
 * dimensions but the first of the stored tensor. For a {@code Conv1d} that is per output channel;
 * for a {@code ConvTranspose1d}, whose weight is stored {@code [in, out, k]}, per input channel.
 */
public final class WeightNorm {
    private WeightNorm() {}

    /** Returns the folded weight, in {@code v}'s shape. */
    public static Weight fold(float[] g, Weight v) {
        int rows = v.dim(0);
        if (g.length != rows) {
            throw new IllegalArgumentException("weight_g has " + g.length + " values for " + rows + " rows");
        }
        int rowSize = v.data().length / rows;
        float[] out = new float[v.data().length];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int i = r * rowSize; i < (r + 1) * rowSize; i++) {
                sum += (double) v.data()[i] * v.data()[i];
            }
            float factor = (float) (g[r] / Math.sqrt(sum));
            for (int i = r * rowSize; i < (r + 1) * rowSize; i++) {
                out[i] = v.data()[i] * factor;
            }
        }
        return new Weight(out, v.shape());
    }
}
