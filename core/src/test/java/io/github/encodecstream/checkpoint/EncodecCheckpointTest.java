package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real EnCodec checkpoints (random weights) load completely. */
class EncodecCheckpointTest {

    @Test
    void encodec24kHzZip() throws IOException {
        Map<String, Tensor> tensors = TorchCheckpoint.read(ReferenceData.models().resolve("encodec_24khz-random.th"));
        assertEquals(252, tensors.size());
        assertEquals("encoder.model.0.conv.conv.bias", tensors.keySet().iterator().next());
        Tensor w = tensors.get("decoder.model.3.convtr.convtr.weight_v");
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(new int[] {512, 256, 16}, w.shape());
        float[] values = w.toFloats();
        assertEquals(512 * 256 * 16, values.length);
        // first elements, read from the raw storage with Python
        assertArrayEquals(new float[] {-0.010904185473918915f, -0.009051140397787094f, -0.0002607665956020355f,
                0.01414833590388298f}, Arrays.copyOf(values, 4));
        // embed and embed_avg share one storage in the file
        assertArrayEquals(tensors.get("quantizer.vq.layers.0._codebook.embed").toFloats(),
                tensors.get("quantizer.vq.layers.0._codebook.embed_avg").toFloats());
        for (Tensor t : tensors.values()) {
            assertEquals(DType.FLOAT32, t.dtype());
        }
    }

    @Test
    void encodec48kHzZip() throws IOException {
        Map<String, Tensor> tensors = TorchCheckpoint.read(ReferenceData.models().resolve("encodec_48khz-random.th"));
        assertEquals(224, tensors.size());
        assertArrayEquals(new int[] {32, 2, 7}, tensors.get("encoder.model.0.conv.conv.weight").shape());
        assertArrayEquals(new int[] {2}, tensors.get("decoder.model.15.conv.norm.bias").shape());
    }

    @Test
    void languageModelLegacy() throws IOException {
        Map<String, Tensor> tensors = TorchCheckpoint.read(ReferenceData.models().resolve("encodec_lm_48khz-random.th"));
        assertEquals(110, tensors.size());
        assertEquals("transformer.norm_in.weight", tensors.keySet().iterator().next());
        assertArrayEquals(new int[] {1024}, tensors.get("linears.15.bias").shape());
        long elements = tensors.values().stream().mapToLong(Tensor::numel).sum();
        assertTrue(elements * 4 > 35_000_000L, "about 36 MB of float32: " + elements);
    }
}
