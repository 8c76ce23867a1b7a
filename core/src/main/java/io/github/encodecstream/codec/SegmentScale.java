package io.github.encodecstream.codec;

/**
 * The 48 kHz model's segment scale, {@code 1e-8 + sqrt(mean(mono²))} with mono the mean of the
 * channels, computed bit for bit as the reference (PyTorch on a CPU) computes it in float32, so
 * that the scale written to the file is the reference's.
 *
 * <p>The only step whose rounding depends on the order of operations is the sum of squares.
 * PyTorch sums a contiguous float row with its "cascade sum" ({@code SumKernel.cpp}): 8-lane
 * vectors (AVX2), 4 vector accumulators, each a 4-level cascade whose level step is
 * {@code 2^max(4, ceilLog2(vectors / 4) / 4)} vectors; the leftover vectors go to the first
 * accumulator, the accumulators are added, then the leftover scalars are summed from zero and the
 * 8 lanes added to them in order. The mean divides that sum by the length in float32. This
 * reproduces every scale of the reference vectors exactly (a double-precision sum rounded once
 * misses 11 of their 57). Sums of 32 768 values or more are split between threads when PyTorch
 * runs several; the reference vectors were made with one, as assumed here.
 */
final class SegmentScale {
    private static final int LANES = 8;
    private static final int ILP = 4;
    private static final int LEVELS = 4;

    /** Each thread's squares, reused (a segment's worth). */
    private static final ThreadLocal<float[]> SQUARES = ThreadLocal.withInitial(() -> new float[0]);

    private SegmentScale() {}

    /**
     * The scale of the first {@code n} samples of each channel of {@code audio}, channel-major
     * with {@code stride} samples per channel row.
     */
    static float of(float[] audio, int stride, int channels, int n) {
        float[] squares = SQUARES.get();
        if (squares.length < n) {
            squares = new float[n];
            SQUARES.set(squares);
        }
        for (int i = 0; i < n; i++) {
            float mono;
            if (channels == 1) {
                mono = audio[i];
            } else {
                float total = 0f;
                for (int c = 0; c < channels; c++) {
                    total += audio[c * stride + i];
                }
                mono = total / channels;
            }
            squares[i] = mono * mono;
        }
        float meanSquare = n == 0 ? 0f : cascadeSum(squares, n) / n;
        return (float) Math.sqrt(meanSquare) + 1e-8f;
    }

    /** PyTorch's float32 sum of {@code x[0..n)} on one thread ({@code vectorized_inner_sum}). */
    static float cascadeSum(float[] x, int n) {
        int vectors = n / LANES;
        float[] lanes = rowSum(x, vectors);
        float sum = 0f;
        for (int k = vectors * LANES; k < n; k++) {
            sum += x[k];
        }
        for (int l = 0; l < LANES; l++) {
            sum += lanes[l];
        }
        return sum;
    }

    /** {@code row_sum} over {@code vectors} 8-lane vectors: 4 interleaved cascades, then the rest. */
    private static float[] rowSum(float[] x, int vectors) {
        int rows = vectors / ILP;
        float[][] partial = multiRowSum(x, rows);
        for (int v = rows * ILP; v < vectors; v++) {
            add(partial[0], x, v * LANES);
        }
        for (int k = 1; k < ILP; k++) {
            for (int l = 0; l < LANES; l++) {
                partial[0][l] += partial[k][l];
            }
        }
        return partial[0];
    }

    /** {@code multi_row_sum}: row {@code i} holds vectors {@code i·4 .. i·4+3}. */
    private static float[][] multiRowSum(float[] x, int rows) {
        int levelPower = Math.max(4, ceilLog2(rows) / LEVELS);
        int levelStep = 1 << levelPower;
        long levelMask = levelStep - 1;
        float[][][] acc = new float[LEVELS][ILP][LANES];
        int i = 0;
        while (i + levelStep <= rows) {
            for (int j = 0; j < levelStep; j++, i++) {
                for (int k = 0; k < ILP; k++) {
                    add(acc[0][k], x, (i * ILP + k) * LANES);
                }
            }
            for (int j = 1; j < LEVELS; j++) {
                for (int k = 0; k < ILP; k++) {
                    for (int l = 0; l < LANES; l++) {
                        acc[j][k][l] += acc[j - 1][k][l];
                        acc[j - 1][k][l] = 0f;
                    }
                }
                if ((i & (levelMask << (j * levelPower))) != 0) {
                    break;
                }
            }
        }
        for (; i < rows; i++) {
            for (int k = 0; k < ILP; k++) {
                add(acc[0][k], x, (i * ILP + k) * LANES);
            }
        }
        for (int j = 1; j < LEVELS; j++) {
            for (int k = 0; k < ILP; k++) {
                for (int l = 0; l < LANES; l++) {
                    acc[0][k][l] += acc[j][k][l];
                }
            }
        }
        return acc[0];
    }

    private static void add(float[] acc, float[] x, int from) {
        for (int l = 0; l < LANES; l++) {
            acc[l] += x[from + l];
        }
    }

    /** c10's {@code CeilLog2}: 1 for values up to 2. */
    private static int ceilLog2(long x) {
        return x <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(x - 1);
    }
}
