package io.github.encodecstream.entropy;

import java.util.Arrays;

/**
 * The computation of {@link DeterministicLm} for several independent streams ("lanes") stepped together on one
 * thread: each lane has its own position and past, and {@link #next} computes the next step's probabilities of
 * the given lanes. Each matrix-vector product runs over all of them at once, so that a block of weights is read
 * from memory once per step and then from the cache for the other lanes; every output of every lane keeps the
 * order of its operations (see {@code docs/LM.md}), so a lane's probabilities are bit for bit those of a lone
 * stream fed the same codes. {@link DeterministicLm} is one lane.
 */
final class LmLanes {
    private static final int CARD = LmWeights.CARDINALITY;
    private static final double LN_EPS = 1e-5;

    private final LmWeights w;
    private final int codebooks;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final float scaling;
    /** Slots per layer: the past context plus the current step. */
    private final int cap;
    /** The position embedding's denominators, 10000^(i / (half − 1)) in float as the reference computes them. */
    private final float[] periods;

    /** Per lane: steps since its reset. */
    private final long[] step;
    /**
     * Per lane and layer, keys [dim][cap] and values [cap][dim], slot = (time + 1) % cap; one array per row, so
     * that the loops along a row (indexed from 0) are vectorised.
     */
    private final float[][][][] keys;
    private final float[][][][] values;
    private final float[][] x;
    private final float[][] qkv;
    private final float[][] attn;
    private final float[][] tmp;
    private final float[][] hidden;
    private final float[][] logits;

    /** Scratch of the lane being worked on. */
    private final float[][] scores;
    private final float[][] attnWeights;
    private final double[] expScores;
    private final double[] expLogits = new double[CARD];
    /** The arguments of a batch of exps, and {@link DetMath#exp(double[], double[], double[], int)}'s scratch. */
    private final double[] expArgs;
    private final double[] expScratch;
    /** The vectors of the active lanes, gathered for a product. */
    private final float[][] ins;
    private final float[][] outs;

