package io.github.encodecstream.dsp;

import java.util.Arrays;

/**
 * A band-limited sample-rate converter for a rational ratio (any two integer rates): a
 * Kaiser-windowed sinc low-pass evaluated as a polyphase filter, streaming (chunks in, chunks
 * out, state kept between them), for interleaved float samples.
 *
 * <p>Output sample {@code n} is the filter applied at input time {@code n · in / out}: the output
 * is aligned with the input (no delay), input before the first sample and after the last counts
 * as silence, and a whole input of {@code N} samples gives exactly
 * {@link #outputLength(long, int, int) round(N · out / in)} samples.
 *
 * <p>The filter, relative to the Nyquist frequency of the lower of the two rates: passband up to
 * {@value #PASSBAND} of it, stopband from {@value #STOPBAND} of it (the whole transition band lies
 * below that Nyquist frequency, so nothing aliases or images into the audible band), Kaiser window
 * designed for {@value #DESIGN_ATTENUATION_DB} dB. Measured ({@code ResamplerTest}: sines through
 * 12, 24, 32, 44.1, 64 and 72 kHz to 48 kHz, and 48 to 24 and 44.1 kHz): passband ripple within
 * ±0.0001 dB, stopband attenuation at least 104 dB, images and aliases of passband sines at least
 * 108 dB down. Each phase's taps are scaled to sum to 1, so a constant passes unchanged. The filter
 * spans about 143 samples of the lower rate; 24 → 48 kHz costs 145 multiply-adds per output sample
 * and channel. (The "whole transition band below the lower Nyquist frequency" also means that
 * content between 0.91 and 1 of it is attenuated: up to 21.8 kHz passes untouched at 48 kHz.)
 *
 * <p>{@link #Resampler(int, int, int, long)} starts at a given output sample, so that a cut of a
 * long signal can be computed from {@link #inputStartFor(long)} on and equals the same samples of
 * the whole conversion. Not thread-safe.
 */
public final class Resampler {
    /** Passband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double PASSBAND = 0.91;
    /** Stopband edge, as a fraction of the lower rate's Nyquist frequency. */
    public static final double STOPBAND = 1.0;
    /** The attenuation the Kaiser window is designed for, in dB. */
    public static final double DESIGN_ATTENUATION_DB = 100;
    /**
     * Ratios with more phases than this (e.g. 44101 to 48000 Hz) compute each output's taps from a
     * finely sampled kernel instead of a table of phases.
     */
    static final int MAX_TABLE_PHASES = 4096;
    /** Kernel samples per input sample for those ratios (linear interpolation error below 1e-7). */
    private static final int KERNEL_OVERSAMPLING = 4096;

    private final int inRate;
    private final int outRate;
    private final int channels;
    /** out / in = up / down in lowest terms. */
    private final long up;
    private final long down;
    /** Taps reach {@code half} input samples either side of the output's input time. */
    private final int half;
    private final int taps;
    private final double cutoff;
    private final double halfWidth;
    private final double beta;
    /** {@code [phase][m]}: the weight of input {@code base - half + m}; null when computed on the fly. */
    private final float[][] table;
    /** The kernel at t = i / {@link #KERNEL_OVERSAMPLING}, for ratios without a table. */
    private final double[] kernelTable;
    private final float[] scratch;

    private float[][] buffer;
    /** Absolute input index of {@code buffer[c][0]} (negative: silence before the input). */
    private long bufferStart;
    private int buffered;
    /** Absolute index after the last input sample given. */
    private long inputEnd;
    private long nextOutput;
    private boolean finished;

    /** A converter that starts at output sample 0 and is fed the input from its first sample on. */
    public Resampler(int inRate, int outRate, int channels) {
        this(inRate, outRate, channels, 0);
    }

