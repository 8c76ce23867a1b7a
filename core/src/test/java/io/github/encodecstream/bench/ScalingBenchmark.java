package io.github.encodecstream.bench;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.EcdcEncoder;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread scaling of decode and encode, steady state (models loaded once): 60 s of 48 kHz and of
 * 24 kHz at 6 kbps, made once from the reference's test audio (looped) into {@code target/bench}.
 * Prints a table: seconds (best of the repeats), times real time, speed-up over one thread and
 * scaling efficiency (speed-up / threads).
 *
 * <pre>scripts/benchmark-threads [REFERENCE_DIR] [THREADS,...] [REPEATS] [SECONDS]</pre>
 */
public final class ScalingBenchmark {
    private ScalingBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        List<Integer> counts = new ArrayList<>();
        for (String t : (args.length > 1 ? args[1] : "1,2").split(",")) {
            counts.add(Integer.parseInt(t.strip()));
        }
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        ModelStore store = ModelStore.builder().modelsDirectory(reference.resolve("models")).offline(true).build();
        Models models = Models.builder().store(store).device("cpu").threads(1).build();
        Path dir = Files.createDirectories(Paths.get("target/bench"));
        float[] audio48 = loop(Samples.readWav(reference.resolve("audio/test_48k.wav")), 2, 48_000 * seconds);
        float[] audio24 = loop(Samples.readWav(reference.resolve("audio/test_24k.wav")), 1, 24_000 * seconds);
        Path file48 = make(dir.resolve(seconds + "s_48k.ecdc"), audio48, EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6)
                .withModels(models));
        Path file24 = make(dir.resolve(seconds + "s_24k.ecdc"), audio24, EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 6)
                .withModels(models));
        System.out.printf("%d s of audio, best of %d, %d processors%n%n", seconds, repeats,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| threads | 48 kHz decode s | x real time | speed-up | efficiency "
                + "| 24 kHz decode s | x real time | speed-up | efficiency | 48 kHz encode s | speed-up | efficiency |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        DecoderOptions decode = DecoderOptions.defaults().withModels(models);
        EncoderOptions encode = EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6).withModels(models);
        double base48 = 0;
        double base24 = 0;
        double baseEncode = 0;
        for (int threads : counts) {
            double d48 = best(repeats, () -> decode(file48, decode.withThreads(threads)));
            double d24 = best(repeats, () -> decode(file24, decode.withThreads(threads)));
            double e48 = best(repeats, () -> EcdcEncoder.encode(audio48, encode.withThreads(threads), OutputStream.nullOutputStream()));
            if (threads == counts.get(0)) {
                base48 = d48 * counts.get(0);
                base24 = d24 * counts.get(0);
                baseEncode = e48 * counts.get(0);
            }
            System.out.printf("| %d | %.2f | %.1f | %.2f | %.0f%% | %.2f | %.1f | %.2f | %.0f%% | %.2f | %.2f | %.0f%% |%n", threads,
                    d48, seconds / d48, base48 / d48, 100 * base48 / d48 / threads,
                    d24, seconds / d24, base24 / d24, 100 * base24 / d24 / threads,
                    e48, baseEncode / e48, 100 * baseEncode / e48 / threads);
        }
    }

    private interface Run {
        void run() throws IOException;
    }

    /** The best wall time of {@code repeats} runs after one warm-up run. */
    private static double best(int repeats, Run run) throws IOException {
        run.run();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static void decode(Path file, DecoderOptions options) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(file), options)) {
            while (decoder.read() != null) {
                // drain
            }
        }
    }

    /** {@code samples} values of interleaved audio, repeating the input. */
    private static float[] loop(float[] input, int channels, int frames) {
        float[] out = new float[frames * channels];
        for (int i = 0; i < out.length; i++) {
            out[i] = input[i % input.length];
        }
        return out;
    }

    private static Path make(Path file, float[] audio, EncoderOptions options) throws IOException {
        if (!Files.exists(file)) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                EcdcEncoder.encode(audio, options, out);
            }
            Files.move(tmp, file);
        }
        return file;
    }
}
