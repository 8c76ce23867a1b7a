package io.github.encodecstream.model;

import io.github.encodecstream.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SEANet encoder of both EnCodec models as a list of layers, read from a checkpoint's
 * {@code encoder.model.N} tensors: a k-7 convolution to 32 channels; then for the ratios 2, 4, 5,
 * 8 a residual block, an ELU and a convolution doubling the channels with kernel {@code 2·ratio}
 * and stride {@code ratio}; then a two-layer LSTM with skip, an ELU and a final k-7 convolution
 * to the embedding dimension.
 */
public final class EncoderArchitecture {
    /** The strides of the downsampling convolutions, in order; their product is the hop (320). */
    public static final int[] RATIOS = {2, 4, 5, 8};
    private static final String PREFIX = "encoder.model.";

    private EncoderArchitecture() {}

    /**
     * Reads the encoder's layers.
     *
     * @param tensors the checkpoint's state dict
     * @param groupNorm whether convolutions carry a GroupNorm (48 kHz) instead of weight norm (24 kHz)
     */
    public static List<Layer> read(Map<String, Tensor> tensors, boolean groupNorm) {
        WeightReader weights = new WeightReader(tensors, groupNorm);
        List<Layer> layers = new ArrayList<>();
        layers.add(weights.conv(PREFIX + "0", 1, 1));
        int index = 1;
        for (int ratio : RATIOS) {
            layers.add(weights.residual(PREFIX + index, 1));
            layers.add(new Layer.Elu());
            layers.add(weights.conv(PREFIX + (index + 2), ratio, 1));
            index += 3;
        }
        layers.add(weights.lstm(PREFIX + index));
        layers.add(new Layer.Elu());
        layers.add(weights.conv(PREFIX + (index + 2), 1, 1));
        return layers;
    }

    /** Samples per embedding frame: the product of the strides. */
    public static int hop() {
        int hop = 1;
        for (int r : RATIOS) {
            hop *= r;
        }
        return hop;
    }
}