    /**
     * A converter whose first output is sample {@code firstOutput} of the whole conversion; it must
     * be fed the input from sample {@link #inputStartFor(long) inputStartFor(firstOutput)} on.
     */
    public Resampler(int inRate, int outRate, int channels, long firstOutput) {
        if (inRate < 1 || outRate < 1) {
            throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (firstOutput < 0) {
            throw new IllegalArgumentException("negative first output " + firstOutput);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        this.channels = channels;
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double scale = Math.min(1.0, (double) up / down); // the lower Nyquist, relative to the input's
        this.cutoff = 0.5 * scale * (PASSBAND + STOPBAND) / 2; // cycles per input sample (-6 dB point)
        double transition = 0.5 * scale * (STOPBAND - PASSBAND);
        this.halfWidth = (DESIGN_ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition) / 2;
        this.beta = 0.1102 * (DESIGN_ATTENUATION_DB - 8.7);
        this.half = (int) Math.ceil(halfWidth);
        this.taps = 2 * half + 1;
        if (up <= MAX_TABLE_PHASES) {
            table = new float[(int) up][];
            for (int p = 0; p < up; p++) {
                table[p] = row(p, new float[taps]);
            }
            kernelTable = null;
            scratch = null;
        } else {
            table = null;
            kernelTable = new double[(int) Math.ceil(halfWidth * KERNEL_OVERSAMPLING) + 2];
            for (int i = 0; i < kernelTable.length; i++) {
                kernelTable[i] = kernel((double) i / KERNEL_OVERSAMPLING);
            }
            scratch = new float[taps];
        }
        this.nextOutput = firstOutput;
        long start = inputStartFor(firstOutput);
        this.bufferStart = base(firstOutput) - half;
        this.buffer = new float[channels][Math.max(2 * taps, 4096)];
        this.buffered = (int) (start - bufferStart); // silence up to the first input sample
        this.inputEnd = start;
    }

    /** The number of output samples for {@code inputLength} input samples: round(inputLength · out / in). */
    public static long outputLength(long inputLength, int inRate, int outRate) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("negative length " + inputLength);
        }
        // floor((2 n out + in) / (2 in)), exact in 128 bits
        return java.math.BigInteger.valueOf(inputLength).multiply(java.math.BigInteger.valueOf(2L * outRate))
                .add(java.math.BigInteger.valueOf(inRate)).divide(java.math.BigInteger.valueOf(2L * inRate))
                .longValueExact();
    }

    /** The first input sample that output sample {@code output} depends on (0 or more). */
    public long inputStartFor(long output) {
        return Math.max(0, base(output) - half);
    }

    /** Input samples the filter reaches on either side of an output's input time. */
    public int halfLength() {
        return half;
    }

    /** The input rate in Hz. */
    public int inRate() {
        return inRate;
    }

    /** The output rate in Hz. */
    public int outRate() {
        return outRate;
    }

    /** Channels, interleaved in both directions. */
    public int channels() {
        return channels;
    }

    /** The index (in the whole conversion) of the next output sample. */
    public long outputPosition() {
        return nextOutput;
    }

