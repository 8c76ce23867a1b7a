package io.github.encodecstream.model;

/**
 * One layer of a SEANet decoder (or encoder), with its weights already folded: weight norm is
 * applied, so a convolution is a plain weight and bias, optionally followed by a
 * GroupNorm(1, channels) affine for the non-causal 48 kHz model.
 */
public sealed interface Layer {

    /** ELU with alpha 1. */
    record Elu() implements Layer {}

    /**
     * A 1-d convolution, PyTorch layout {@code [out, in, k]}.
     *
     * @param norm the GroupNorm applied to its output, or {@code null}
     */
    record Conv(String name, Weight weight, float[] bias, int stride, int dilation, GroupNorm norm) implements Layer {
        /** Output channels. */
        public int outChannels() {
            return weight.dim(0);
        }

        /** Kernel size. */
        public int kernel() {
            return weight.dim(2);
        }

        /** Effective kernel size, {@code (k - 1) * dilation + 1}. */
        public int effectiveKernel() {
            return (kernel() - 1) * dilation + 1;
        }
    }

    /**
     * A 1-d transposed convolution, PyTorch layout {@code [in, out, k]}.
     *
     * @param norm the GroupNorm applied to its untrimmed output, or {@code null}
     */
    record ConvTranspose(String name, Weight weight, float[] bias, int stride, GroupNorm norm) implements Layer {
        /** Output channels. */
        public int outChannels() {
            return weight.dim(1);
        }

        /** Kernel size. */
        public int kernel() {
            return weight.dim(2);
        }
    }

    /**
     * A multi-layer unidirectional LSTM with the skip connection {@code y = lstm(x) + x}.
     * Weights per layer in PyTorch's gate order (input, forget, cell, output).
     */
    record Lstm(String name, int hidden, Weight[] weightIh, Weight[] weightHh, float[][] biasIh, float[][] biasHh)
            implements Layer {
        /** Number of stacked layers. */
        public int layers() {
            return weightIh.length;
        }
    }

    /** {@code shortcut(x) + block(x)}, block = ELU, conv, ELU, conv. */
    record Residual(String name, Conv first, Conv second, Conv shortcut) implements Layer {}

    /** The per-channel affine of a GroupNorm with one group (eps 1e-5). */
    record GroupNorm(float[] weight, float[] bias) {}
}
