package io.github.encodecstream.dsp;

/** Measurements for tests: FFT, signal-to-noise ratios in a band, sine fits. */
public final class SignalMetrics {
    private SignalMetrics() {}

    /**
     * The SNR in dB of {@code test} against {@code reference} (same layout: {@code channels}
     * interleaved, same length), counting only frequencies below {@code maxHz}: the energy of the
     * reference's spectrum over that of the difference's, summed over all channels.
     */
    public static double bandSnrDb(double[] reference, double[] test, int channels, int rate, double maxHz) {
        if (reference.length != test.length) {
            throw new IllegalArgumentException("lengths differ: " + reference.length + " vs " + test.length);
        }
        int frames = reference.length / channels;
        int n = Integer.highestOneBit(Math.max(1, frames - 1)) << 1;
        int bins = (int) Math.min(n / 2 + 1, Math.ceil(maxHz * n / rate));
        double signal = 0;
        double noise = 0;
        for (int c = 0; c < channels; c++) {
            double[] re = new double[n];
            double[] im = new double[n];
            double[] dre = new double[n];
            double[] dim = new double[n];
            for (int i = 0; i < frames; i++) {
                re[i] = reference[i * channels + c];
                dre[i] = test[i * channels + c] - reference[i * channels + c];
            }
            fft(re, im);
            fft(dre, dim);
            for (int k = 0; k < bins; k++) {
                double w = k == 0 || k == n / 2 ? 1 : 2; // one-sided spectrum
                signal += w * (re[k] * re[k] + im[k] * im[k]);
                noise += w * (dre[k] * dre[k] + dim[k] * dim[k]);
            }
        }
        return 10 * Math.log10(signal / noise);
    }

    /** In-place iterative radix-2 complex FFT; the length must be a power of two. */
    public static void fft(double[] re, double[] im) {
        int n = re.length;
        if (Integer.bitCount(n) != 1 || im.length != n) {
            throw new IllegalArgumentException("length must be a power of two: " + n);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int j = 0; j < len / 2; j++) {
                    int a = i + j;
                    int b = a + len / 2;
                    double tr = re[b] * cr - im[b] * ci;
                    double ti = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                    double next = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = next;
                }
            }
        }
    }

    /** A least-squares fit of {@code a cos + b sin} at {@code hz} over {@code x[from..to)}. */
    public record SineFit(double amplitude, double residualEnergy, double signalEnergy) {
        /** The fitted amplitude in dB (0 for a unit sine). */
        public double gainDb() {
            return 20 * Math.log10(amplitude);
        }

        /** What is left after the fit, in dB relative to the fitted sine. */
        public double residualDb() {
            return 10 * Math.log10(residualEnergy / Math.max(signalEnergy, 1e-300));
        }
    }

    /** Fits a sine at {@code hz} to {@code x[from..to)} sampled at {@code rate}. */
    public static SineFit fitSine(float[] x, int from, int to, double hz, int rate) {
        double scc = 0;
        double sss = 0;
        double scs = 0;
        double sxc = 0;
        double sxs = 0;
        double w = 2 * Math.PI * hz / rate;
        for (int i = from; i < to; i++) {
            double c = Math.cos(w * i);
            double s = Math.sin(w * i);
            scc += c * c;
            sss += s * s;
            scs += c * s;
            sxc += x[i] * c;
            sxs += x[i] * s;
        }
        double det = scc * sss - scs * scs;
        double a = (sxc * sss - sxs * scs) / det;
        double b = (sxs * scc - sxc * scs) / det;
        double residual = 0;
        double signal = 0;
        for (int i = from; i < to; i++) {
            double fit = a * Math.cos(w * i) + b * Math.sin(w * i);
            signal += fit * fit;
            double r = x[i] - fit;
            residual += r * r;
        }
        return new SineFit(Math.hypot(a, b), residual, signal);
    }
}
