package io.github.encodecstream.entropy;

/**
 * The reference's entropy-coding LM ({@code encodec/model.py LMModel} over
 * {@code encodec/modules/transformer.py StreamingTransformerEncoder}), one step at a time, in plain Java
 * arithmetic with one fixed order of operations, so that its probabilities are the same bits on every JVM, CPU
 * and operating system (see {@code docs/LM.md}).
 *
 * <p>Per step: the previous step's codes plus one (zeros at the start) select one embedding per codebook, summed
 * in codebook order; LayerNorm ({@code norm_in}); plus the sinusoidal position embedding (cos half, then sin
 * half, max period 10 000, position = steps since {@link #reset()}); {@code layers} post-norm transformer layers
 * (8-head self-attention over the keys and values of at most {@code pastContext} earlier steps, the reference's
 * initial all-zero state included, then {@code x = norm1(x + attn)}, {@code x = norm2(x + linear2(gelu(linear1 x)))});
 * per codebook a linear head and a softmax.
 *
 * <p>Determinism: float32 multiply-adds accumulated in ascending input order, one accumulator per output (the
 * loops run along outputs, which the JIT may vectorise without changing any value); LayerNorm statistics,
 * softmax and GELU in double with {@link DetMath}'s {@code exp} and {@code erf} and {@link StrictMath}'s
 * {@code sqrt}, {@code pow}, {@code sin}, {@code cos}; no {@code Math} transcendentals, no fused multiply-add,
 * no threads. One instance holds one stream's state: not thread-safe; use one per segment being coded.
 */
public final class DeterministicLm {
    /**
     * The version of this probability model's arithmetic. Any change of the operations or their order that can
     * change one bit of a probability needs a new version (files record it; older versions stay decodable).
     */
    public static final int ARITHMETIC_VERSION = 1;

    private static final int CARD = LmWeights.CARDINALITY;
    private static final double LN_EPS = 1e-5;

    private final LmWeights w;
    private final int codebooks;
    private final int pastContext;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final float scaling;
    /** Slots per layer: the past context plus the current step. */
    private final int cap;
    /** Per layer, keys column-major [dim][cap] and values row-major [cap][dim], slot = (time + 1) % cap. */
    private final float[][] keys;
    private final float[][] values;
    /** The position embedding's denominators, 10000^(i / (half − 1)) in float as the reference computes them. */
    private final float[] periods;

    private long step;

    private final float[] x;
    private final float[] qkv;
    private final float[] attn;
    private final float[] tmp;
    private final float[] hidden;
    private final float[] scores;
    private final double[] expScores;
    private final float[] logits;
    private final double[] expLogits = new double[CARD];