    /**
     * Adds {@code frames} input samples per channel ({@code in[offset..]}, channels interleaved)
     * and returns the output samples that can now be computed, interleaved (possibly none).
     */
    public float[] process(float[] in, int offset, int frames) {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        if (frames < 0 || offset < 0 || (long) offset + (long) frames * channels > in.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", frames " + frames + ", length " + in.length);
        }
        append(in, offset, frames);
        return produce(Long.MAX_VALUE);
    }

    /** {@link #process(float[], int, int)} of a whole array. */
    public float[] process(float[] in) {
        if (in.length % channels != 0) {
            throw new IllegalArgumentException(in.length + " samples are not whole frames of " + channels + " channels");
        }
        return process(in, 0, in.length / channels);
    }

    /**
     * Ends the input: returns the remaining output samples, up to
     * {@link #outputLength(long, int, int) outputLength} of all the input (counted from sample 0).
     */
    public float[] finish() {
        if (finished) {
            return new float[0];
        }
        finished = true;
        long total = outputLength(inputEnd, inRate, outRate);
        if (nextOutput >= total) {
            return new float[0];
        }
        long needed = base(total - 1) + half + 1; // input index after the last one used
        if (needed > inputEnd) {
            appendSilence((int) (needed - inputEnd));
        }
        return produce(total);
    }

    /** Converts a whole signal at once. */
    public static float[] resample(float[] in, int channels, int inRate, int outRate) {
        Resampler r = new Resampler(inRate, outRate, channels);
        float[] a = r.process(in);
        float[] b = r.finish();
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private long base(long output) {
        return Math.floorDiv(Math.multiplyExact(output, down), up);
    }

    private void append(float[] in, int offset, int frames) {
        ensureRoom(frames);
        for (int c = 0; c < channels; c++) {
            float[] b = buffer[c];
            for (int i = 0, k = offset + c; i < frames; i++, k += channels) {
                b[buffered + i] = in[k];
            }
        }
        buffered += frames;
        inputEnd += frames;
    }

    private void appendSilence(int frames) {
        ensureRoom(frames);
        for (int c = 0; c < channels; c++) {
            Arrays.fill(buffer[c], buffered, buffered + frames, 0f);
        }
        buffered += frames;
        inputEnd += frames;
    }

    /** Drops the samples no further output needs, then grows the buffer if {@code frames} more do not fit. */
    private void ensureRoom(int frames) {
        long keepFrom = base(nextOutput) - half;
        int drop = (int) Math.max(0, Math.min(buffered, keepFrom - bufferStart));
        if (drop > 0) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buffer[c], drop, buffer[c], 0, buffered - drop);
            }
            buffered -= drop;
            bufferStart += drop;
        }
        if (buffered + frames > buffer[0].length) {
            int size = Math.max(buffered + frames, buffer[0].length * 2);
            for (int c = 0; c < channels; c++) {
                buffer[c] = Arrays.copyOf(buffer[c], size);
            }
        }
    }

    /** Computes outputs below {@code limit} whose inputs are all in the buffer. */
    private float[] produce(long limit) {
        long lastInput = bufferStart + buffered - 1;
        // outputs n with base(n) + half <= lastInput, i.e. n * down <= (lastInput - half) * up + up - 1
        long end = Math.min(limit, Math.floorDiv((lastInput - half + 1) * up - 1, down) + 1);
        if (end <= nextOutput) {
            return new float[0];
        }
        int count = (int) (end - nextOutput);
        float[] out = new float[count * channels];
        long n = nextOutput;
        long phaseNumerator = n * down;
        for (int i = 0; i < count; i++, n++, phaseNumerator += down) {
            long b = Math.floorDiv(phaseNumerator, up);
            int phase = (int) (phaseNumerator - b * up);
            float[] w = table != null ? table[phase] : row(phase, scratch);
            int from = (int) (b - half - bufferStart);
            for (int c = 0; c < channels; c++) {
                float[] x = buffer[c];
                float sum = 0;
                for (int m = 0; m < taps; m++) {
                    sum += w[m] * x[from + m];
                }
                out[i * channels + c] = sum;
            }
        }
        nextOutput = end;
        return out;
    }

    /**
     * The weights of one phase: {@code w[m]} multiplies input {@code base - half + m} for an output
     * at input time {@code base + phase / up}; scaled to sum to 1.
     */
    private float[] row(long phase, float[] w) {
        double frac = (double) phase / up;
        double[] v = new double[taps];
        double sum = 0;
        for (int m = 0; m < taps; m++) {
            double t = (half - m) + frac; // output time minus input time, in input samples
            v[m] = kernelTable == null ? kernel(t) : interpolatedKernel(Math.abs(t));
            sum += v[m];
        }
        for (int m = 0; m < taps; m++) {
            w[m] = (float) (v[m] / sum);
        }
        return w;
    }

    private double interpolatedKernel(double t) {
        double x = t * KERNEL_OVERSAMPLING;
        int i = (int) x;
        if (i + 1 >= kernelTable.length) {
            return 0;
        }
        double f = x - i;
        return kernelTable[i] + f * (kernelTable[i + 1] - kernelTable[i]);
    }

    private double kernel(double t) {
        double u = t / halfWidth;
        if (u <= -1 || u >= 1) {
            return 0;
        }
        double x = 2 * cutoff * t;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - u * u)) / besselI0(beta);
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
