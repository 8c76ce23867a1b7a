package io.github.encodecstream.model;

import io.github.encodecstream.checkpoint.Tensor;
import java.util.Map;

/**
 * Turns a checkpoint's tensors into {@link Layer}s, folding weight norm
 * ({@code weight_g}/{@code weight_v}) or reading plain weights with a GroupNorm
 * ({@code conv.norm.weight/bias}), following the module names of the reference implementation.
 */
final class WeightReader {
    private final Map<String, Tensor> tensors;
    private final boolean groupNorm;

    WeightReader(Map<String, Tensor> tensors, boolean groupNorm) {
        this.tensors = tensors;
        this.groupNorm = groupNorm;
    }

    /** {@code <prefix>.conv.conv.*} (and {@code .conv.norm.*}). */
    Layer.Conv conv(String prefix, int stride, int dilation) {
        String base = prefix + ".conv.";
        return new Layer.Conv(prefix, weight(base + "conv"), floats(base + "conv.bias"), stride, dilation, norm(base + "norm"));
    }

    /** {@code <prefix>.convtr.convtr.*} (and {@code .convtr.norm.*}). */
    Layer.ConvTranspose convTranspose(String prefix, int stride) {
        String base = prefix + ".convtr.";
        return new Layer.ConvTranspose(prefix, weight(base + "convtr"), floats(base + "convtr.bias"), stride, norm(base + "norm"));
    }

    /** A residual block: {@code block.1}, {@code block.3} and {@code shortcut}. */
    Layer.Residual residual(String prefix, int dilation) {
        return new Layer.Residual(prefix,
                conv(prefix + ".block.1", 1, dilation),
                conv(prefix + ".block.3", 1, 1),
                conv(prefix + ".shortcut", 1, 1));
    }

    /** {@code <prefix>.lstm.*_l<N>}, as many layers as the checkpoint has. */
    Layer.Lstm lstm(String prefix) {
        String base = prefix + ".lstm.";
        int layers = 0;
        while (tensors.containsKey(base + "weight_ih_l" + layers)) {
            layers++;
        }
        if (layers == 0) {
            throw new IllegalArgumentException("checkpoint has no " + base + "weight_ih_l0");
        }
        Weight[] ih = new Weight[layers];
        Weight[] hh = new Weight[layers];
        float[][] bih = new float[layers][];
        float[][] bhh = new float[layers][];
        for (int l = 0; l < layers; l++) {
            ih[l] = plain(base + "weight_ih_l" + l);
            hh[l] = plain(base + "weight_hh_l" + l);
            bih[l] = floats(base + "bias_ih_l" + l);
            bhh[l] = floats(base + "bias_hh_l" + l);
        }
        return new Layer.Lstm(prefix, hh[0].dim(1), ih, hh, bih, bhh);
    }

    private Weight weight(String base) {
        if (tensors.containsKey(base + ".weight_v")) {
            return WeightNorm.fold(floats(base + ".weight_g"), plain(base + ".weight_v"));
        }
        return plain(base + ".weight");
    }

    private Layer.GroupNorm norm(String base) {
        if (!groupNorm) {
            return null;
        }
        return new Layer.GroupNorm(floats(base + ".weight"), floats(base + ".bias"));
    }

    private Weight plain(String name) {
        Tensor t = require(name);
        return new Weight(t.toFloats(), t.shape());
    }

    private float[] floats(String name) {
        return require(name).toFloats();
    }

    private Tensor require(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint has no tensor " + name);
        }
        return t;
    }
}
