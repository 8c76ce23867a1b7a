package io.github.encodecstream.model;

/**
 * The reference's {@code pad1d(..., mode="reflect")} on a {@code [channels, time]} array,
 * including its rule for inputs not longer than the larger pad: zeros are appended first
 * ({@code maxPad - length + 1} of them), the extended signal is reflected, and the appended
 * samples are dropped from the end again.
 */
public final class ReflectPadding {
    private ReflectPadding() {}

    /**
     * Pads {@code x} (row-major {@code [channels, length]}) by {@code left} and {@code right}
     * samples and returns {@code [channels, left + length + right]}.
     */
    public static float[] pad(float[] x, int channels, int length, int left, int right) {
        int maxPad = Math.max(left, right);
        int extended = length <= maxPad ? maxPad + 1 : length;
        int outLength = left + length + right;
        float[] out = new float[channels * outLength];
        for (int c = 0; c < channels; c++) {
            int in = c * length;
            int base = c * outLength;
            for (int i = 0; i < outLength; i++) {
                int t = reflect(i - left, extended);
                out[base + i] = t < length ? x[in + t] : 0f;
            }
        }
        return out;
    }

    /** Index of a reflected position in a signal of {@code n} samples (no edge repeated). */
    private static int reflect(int t, int n) {
        if (t < 0) {
            return -t;
        }
        if (t >= n) {
            return 2 * (n - 1) - t;
        }
        return t;
    }
}
