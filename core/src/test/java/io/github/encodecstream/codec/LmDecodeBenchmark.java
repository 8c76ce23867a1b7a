package io.github.encodecstream.codec;

import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decode time of entropy-coded files against their plain twins (the same codes), in one JVM with
 * the models loaded (run by scripts/benchmark-lm-decode): a 60 s 48 kHz file (the reference's test
 * LM) and a 120 s 24 kHz file (LM weights {@code LmWeights.random(24, 32)}, injected: no 24 kHz LM
 * checkpoint exists), 6 kbps, whole decodes at the default threads and at 1 thread, and a 24 kHz
 * seek to just before the end of a 5 s chunk, decoded to the end. Prints wall and process CPU
 * seconds of each run, plain and LM interleaved, the best of {@code runs} rounds. Arguments:
 * {@code [runs] [dir] [seek]} ({@code seek}: the 24 kHz seek only).
 */
public final class LmDecodeBenchmark {
    private LmDecodeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"), "lm-decode-benchmark");
        boolean seekOnly = args.length > 2 && args[2].equals("seek");
        Files.createDirectories(dir);
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
        Models models = Models.builder().store(store).device("cpu").build();
        models.useLm(ModelFamily.ENCODEC_24KHZ, LmWeights.random(24, 32), "0123abcd");
        System.out.printf(Locale.ROOT, "threads budget %d, %d cpus%n", models.threads(),
                Runtime.getRuntime().availableProcessors());
        for (ModelFamily family : seekOnly ? new ModelFamily[] {ModelFamily.ENCODEC_24KHZ}
                : new ModelFamily[] {ModelFamily.ENCODEC_48KHZ, ModelFamily.ENCODEC_24KHZ}) {
            int seconds = family.isSegmented() ? 60 : 120;
            byte[] plain = file(dir, family, seconds, false, models);
            byte[] lm = file(dir, family, seconds, true, models);
            for (int threads : seekOnly ? new int[0] : new int[] {0, 1}) {
                compare(family + " " + seconds + " s decode, threads " + (threads == 0 ? "default" : threads), plain, lm,
                        models, threads, 0, runs);
            }
            if (!family.isSegmented()) {
                long seek = (long) (110 * family.sampleRate()) - 2_000; // chunk 21 ends at 110 s
                compare(family + " decode -ss " + seek / (double) family.sampleRate(), plain, lm, models, 0, seek, runs);
            }
        }
    }

    private static void compare(String what, byte[] plain, byte[] lm, Models models, int threads, long seek, int runs)
            throws IOException {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int r = 0; r < runs; r++) {
            double[] p = time(plain, models, threads, seek);
            double[] l = time(lm, models, threads, seek);
            best[0] = Math.min(best[0], p[0]);
            best[1] = Math.min(best[1], p[1]);
            best[2] = Math.min(best[2], l[0]);
            best[3] = Math.min(best[3], l[1]);
        }
        System.out.printf(Locale.ROOT, "%s: plain %.2f s wall %.2f s cpu | lm %.2f s wall %.2f s cpu | lm/plain %.2fx wall"
                + " %.2fx cpu, lm cpu - plain cpu %.2f s%n", what, best[0], best[1], best[2], best[3], best[2] / best[0],
                best[3] / best[1], best[3] - best[1]);
    }

    /** Wall and process CPU seconds of one decode. */
    private static double[] time(byte[] file, Models models, int threads, long seek) throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(file),
                DecoderOptions.defaults().withModels(models).withThreads(threads))) {
            if (seek > 0) {
                decoder.seek(seek);
            }
            while (decoder.read() != null) {
                // drain
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9};
    }

    /** The benchmark file, encoded once from the test music (looped) and kept in {@code dir}. */
    private static byte[] file(Path dir, ModelFamily family, int seconds, boolean lm, Models models) throws IOException {
        Path path = dir.resolve(family.name() + "-" + seconds + "s" + (lm ? "-lm2" : "") + ".ecdc");
        if (!Files.exists(path)) {
            float[] wav = Encoding.wav(family.isSegmented() ? "test_48k.wav" : "test_24k.wav");
            float[] pcm = new float[seconds * family.sampleRate() * family.channels()];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = wav[i % wav.length];
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EcdcEncoder.encode(pcm, EncoderOptions.of(family, 6).withModels(models).withLm(lm), out);
            Files.write(path, out.toByteArray());
        }
        return Files.readAllBytes(path);
    }
}
