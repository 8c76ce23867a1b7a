package io.github.encodecstream.bench;

import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.Samples;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.EcdcEncoder;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.format.ModelFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Encode speed in multiples of real time, and a memory probe.
 *
 * <p>Usage: {@code EncodeBenchmark [referenceDir] [threads] [repeats]} encodes the reference test
 * music ({@code audio/test_24k.wav}, 20 s mono, in 75-step chunks; {@code audio/test_48k.wav},
 * 15 s stereo, segment by segment) at 6 kbps, timed end to end (PCM in, file bytes out).
 *
 * <p>{@code EncodeBenchmark memory referenceDir model minutes [threads]} encodes that many minutes
 * of synthetic audio (a chirp with noise, made on the fly in 1 s pieces) with the model
 * ({@code 24} or {@code 48}) at 6 kbps into a counting sink, to be run under
 * {@code /usr/bin/time -v} for the peak RSS. See docs/PERFORMANCE.md.
 */
public final class EncodeBenchmark {
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private EncodeBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("memory")) {
            memory(Paths.get(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 1);
            return;
        }
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Models models = models(reference, threads);
        System.out.printf("threads=%d repeats=%d (best run reported)%n", threads, repeats);
        run("24 kHz 6 kbps streaming (75-step chunks)", Samples.readWav(reference.resolve("audio/test_24k.wav")),
                EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 6).withModels(models), repeats);
        run("48 kHz 6 kbps (segment by segment)", Samples.readWav(reference.resolve("audio/test_48k.wav")),
                EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6).withModels(models), repeats);
    }

    private static Models models(Path reference, int threads) {
        ModelStore store = ModelStore.builder().modelsDirectory(reference.resolve("models")).offline(true).build();
        return Models.builder().store(store).device("cpu").threads(threads).build();
    }

    private static void run(String label, float[] pcm, EncoderOptions options, int repeats) throws IOException {
        double seconds = pcm.length / (double) options.channels() / options.family().sampleRate();
        long t0 = System.nanoTime();
        long bytes = encode(pcm, options); // warm-up: the first run also loads the model once per process
        double first = (System.nanoTime() - t0) / 1e9;
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            long cpu = CPU.getProcessCpuTime();
            encode(pcm, options);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            bestCpu = Math.min(bestCpu, (CPU.getProcessCpuTime() - cpu) / 1e9);
        }
        System.out.printf("%-44s %6.2f s audio in %6.3f s: x%.2f real time (process CPU %.3f s: x%.2f; first run"
                + " %.2f s, %d bytes)%n", label, seconds, best, seconds / best, bestCpu, seconds / bestCpu, first, bytes);
    }

    /** Encodes in writes of 4096 samples per channel, as a caller reading a stream would. */
    private static long encode(float[] pcm, EncoderOptions options) throws IOException {
        CountingSink sink = new CountingSink();
        EcdcEncoder encoder = EcdcEncoder.create(sink, options);
        int channels = options.channels();
        int frames = pcm.length / channels;
        for (int at = 0; at < frames; at += 4096) {
            encoder.write(pcm, at * channels, Math.min(4096, frames - at));
        }
        encoder.finish();
        return sink.count;
    }

    private static void memory(Path reference, int model, double minutes, int threads) throws IOException {
        ModelFamily family = model == 24 ? ModelFamily.ENCODEC_24KHZ : ModelFamily.ENCODEC_48KHZ;
        EncoderOptions options = EncoderOptions.of(family, 6).withModels(models(reference, threads));
        int rate = family.sampleRate();
        int channels = family.channels();
        long frames = Math.round(minutes * 60 * rate);
        CountingSink sink = new CountingSink();
        long t0 = System.nanoTime();
        EcdcEncoder encoder = EcdcEncoder.create(sink, options);
        float[] piece = new float[rate * channels];
        java.util.Random noise = new java.util.Random(1);
        for (long at = 0; at < frames; at += rate) {
            int n = (int) Math.min(rate, frames - at);
            for (int i = 0; i < n; i++) {
                double t = (at + i) / (double) rate;
                double f = 110 + 40 * (t % 60); // a chirp from 110 Hz up, every minute
                float v = (float) (0.3 * Math.sin(2 * Math.PI * f * t) + 0.05 * noise.nextGaussian());
                for (int c = 0; c < channels; c++) {
                    piece[i * channels + c] = c == 0 ? v : 0.8f * v;
                }
            }
            encoder.write(piece, 0, n);
        }
        encoder.finish();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        System.gc();
        System.out.printf("%s, %.1f min of audio: %d bytes written in %.1f s (x%.1f real time); Java heap %d MB"
                + " committed, %d MB live after a GC%n", family.fileName(), minutes, sink.count, seconds,
                minutes * 60 / seconds, committed >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    /** Counts the bytes written and drops them. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