    LmLanes(LmWeights weights, int codebooks, int pastContext, int width) {
        if (codebooks < 1 || codebooks > weights.codebooks) {
            throw new IllegalArgumentException("the LM models 1 to " + weights.codebooks + " codebooks, not " + codebooks);
        }
        if (pastContext < 1) {
            throw new IllegalArgumentException("past context " + pastContext);
        }
        if (width < 1) {
            throw new IllegalArgumentException("at least one stream per pass, not " + width);
        }
        this.w = weights;
        this.codebooks = codebooks;
        this.dim = weights.dim;
        this.heads = LmWeights.HEADS;
        this.headDim = dim / heads;
        this.scaling = (float) (1.0 / StrictMath.sqrt(headDim));
        this.cap = pastContext + 1;
        int half = dim / 2;
        this.periods = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) i / (float) (half - 1);
            periods[i] = (float) StrictMath.pow(10000.0, exponent);
        }
        this.step = new long[width];
        this.keys = new float[width][weights.layers][dim][cap];
        this.values = new float[width][weights.layers][cap][dim];
        this.x = new float[width][dim];
        this.qkv = new float[width][3 * dim];
        this.attn = new float[width][dim];
        this.tmp = new float[width][dim];
        this.hidden = new float[width][weights.ff];
        this.logits = new float[width][CARD];
        this.scores = new float[heads][cap];
        this.attnWeights = new float[heads][cap];
        this.expScores = new double[cap];
        this.expArgs = new double[Math.max(cap, CARD)];
        this.expScratch = new double[Math.max(cap, CARD)];
        this.ins = new float[width][];
        this.outs = new float[width][];
        for (int lane = 0; lane < width; lane++) {
            reset(lane);
        }
    }

    int width() {
        return step.length;
    }

    int codebooks() {
        return codebooks;
    }

    long position(int lane) {
        return step[lane];
    }

    /** Restarts lane {@code lane} (a new stream): no past, position 0. */
    void reset(int lane) {
        step[lane] = 0;
        // the reference's initial state: one all-zero layer input, whose key and value are the projections' biases
        for (int l = 0; l < w.layers; l++) {
            float[] bias = w.layer[l].inProjBias;
            float[][] k = keys[lane][l];
            float[] v = values[lane][l][0];
            for (int d = 0; d < dim; d++) {
                k[d][0] = bias[dim + d];
                v[d] = bias[2 * dim + d];
            }
        }
    }

    /**
     * One step of the lanes {@code active[0..count)} (distinct): lane {@code a} gets the probabilities of its next
     * step ({@code [codebooks * 1024]}, codebook-major) in {@code probabilities[a]}, given its previous step's
     * codes {@code previous[a]} ({@code null}: none, as at a stream's start), then advances.
     */
    void next(int[] active, int count, int[][] previous, float[][] probabilities) {
        for (int i = 0; i < count; i++) {
            embed(active[i], previous[active[i]]);
        }
        for (int l = 0; l < w.layers; l++) {
            layer(l, active, count);
        }
        for (int k = 0; k < codebooks; k++) {
            product(w.headT[k], dim, CARD, x, logits, active, count);
            float[] bias = w.headBias[k];
            for (int i = 0; i < count; i++) {
                int a = active[i];
                float[] lg = logits[a];
                for (int j = 0; j < CARD; j++) {
                    lg[j] += bias[j];
                }
                softmax(lg, CARD, probabilities[a], k * CARD);
            }
        }
        for (int i = 0; i < count; i++) {
            step[active[i]]++;
        }
    }

    private void embed(int lane, int[] previousCodes) {
        float[] xs = x[lane];
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
                System.arraycopy(e, base, xs, 0, dim);
            } else {
                for (int d = 0; d < dim; d++) {
                    xs[d] += e[base + d];
                }
            }
        }
        layerNorm(xs, xs, w.normInWeight, w.normInBias);
        int half = dim / 2;
        float position = (float) step[lane];
        for (int i = 0; i < half; i++) {
            double phase = position / periods[i];
            xs[i] += (float) StrictMath.cos(phase);
            xs[half + i] += (float) StrictMath.sin(phase);
        }
    }

    /**
     * One transformer layer for the active lanes: its four products go through one call of {@link #product}
     * (one copy of the product's loops in the compiled layer: the JIT compiles it in a fraction of the time that
     * four inlined copies take, which a short command, a seek, waits for), each followed by its per-lane step.
     */
    private void layer(int l, int[] active, int count) {
        LmWeights.Layer p = w.layer[l];
        for (int stage = 0; stage < 4; stage++) {
            float[][] matrix;
            int in = dim;
            int out = dim;
            float[][] from;
            float[][] to;
            switch (stage) {
                case 0:
                    matrix = p.inProjT;
                    out = 3 * dim;
                    from = x;
                    to = qkv;
                    break;
                case 1:
                    matrix = p.outProjT;
                    from = attn;
                    to = tmp;
                    break;
                case 2:
                    matrix = p.linear1T;
                    out = w.ff;
                    from = x;
                    to = hidden;
                    break;
                default:
                    matrix = p.linear2T;
                    in = w.ff;
                    from = hidden;
                    to = tmp;
                    break;
            }
            product(matrix, in, out, from, to, active, count);
            for (int i = 0; i < count; i++) {
                afterProduct(stage, l, p, active[i]);
            }
        }
    }

    /** What follows product {@code stage} of layer {@code l} in lane {@code a}. */
    private void afterProduct(int stage, int l, LmWeights.Layer p, int a) {
        switch (stage) {
            case 0:
                attend(a, l, p.inProjBias);
                break;
            case 1:
                residual(x[a], tmp[a], p.outProjBias);
                layerNorm(tmp[a], x[a], p.norm1Weight, p.norm1Bias);
                break;
            case 2:
                gelu(hidden[a], p.linear1Bias, w.ff);
                break;
            default:
                residual(x[a], tmp[a], p.linear2Bias);
                layerNorm(tmp[a], x[a], p.norm2Weight, p.norm2Bias);
                break;
        }
    }

    /** {@code h[j] = gelu(h[j] + bias[j])}. */
    private static void gelu(float[] h, float[] bias, int n) {
        for (int j = 0; j < n; j++) {
            h[j] = DetMath.gelu(h[j] + bias[j]);
        }
    }

    /** {@code sum[d] = x[d] + (sum[d] + bias[d])}. */
    private void residual(float[] xs, float[] sum, float[] bias) {
        for (int d = 0; d < dim; d++) {
            sum[d] = xs[d] + (sum[d] + bias[d]);
        }
    }

    /** Lane {@code lane}'s self-attention in layer {@code l}: stores this step's key and value, fills attn. */
    private void attend(int lane, int l, float[] inProjBias) {
        float[] q = qkv[lane];
        for (int j = 0; j < 3 * dim; j++) {
            q[j] += inProjBias[j];
        }
        float[][] k = keys[lane][l];
        float[][] v = values[lane][l];
        long t = step[lane];
        int slot = (int) ((t + 1) % cap);
        int filled = (int) Math.min(t + 2, cap);
        for (int d = 0; d < dim; d++) {
            k[d][slot] = q[dim + d];
        }
        System.arraycopy(q, 2 * dim, v[slot], 0, dim);
        // chronological order of the filled slots: the oldest is the one after the current slot, when full
        int oldest = filled == cap ? (slot + 1) % cap : 0;
        for (int h = 0; h < heads; h++) {
            headWeights(q, k, h, filled, oldest);
        }
        weightedValues(attn[lane], v, filled, oldest);
    }

    /** Head {@code h}'s attention weights over the {@code filled} slots (oldest first in the sum) into attnWeights. */
    private void headWeights(float[] q, float[][] k, int h, int filled, int oldest) {
        float[] sc = scores[h];
        Arrays.fill(sc, 0, filled, 0f);
        int d = h * headDim;
        int end = d + headDim;
        for (; d + 3 < end; d += 4) {
            scores4(sc, filled, q[d] * scaling, k[d], q[d + 1] * scaling, k[d + 1], q[d + 2] * scaling, k[d + 2],
                    q[d + 3] * scaling, k[d + 3]);
        }
        for (; d < end; d++) {
            float qd = q[d] * scaling;
            float[] kd = k[d];
            for (int s = 0; s < filled; s++) {
                sc[s] += qd * kd[s];
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < filled; s++) {
            max = Math.max(max, sc[s]);
        }
        for (int s = 0; s < filled; s++) {
            expArgs[s] = (double) sc[s] - max;
        }
        DetMath.exp(expArgs, expScores, expScratch, filled);
        double sum = 0;
        for (int i = 0, s = oldest; i < filled; i++, s = s + 1 == cap ? 0 : s + 1) {
            sum += expScores[s];
        }
        float[] aw = attnWeights[h];
        for (int s = 0; s < filled; s++) {
            aw[s] = (float) (expScores[s] / sum);
        }
    }

    /**
     * {@code out[d]} = the sum over the slots in chronological order of weight(head of d, slot) * value(slot)[d],
     * four slots per pass, each pass over every head (so that a slot's values are read once, while cached).
     */
    private void weightedValues(float[] out, float[][] v, int filled, int oldest) {
        Arrays.fill(out, 0f);
        int i = 0;
        int s = oldest;
        for (; i + 3 < filled; i += 4) {
            int s1 = s + 1 == cap ? 0 : s + 1;
            int s2 = s1 + 1 == cap ? 0 : s1 + 1;
            int s3 = s2 + 1 == cap ? 0 : s2 + 1;
            for (int h = 0, from = 0; h < heads; h++, from += headDim) {
                float[] aw = attnWeights[h];
                values4(out, from, from + headDim, aw[s], v[s], aw[s1], v[s1], aw[s2], v[s2], aw[s3], v[s3]);
            }
            s = s3 + 1 == cap ? 0 : s3 + 1;
        }
        for (; i < filled; i++, s = s + 1 == cap ? 0 : s + 1) {
            float[] vs = v[s];
            for (int h = 0, from = 0; h < heads; h++, from += headDim) {
                float a = attnWeights[h][s];
                for (int d = from; d < from + headDim; d++) {
                    out[d] += a * vs[d];
                }
            }
        }
    }

    /** {@code sc[s] += q0·k0[s] + q1·k1[s] + q2·k2[s] + q3·k3[s]}, added one after the other, for s < n. */
    private static void scores4(float[] sc, int n, float q0, float[] k0, float q1, float[] k1, float q2, float[] k2,
            float q3, float[] k3) {
        for (int s = 0; s < n; s++) {
            sc[s] = sc[s] + q0 * k0[s] + q1 * k1[s] + q2 * k2[s] + q3 * k3[s];
        }
    }

    /** {@code out[d] += a0·v0[d] + a1·v1[d] + a2·v2[d] + a3·v3[d]}, added one after the other, for from <= d < to. */
    private static void values4(float[] out, int from, int to, float a0, float[] v0, float a1, float[] v1, float a2,
            float[] v2, float a3, float[] v3) {
        for (int d = from; d < to; d++) {
            out[d] = out[d] + a0 * v0[d] + a1 * v1[d] + a2 * v2[d] + a3 * v3[d];
        }
    }

    /**
     * For each active lane {@code a}: {@code ys[a][j] = sum_i xs[a][i] * wT[i][j]}, i ascending from {@code 0f}:
     * one sequential sum per output, written so that Java's left-to-right evaluation keeps that order. Four
     * inputs per pass (the JIT vectorises four rows indexed from 0, not eight); each pass's rows of weights (at
     * most 16 KB) serve every lane while cached.
     */
    private void product(float[][] wT, int in, int out, float[][] xs, float[][] ys, int[] active, int count) {
        for (int n = 0; n < count; n++) {
            ins[n] = xs[active[n]];
            outs[n] = ys[active[n]];
            Arrays.fill(outs[n], 0, out, 0f);
        }
        int i = 0;
        for (; i + 3 < in; i += 4) {
            float[] w0 = wT[i];
            float[] w1 = wT[i + 1];
            float[] w2 = wT[i + 2];
            float[] w3 = wT[i + 3];
            for (int n = 0; n < count; n++) {
                pass4(w0, w1, w2, w3, out, ins[n], i, outs[n]);
            }
        }
        for (; i < in; i++) {
            float[] w0 = wT[i];
            for (int n = 0; n < count; n++) {
                float x0 = ins[n][i];
                float[] y = outs[n];
                for (int j = 0; j < out; j++) {
                    y[j] = y[j] + x0 * w0[j];
                }
            }
        }
    }

    /** {@code y[j] += x[i]·w0[j] + x[i+1]·w1[j] + x[i+2]·w2[j] + x[i+3]·w3[j]}, added one after the other. */
    private static void pass4(float[] w0, float[] w1, float[] w2, float[] w3, int out, float[] xs, int i, float[] y) {
        float x0 = xs[i];
        float x1 = xs[i + 1];
        float x2 = xs[i + 2];
        float x3 = xs[i + 3];
        for (int j = 0; j < out; j++) {
            y[j] = y[j] + x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
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
        double[] e = expLogits;
        for (int i = 0; i < n; i++) {
            expArgs[i] = (double) in[i] - max;
        }
        DetMath.exp(expArgs, e, expScratch, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] = (float) (e[i] / sum);
        }
    }
}
