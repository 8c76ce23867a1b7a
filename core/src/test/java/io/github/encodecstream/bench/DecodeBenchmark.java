package io.github.encodecstream.bench;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Decode speed in multiples of real time, streaming (24 kHz in chunks of 75 frames; 48 kHz
 * segment by segment) and whole-file (24 kHz in one chunk).
 *
 * <p>Usage: {@code DecodeBenchmark [referenceDir] [threads] [repeats]}; see docs/PERFORMANCE.md.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ModelStore store = ModelStore.builder().modelsDirectory(reference.resolve("models")).offline(true).build();
        Models models = Models.builder().store(store).device("cpu").threads(threads).build();
        DecoderOptions streaming = DecoderOptions.defaults().withModels(models);
        System.out.printf("threads=%d repeats=%d (best run reported)%n", threads, repeats);
        run("24 kHz 6 kbps streaming (75-frame chunks)", reference.resolve("vectors/24k_full.ecdc"), streaming, repeats);
        run("24 kHz 6 kbps whole file (one chunk)", reference.resolve("vectors/24k_full.ecdc"),
                streaming.withChunkFrames(Integer.MAX_VALUE / 2), repeats);
        run("48 kHz 6 kbps streaming (segment by segment)", reference.resolve("vectors/48k_full.ecdc"), streaming, repeats);
    }

    private static void run(String label, Path file, DecoderOptions options, int repeats) throws IOException {
        long t0 = System.nanoTime();
        decode(file, options); // warm-up: the first run also loads the model once per process
        double first = (System.nanoTime() - t0) / 1e9;
        double best = Double.MAX_VALUE;
        double seconds = 0;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            seconds = decode(file, options);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("%-48s %6.2f s audio in %6.3f s: x%.2f real time (first run %.2f s)%n", label, seconds, best,
                seconds / best, first);
    }

    private static double decode(Path file, DecoderOptions options) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(file), options)) {
            long samples = 0;
            for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                samples += chunk.length / decoder.channels();
            }
            return samples / (double) decoder.sampleRate();
        }
    }
}
