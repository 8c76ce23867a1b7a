package io.github.encodecstream.entropy;

import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.checkpoint.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The weights of the reference's entropy-coding LM ({@code LMModel}: {@code n_q} codebooks of 1024 codes,
 * dimension 200, 8 heads, feed-forward 800, 5 post-norm layers), held as float arrays laid out for
 * {@link DeterministicLm}: embeddings row-major {@code [code][dim]}, every linear layer transposed
 * ({@code [in][out]}, one array per input row) so that a matrix-vector product runs along contiguous outputs,
 * each row indexed from 0 (which lets the JIT vectorise the loops).
 *
 * <p>Immutable after construction; one instance serves any number of {@link DeterministicLm}s.
 */
public final class LmWeights {
    /** Codes per codebook. */
    public static final int CARDINALITY = 1024;
    /** Attention heads (the reference's default; not recorded in a checkpoint). */
    public static final int HEADS = 8;

    final int codebooks;
    /** The codebooks of the checkpoint, of which the first {@link #codebooks} are loaded. */
    final int checkpointCodebooks;
    final int dim;
    final int layers;
    final int ff;
    /** emb.K.weight, [1025][dim] each. */
    final float[][] emb;
    final float[] normInWeight;
    final float[] normInBias;
    final Layer[] layer;
    /** linears.K.weight transposed, [dim][1024] each. */
    final float[][][] headT;
    final float[][] headBias;

    static final class Layer {
        /** in_proj_weight transposed: [dim][3 dim], outputs q, k, v. */
        float[][] inProjT;
        float[] inProjBias;
        float[][] outProjT;
        float[] outProjBias;
        float[][] linear1T;
        float[] linear1Bias;
        float[][] linear2T;
        float[] linear2Bias;
        float[] norm1Weight;
        float[] norm1Bias;
        float[] norm2Weight;
        float[] norm2Bias;
    }

    private LmWeights(int codebooks, int dim, int layers, int ff) {
        this(codebooks, codebooks, dim, layers, ff);
    }

    private LmWeights(int codebooks, int checkpointCodebooks, int dim, int layers, int ff) {
        if (dim % HEADS != 0) {
            throw new IllegalArgumentException("dimension " + dim + " is not a multiple of " + HEADS + " heads");
        }
        this.codebooks = codebooks;
        this.checkpointCodebooks = checkpointCodebooks;
        this.dim = dim;
        this.layers = layers;
        this.ff = ff;
        this.emb = new float[codebooks][];
        this.normInWeight = new float[dim];
        this.normInBias = new float[dim];
        this.layer = new Layer[layers];
        this.headT = new float[codebooks][][];
        this.headBias = new float[codebooks][];
    }

    /**
     * The number of codebooks loaded, which streams of at most that many codebooks can use: all the
     * checkpoint's (16 for the 48 kHz LM, 32 for the 24 kHz one) unless fewer were asked for.
     */
    public int codebooks() {
        return codebooks;
    }

    /** Whether streams of {@code count} codebooks can use these weights, or the checkpoint has no more. */
    public boolean covers(int count) {
        return codebooks >= Math.min(count, checkpointCodebooks);
    }

    /** The transformer's dimension (200). */
    public int dim() {
        return dim;
    }

    /** The number of transformer layers (5). */
    public int layers() {
        return layers;
    }

