package io.github.encodecstream.model;

import io.github.encodecstream.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SEANet decoder of both EnCodec models as a list of layers, read from a checkpoint's
 * {@code decoder.model.N} tensors: a k-7 convolution, a two-layer LSTM with skip, then for the
 * strides 8, 5, 4, 2 an ELU, a transposed convolution and a residual block, then ELU and a
 * final k-7 convolution to the audio channels.
 */
public final class DecoderArchitecture {
    private static final int[] STRIDES = {8, 5, 4, 2};
    private static final String PREFIX = "decoder.model.";

    private DecoderArchitecture() {}

    /**
     * Reads the decoder's layers.
     *
     * @param tensors the checkpoint's state dict
     * @param groupNorm whether convolutions carry a GroupNorm (48 kHz) instead of weight norm (24 kHz)
     */
    public static List<Layer> read(Map<String, Tensor> tensors, boolean groupNorm) {
        WeightReader weights = new WeightReader(tensors, groupNorm);
        List<Layer> layers = new ArrayList<>();
        layers.add(weights.conv(PREFIX + "0", 1, 1));
        layers.add(weights.lstm(PREFIX + "1"));
        int index = 2;
        for (int stride : STRIDES) {
            layers.add(new Layer.Elu());
            layers.add(weights.convTranspose(PREFIX + (index + 1), stride));
            layers.add(weights.residual(PREFIX + (index + 2), 1));
            index += 3;
        }
        layers.add(new Layer.Elu());
        layers.add(weights.conv(PREFIX + (index + 1), 1, 1));
        return layers;
    }
}
