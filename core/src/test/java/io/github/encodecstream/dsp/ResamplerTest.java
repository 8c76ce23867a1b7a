package io.github.encodecstream.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Resampler}: its magnitude response measured with sines (passband ripple, image and alias
 * rejection, stopband attenuation), exact lengths, streaming and cuts.
 */
class ResamplerTest {
    /** What the Javadoc and README promise. */
    static final double MAX_RIPPLE_DB = 0.0002;
    static final double MIN_ATTENUATION_DB = 100;
    private static final double AMPLITUDE = 0.5;

    /** Resamples a sine of {@code hz} (0.3 s) and fits it in the middle of the output. */
    private static SignalMetrics.SineFit sineThrough(int in, int out, double hz) {
        int n = in * 3 / 10;
        float[] x = new float[n];
        double w = 2 * Math.PI * hz / in;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (AMPLITUDE * Math.sin(w * i));
        }
        float[] y = Resampler.resample(x, 1, in, out);
        Resampler r = new Resampler(in, out, 1);
        int edge = (int) Math.ceil((r.halfLength() + 2) * (double) out / in) + 8;
        return SignalMetrics.fitSine(y, edge, y.length - edge, hz, out);
    }

    /** Energy of a unit sine of this amplitude over {@code count} samples, for the relative measures. */
    private static double inputEnergy(SignalMetrics.SineFit fit) {
        return fit.signalEnergy() / (fit.amplitude() * fit.amplitude()) * AMPLITUDE * AMPLITUDE;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"12000, 48000", "24000, 48000", "32000, 48000", "44100, 48000", "64000, 48000", "72000, 48000",
        "48000, 24000", "48000, 44100"})
    void passbandRippleAndRejection(int in, int out) {
        double nyquist = Math.min(in, out) / 2.0;
        double maxRipple = 0;
        double worstRejection = Double.POSITIVE_INFINITY;
        int steps = 24;
        for (int k = 0; k <= steps; k++) {
            double hz = Math.max(20, Resampler.PASSBAND * nyquist * k / steps);
            SignalMetrics.SineFit fit = sineThrough(in, out, hz);
            double gain = 20 * Math.log10(fit.amplitude() / AMPLITUDE);
            maxRipple = Math.max(maxRipple, Math.abs(gain));
            worstRejection = Math.min(worstRejection, -10 * Math.log10(fit.residualEnergy() / inputEnergy(fit)));
        }
        System.out.printf("Resampler %d -> %d: passband (0..%.0f Hz) ripple +-%.6f dB, images/aliases %.1f dB down%n",
                in, out, Resampler.PASSBAND * nyquist, maxRipple, worstRejection);
        assertTrue(maxRipple <= MAX_RIPPLE_DB, "ripple " + maxRipple + " dB");
        assertTrue(worstRejection >= MIN_ATTENUATION_DB, "images/aliases only " + worstRejection + " dB down");
    }

    /**
     * The stopband: sines above the lower Nyquist frequency. Downsampling: whatever comes out is
     * an alias. Upsampling: the images of sines in the transition band lie in the stopband.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"12000, 48000", "24000, 48000", "32000, 48000", "64000, 48000", "72000, 48000", "48000, 24000"})
    void stopbandAttenuation(int in, int out) {
        double lowNyquist = Math.min(in, out) / 2.0;
        double worst = Double.POSITIVE_INFINITY;
        if (in > out) {
            for (double hz = Resampler.STOPBAND * lowNyquist; hz < in / 2.0 * 0.995; hz += (in / 2.0 - lowNyquist) / 16) {
                float[] y = Resampler.resample(sine(in, hz), 1, in, out);
                int edge = 400;
                double energy = 0;
                for (int i = edge; i < y.length - edge; i++) {
                    energy += y[i] * (double) y[i];
                }
                double input = AMPLITUDE * AMPLITUDE / 2 * (y.length - 2 * edge);
                worst = Math.min(worst, -10 * Math.log10(energy / input));
            }
        } else {
            // images of sines in (0.91, 1) x Nyquist fall in (1, 1.09) x Nyquist
            for (double f = Resampler.PASSBAND; f < 0.999; f += 0.01) {
                SignalMetrics.SineFit fit = sineThrough(in, out, f * lowNyquist);
                worst = Math.min(worst, -10 * Math.log10(fit.residualEnergy() / inputEnergy(fit)));
            }
        }
        System.out.printf("Resampler %d -> %d: stopband (from %.0f Hz) attenuation %.1f dB%n", in, out,
                Resampler.STOPBAND * lowNyquist, worst);
        assertTrue(worst >= MIN_ATTENUATION_DB, "stopband attenuation " + worst + " dB");
    }

    private static float[] sine(int rate, double hz) {
        float[] x = new float[rate * 3 / 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * hz / rate * i));
        }
        return x;
    }

    @Test
    void ratiosWithManyPhasesComputeTapsOnTheFly() {
        int in = 44_101; // 48000/44101 in lowest terms: 48000 phases, beyond the table limit
        assertTrue(48_000 > Resampler.MAX_TABLE_PHASES);
        for (double hz : new double[] {100, 5000, 15000, Resampler.PASSBAND * in / 2}) {
            SignalMetrics.SineFit fit = sineThrough(in, 48_000, hz);
            assertEquals(0, 20 * Math.log10(fit.amplitude() / AMPLITUDE), MAX_RIPPLE_DB, hz + " Hz");
            assertTrue(fit.residualDb() < -MIN_ATTENUATION_DB, hz + " Hz: residual " + fit.residualDb());
        }
    }

    @Test
    void constantPassesUnchanged() {
        float[] x = new float[4000];
        Arrays.fill(x, 0.25f);
        float[] y = Resampler.resample(x, 1, 24_000, 48_000);
        for (int i = 400; i < y.length - 400; i++) {
            assertEquals(0.25f, y[i], 1e-6f, "sample " + i);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"12000, 48000", "24000, 48000", "32000, 48000", "64000, 48000", "72000, 48000", "44100, 48000",
        "48000, 48000", "7, 48000"})
    void outputLengthIsRoundedExactly(int in, int out) {
        for (int n : new int[] {0, 1, 2, 3, 5, 7, 100, 1001, 12_345}) {
            long expected = Math.round((double) n * out / in);
            assertEquals(expected, Resampler.outputLength(n, in, out), n + " samples");
            if (n <= (in < 100 ? 7 : 1001)) {
                assertEquals(expected * 2, Resampler.resample(new float[2 * n], 2, in, out).length, n + " frames");
            }
        }
        assertEquals(336_000, Resampler.outputLength(84_000, 12_000, 48_000));
        assertEquals(336_000, Resampler.outputLength(504_000, 72_000, 48_000));
        assertEquals(2, Resampler.outputLength(3, 2, 1)); // 1.5 rounds up
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"12000, 48000", "32000, 48000", "72000, 48000", "44100, 48000"})
    void streamingInAnyChunksEqualsOneCall(int in, int out) {
        float[] x = noise(2 * 9000, 1);
        float[] whole = Resampler.resample(x, 2, in, out);
        Random random = new Random(3);
        Resampler r = new Resampler(in, out, 2);
        float[] streamed = new float[0];
        for (int pos = 0; pos < 9000; ) {
            int n = Math.min(9000 - pos, random.nextInt(700));
            streamed = concat(streamed, r.process(x, 2 * pos, n));
            pos += n;
        }
        streamed = concat(streamed, r.finish());
        assertArrayEquals(whole, streamed);
        assertEquals(0, r.finish().length);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"12000, 48000", "24000, 48000", "32000, 48000", "64000, 48000", "72000, 48000"})
    void aCutEqualsTheSameSamplesOfTheWhole(int in, int out) {
        float[] x = noise(12_000, 2);
        float[] whole = Resampler.resample(x, 1, in, out);
        for (long first : new long[] {0, 1, 37, 5000, whole.length - 3}) {
            Resampler r = new Resampler(in, out, 1, first);
            int start = (int) r.inputStartFor(first);
            float[] cut = concat(r.process(x, start, x.length - start), r.finish());
            assertArrayEquals(Arrays.copyOfRange(whole, (int) first, whole.length), cut, "from output " + first);
        }
    }

    @Test
    void channelsAreIndependent() {
        float[] left = sine(24_000, 1000);
        float[] right = sine(24_000, 3000);
        float[] stereo = new float[2 * left.length];
        for (int i = 0; i < left.length; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
        }
        float[] y = Resampler.resample(stereo, 2, 24_000, 48_000);
        float[] l = Resampler.resample(left, 1, 24_000, 48_000);
        float[] r = Resampler.resample(right, 1, 24_000, 48_000);
        for (int i = 0; i < l.length; i++) {
            assertEquals(l[i], y[2 * i]);
            assertEquals(r[i], y[2 * i + 1]);
        }
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 48_000, 1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(24_000, 48_000, 0));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(24_000, 48_000, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(24_000, 48_000, 2).process(new float[3]));
        Resampler r = new Resampler(24_000, 48_000, 1);
        r.finish();
        assertThrows(IllegalStateException.class, () -> r.process(new float[1]));
    }

    @Test
    void besselI0() {
        assertEquals(1.0, Resampler.besselI0(0), 0);
        assertEquals(1.2660658777520082, Resampler.besselI0(1), 1e-15);
        assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-9);
    }

    private static float[] noise(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * 0.2);
        }
        return x;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