    /**
     * An LM stream over the first {@code codebooks} codebooks of {@code weights} (a file's codebook count),
     * attending to at most {@code pastContext} earlier steps ({@link #pastContext(int)}).
     */
    public DeterministicLm(LmWeights weights, int codebooks, int pastContext) {
        if (codebooks < 1 || codebooks > weights.codebooks) {
            throw new IllegalArgumentException("the LM models 1 to " + weights.codebooks + " codebooks, not " + codebooks);
        }
        if (pastContext < 1) {
            throw new IllegalArgumentException("past context " + pastContext);
        }
        this.w = weights;
        this.codebooks = codebooks;
        this.pastContext = pastContext;
        this.dim = weights.dim;
        this.heads = LmWeights.HEADS;
        this.headDim = dim / heads;
        this.scaling = (float) (1.0 / StrictMath.sqrt(headDim));
        this.cap = pastContext + 1;
        this.keys = new float[weights.layers][dim * cap];
        this.values = new float[weights.layers][cap * dim];
        int half = dim / 2;
        this.periods = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) i / (float) (half - 1);
            periods[i] = (float) StrictMath.pow(10000.0, exponent);
        }
        this.x = new float[dim];
        this.qkv = new float[3 * dim];
        this.attn = new float[dim];
        this.tmp = new float[dim];
        this.hidden = new float[weights.ff];
        this.scores = new float[cap];
        this.expScores = new double[cap];
        this.logits = new float[CARD];
        reset();
    }

    /** The reference's past context for a frame rate: {@code int(3.5 * frame_rate)} (525 at 150 Hz, 262 at 75 Hz). */
    public static int pastContext(int frameRate) {
        return (7 * frameRate) / 2;
    }

    /** The codebooks this stream predicts. */
    public int codebooks() {
        return codebooks;
    }

    /** Steps taken since the last {@link #reset()}. */
    public long position() {
        return step;
    }

    /** Restarts the stream (a new 48 kHz segment): no past, position 0. */
    public void reset() {
        step = 0;
        // the reference's initial state: one all-zero layer input, whose key and value are the projections' biases
        for (int l = 0; l < w.layers; l++) {
            float[] bias = w.layer[l].inProjBias;
            for (int d = 0; d < dim; d++) {
                keys[l][d * cap] = bias[dim + d];
                values[l][d] = bias[2 * dim + d];
            }
        }
    }

    /**
     * The probabilities of this step's codes, given the previous step's codes ({@code null} at the first step
     * after {@link #reset()}), then advances one step.
     *
     * @param previousCodes the codes of the previous step, {@code [codebooks]}, each in 0..1023; or null
     * @param probabilities out: {@code [codebooks * 1024]}, codebook-major
     */
    public void next(int[] previousCodes, float[] probabilities) {
        embed(previousCodes);
        int slot = (int) ((step + 1) % cap);
        int filled = (int) Math.min(step + 2, cap);
        for (int l = 0; l < w.layers; l++) {
            layer(w.layer[l], keys[l], values[l], slot, filled);
        }
        for (int k = 0; k < codebooks; k++) {
            matvec(w.headT[k], dim, CARD, x, logits);
            float[] bias = w.headBias[k];
            for (int j = 0; j < CARD; j++) {
                logits[j] += bias[j];
            }
            softmax(logits, CARD, probabilities, k * CARD);
        }
        step++;
    }

    private void embed(int[] previousCodes) {
        for (int k = 0; k < codebooks; k++) {
            int index = 0;
            if (previousCodes != null) {
                int code = previousCodes[k];
                if (code < 0 || code >= CARD) {
                    throw new IllegalArgumentException("code " + code + " out of range in codebook " + k);
                }
                index = code + 1;
            }
            float[] e = w.emb[k];
            int base = index * dim;
            if (k == 0) {
                System.arraycopy(e, base, x, 0, dim);
            } else {
                for (int d = 0; d < dim; d++) {
                    x[d] += e[base + d];
                }
            }
        }
        layerNorm(x, x, w.normInWeight, w.normInBias);
        int half = dim / 2;
        float position = (float) step;
        for (int i = 0; i < half; i++) {
            double phase = position / periods[i];
            x[i] += (float) StrictMath.cos(phase);
            x[half + i] += (float) StrictMath.sin(phase);
        }
    }

    private void layer(LmWeights.Layer p, float[] k, float[] v, int slot, int filled) {
        matvec(p.inProjT, dim, 3 * dim, x, qkv);
        for (int j = 0; j < 3 * dim; j++) {
            qkv[j] += p.inProjBias[j];
        }
        for (int d = 0; d < dim; d++) {
            k[d * cap + slot] = qkv[dim + d];
        }
        System.arraycopy(qkv, 2 * dim, v, slot * dim, dim);
        // chronological order of the filled slots: the oldest is the one after the current slot, when full
        int oldest = filled == cap ? (slot + 1) % cap : 0;
        for (int h = 0; h < heads; h++) {
            java.util.Arrays.fill(scores, 0, filled, 0f);
            for (int d = h * headDim; d < (h + 1) * headDim; d++) {
                float q = qkv[d] * scaling;
                int base = d * cap;
                for (int s = 0; s < filled; s++) {
                    scores[s] += q * k[base + s];
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < filled; s++) {
                max = Math.max(max, scores[s]);
            }
            double sum = 0;
            for (int i = 0, s = oldest; i < filled; i++, s = s + 1 == cap ? 0 : s + 1) {
                double e = DetMath.exp((double) scores[s] - max);
                expScores[s] = e;
                sum += e;
            }
            int from = h * headDim;
            int to = from + headDim;
            for (int d = from; d < to; d++) {
                attn[d] = 0f;
            }
            for (int i = 0, s = oldest; i < filled; i++, s = s + 1 == cap ? 0 : s + 1) {
                float a = (float) (expScores[s] / sum);
                int base = s * dim;
                for (int d = from; d < to; d++) {
                    attn[d] += a * v[base + d];
                }
            }
        }
        matvec(p.outProjT, dim, dim, attn, tmp);
        for (int d = 0; d < dim; d++) {
            tmp[d] = x[d] + (tmp[d] + p.outProjBias[d]);
        }
        layerNorm(tmp, x, p.norm1Weight, p.norm1Bias);
        int ff = w.ff;
        matvec(p.linear1T, dim, ff, x, hidden);
        for (int j = 0; j < ff; j++) {
            hidden[j] = DetMath.gelu(hidden[j] + p.linear1Bias[j]);
        }
        matvec(p.linear2T, ff, dim, hidden, tmp);
        for (int d = 0; d < dim; d++) {
            tmp[d] = x[d] + (tmp[d] + p.linear2Bias[d]);
        }
        layerNorm(tmp, x, p.norm2Weight, p.norm2Bias);
    }

    /**
     * {@code y[j] = sum_i x[i] * wT[i * out + j]}, i ascending from {@code 0f}: one sequential sum per output.
     * Four inputs per pass, written so that Java's left-to-right evaluation keeps the same order.
     */
    static void matvec(float[] wT, int in, int out, float[] xs, float[] y) {
        java.util.Arrays.fill(y, 0, out, 0f);
        int i = 0;
        for (; i + 3 < in; i += 4) {
            float x0 = xs[i];
            float x1 = xs[i + 1];
            float x2 = xs[i + 2];
            float x3 = xs[i + 3];
            int b0 = i * out;
            int b1 = b0 + out;
            int b2 = b1 + out;
            int b3 = b2 + out;
            for (int j = 0; j < out; j++) {
                y[j] = y[j] + x0 * wT[b0 + j] + x1 * wT[b1 + j] + x2 * wT[b2 + j] + x3 * wT[b3 + j];
            }
        }
        for (; i < in; i++) {
            float xi = xs[i];
            int b = i * out;
            for (int j = 0; j < out; j++) {
                y[j] = y[j] + xi * wT[b + j];
            }
        }
    }

    /** LayerNorm (eps 1e-5, biased variance): statistics in double, summed in index order. */
    private void layerNorm(float[] in, float[] out, float[] weight, float[] bias) {
        double mean = 0;
        for (int d = 0; d < dim; d++) {
            mean += in[d];
        }
        mean /= dim;
        double var = 0;
        for (int d = 0; d < dim; d++) {
            double c = in[d] - mean;
            var += c * c;
        }
        var /= dim;
        double inv = 1.0 / StrictMath.sqrt(var + LN_EPS);
        for (int d = 0; d < dim; d++) {
            out[d] = (float) ((in[d] - mean) * inv * weight[d] + bias[d]);
        }
    }

    /** Softmax in double (max subtracted, sum in index order), each result rounded to float once. */
    private void softmax(float[] in, int n, float[] out, int offset) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, in[i]);
        }
        double sum = 0;
        double[] e = expLogits;
        for (int i = 0; i < n; i++) {
            e[i] = DetMath.exp((double) in[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] = (float) (e[i] / sum);
        }
    }
}