    /** Reads an LM checkpoint ({@code encodec_lm_*.th}). */
    public static LmWeights read(Path checkpoint) throws IOException {
        return read(checkpoint, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code codebooks} codebooks of an LM checkpoint (all when it has fewer): their
     * embeddings and output heads are most of its weights (52 of the 24 kHz LM's 62 MB), and a file
     * at 6 kbps uses 8 (24 kHz) or 4 (48 kHz) of them.
     */
    public static LmWeights read(Path checkpoint, int codebooks) throws IOException {
        long size = java.nio.file.Files.size(checkpoint);
        return fromTensors(TorchCheckpoint.read(checkpoint), codebooks, 2 * size + (1 << 20));
    }

    /**
     * The LM of a state dict: the codebook count from the {@code emb.K} tensors, the layer count from
     * {@code transformer.layers.N}, dimension and feed-forward size from the shapes.
     *
     * @throws IOException where a tensor is missing or has another shape
     */
    public static LmWeights fromTensors(Map<String, Tensor> tensors) throws IOException {
        return fromTensors(tensors, Integer.MAX_VALUE);
    }

    /** {@link #fromTensors(Map)} with the first {@code maxCodebooks} codebooks only (at least one). */
    public static LmWeights fromTensors(Map<String, Tensor> tensors, int maxCodebooks) throws IOException {
        return fromTensors(tensors, maxCodebooks, Long.MAX_VALUE);
    }

    /** The most codebooks an LM may have (the 24 kHz model's 32). */
    static final int MAX_CODEBOOKS = 32;
    /** The most layers, dimension and feed-forward size an LM may have (the official: 5, 200, 800). */
    static final int MAX_LAYERS = 64;
    static final int MAX_DIM = 4096;
    static final int MAX_FF = 16384;

    /**
     * {@link #fromTensors(Map, int)}, refusing an LM whose shapes ask for more than {@code maxBytes} of
     * weights before any is copied: tensors may share one storage, so that a small checkpoint could
     * otherwise name gigabytes (a read from a file allows twice its size).
     */
    static LmWeights fromTensors(Map<String, Tensor> tensors, int maxCodebooks, long maxBytes) throws IOException {
        if (maxCodebooks < 1) {
            throw new IllegalArgumentException("at least one codebook, not " + maxCodebooks);
        }
        int codebooks = 0;
        while (tensors.containsKey("emb." + codebooks + ".weight")) {
            codebooks++;
        }
        int layers = 0;
        while (tensors.containsKey("transformer.layers." + layers + ".self_attn.in_proj_weight")) {
            layers++;
        }
        if (codebooks == 0 || layers == 0) {
            throw new IOException("not an EnCodec LM checkpoint: no emb.0.weight or transformer.layers.0");
        }
        int[] embShape = shape(tensors, "emb.0.weight");
        if (embShape.length != 2 || embShape[0] != CARDINALITY + 1) {
            throw new IOException("emb.0.weight has shape " + Arrays.toString(embShape) + ", expected [1025, dim]");
        }
        int dim = embShape[1];
        int ff = shape(tensors, "transformer.layers.0.linear1.weight")[0];
        if (codebooks > MAX_CODEBOOKS || layers > MAX_LAYERS || dim < 1 || dim > MAX_DIM || ff < 1 || ff > MAX_FF) {
            throw new IOException("not an EnCodec LM checkpoint: " + codebooks + " codebooks, " + layers
                    + " layers, dimension " + dim + ", feed-forward " + ff + " (at most " + MAX_CODEBOOKS + ", "
                    + MAX_LAYERS + ", " + MAX_DIM + ", " + MAX_FF + ")");
        }
        int loaded = Math.min(codebooks, maxCodebooks);
        long perCodebook = (CARDINALITY + 1L) * dim + (long) CARDINALITY * dim + CARDINALITY;
        long perLayer = 4L * dim * dim + 2L * dim * ff + ff + 9L * dim; // matrices, biases, norms
        long bytes = 4 * (loaded * perCodebook + layers * perLayer + 2L * dim);
        if (bytes > maxBytes) {
            throw new IOException("LM checkpoint: its shapes ask for " + bytes + " bytes of weights, more than its "
                    + "size allows (" + maxBytes + ")");
        }
        LmWeights w = new LmWeights(loaded, codebooks, dim, layers, ff);
        for (int k = 0; k < w.codebooks; k++) {
            w.emb[k] = floats(tensors, "emb." + k + ".weight", CARDINALITY + 1, dim);
            w.headT[k] = transpose(floats(tensors, "linears." + k + ".weight", CARDINALITY, dim), CARDINALITY, dim);
            w.headBias[k] = floats(tensors, "linears." + k + ".bias", CARDINALITY);
        }
        copy(floats(tensors, "transformer.norm_in.weight", dim), w.normInWeight);
        copy(floats(tensors, "transformer.norm_in.bias", dim), w.normInBias);
        for (int l = 0; l < layers; l++) {
            String p = "transformer.layers." + l + ".";
            Layer layer = new Layer();
            layer.inProjT = transpose(floats(tensors, p + "self_attn.in_proj_weight", 3 * dim, dim), 3 * dim, dim);
            layer.inProjBias = floats(tensors, p + "self_attn.in_proj_bias", 3 * dim);
            layer.outProjT = transpose(floats(tensors, p + "self_attn.out_proj.weight", dim, dim), dim, dim);
            layer.outProjBias = floats(tensors, p + "self_attn.out_proj.bias", dim);
            layer.linear1T = transpose(floats(tensors, p + "linear1.weight", ff, dim), ff, dim);
            layer.linear1Bias = floats(tensors, p + "linear1.bias", ff);
            layer.linear2T = transpose(floats(tensors, p + "linear2.weight", dim, ff), dim, ff);
            layer.linear2Bias = floats(tensors, p + "linear2.bias", dim);
            layer.norm1Weight = floats(tensors, p + "norm1.weight", dim);
            layer.norm1Bias = floats(tensors, p + "norm1.bias", dim);
            layer.norm2Weight = floats(tensors, p + "norm2.weight", dim);
            layer.norm2Bias = floats(tensors, p + "norm2.bias", dim);
            w.layer[l] = layer;
        }
        return w;
    }

    /**
     * Weights generated from {@code seed} with integer arithmetic only (SplitMix64; each value a multiple of
     * 2^-24 scaled by a float constant), identical on every JVM: for tests and cross-machine checks where no
     * checkpoint is at hand. The scales are PyTorch's default initialisation ranges, roughly, so activations
     * look like a real network's.
     */
    public static LmWeights random(long seed, int codebooks, int dim, int layers, int ff) {
        SplitMix r = new SplitMix(seed);
        LmWeights w = new LmWeights(codebooks, dim, layers, ff);
        float inScale = 1f / (float) StrictMath.sqrt(dim);
        float ffScale = 1f / (float) StrictMath.sqrt(ff);
        for (int k = 0; k < codebooks; k++) {
            w.emb[k] = r.uniform((CARDINALITY + 1) * dim, 1.7f);
            w.headT[k] = rows(r.uniform(dim * CARDINALITY, inScale), dim, CARDINALITY);
            w.headBias[k] = r.uniform(CARDINALITY, inScale);
        }
        copy(r.around(dim, 1f, 0.1f), w.normInWeight);
        copy(r.uniform(dim, 0.1f), w.normInBias);
        for (int l = 0; l < layers; l++) {
            Layer layer = new Layer();
            layer.inProjT = rows(r.uniform(dim * 3 * dim, inScale), dim, 3 * dim);
            layer.inProjBias = r.uniform(3 * dim, 0.1f);
            layer.outProjT = rows(r.uniform(dim * dim, inScale), dim, dim);
            layer.outProjBias = r.uniform(dim, 0.1f);
            layer.linear1T = rows(r.uniform(dim * ff, inScale), dim, ff);
            layer.linear1Bias = r.uniform(ff, inScale);
            layer.linear2T = rows(r.uniform(ff * dim, ffScale), ff, dim);
            layer.linear2Bias = r.uniform(dim, ffScale);
            layer.norm1Weight = r.around(dim, 1f, 0.1f);
            layer.norm1Bias = r.uniform(dim, 0.1f);
            layer.norm2Weight = r.around(dim, 1f, 0.1f);
            layer.norm2Bias = r.uniform(dim, 0.1f);
            w.layer[l] = layer;
        }
        return w;
    }

    /** The reference's shape: 200 dimensions, 5 layers, feed-forward 800. */
    public static LmWeights random(long seed, int codebooks) {
        return random(seed, codebooks, 200, 5, 800);
    }

    private static final class SplitMix {
        private long state;

        SplitMix(long seed) {
            state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** n values uniform in [-scale, scale): (k / 2^23 − 1) · scale, k a 24-bit integer. */
        float[] uniform(int n, float scale) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = ((next() >>> 40) * 0x1p-23f - 1f) * scale;
            }
            return out;
        }

        float[] around(int n, float center, float scale) {
            float[] out = uniform(n, scale);
            for (int i = 0; i < n; i++) {
                out[i] += center;
            }
            return out;
        }
    }

    private static int[] shape(Map<String, Tensor> tensors, String name) throws IOException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IOException("LM checkpoint lacks " + name);
        }
        return t.shape();
    }

    private static float[] floats(Map<String, Tensor> tensors, String name, int... expected) throws IOException {
        int[] shape = shape(tensors, name);
        if (!Arrays.equals(shape, expected)) {
            throw new IOException("LM checkpoint: " + name + " has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expected));
        }
        return tensors.get(name).toFloats();
    }

    /** Row-major [rows][cols] to [cols][rows], one array per row of the result. */
    private static float[][] transpose(float[] a, int rows, int cols) {
        float[][] t = new float[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c][r] = a[r * cols + c];
            }
        }
        return t;
    }

    /** Row-major [rows][cols] as one array per row. */
    private static float[][] rows(float[] a, int rows, int cols) {
        float[][] t = new float[rows][];
        for (int r = 0; r < rows; r++) {
            t[r] = Arrays.copyOfRange(a, r * cols, (r + 1) * cols);
        }
        return t;
    }

    private static void copy(float[] from, float[] to) {
        System.arraycopy(from, 0, to, 0, to.length);
    }
}
