package io.github.encodecstream.bench;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.sound.EcdcAudioFileReader;
import io.github.encodecstream.store.ModelStore;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.sound.sampled.AudioInputStream;

/**
 * The longest read of a real-time reader (0.1 s of 48 kHz audio every 0.1 s, 3 s of
 * {@code 48k_full}) through Java Sound, with and without decoding ahead, the decoder on one
 * thread. Decoding ahead, no read waits for a segment; without, the reads that reach into a new
 * segment wait for it. ({@code sound.DecodeAheadTest.realTimeConsumerDoesNotWait} checks the same
 * without timing.)
 *
 * <p>Usage: {@code DecodeAheadBenchmark [referenceDir]}; see docs/PERFORMANCE.md.
 */
public final class DecodeAheadBenchmark {
    private DecodeAheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        ModelStore store = ModelStore.builder().modelsDirectory(reference.resolve("models")).offline(true).build();
        Models models = Models.builder().store(store).device("cpu").threads(1).build();
        DecoderOptions options = DecoderOptions.defaults().withModels(models);
        Path file = reference.resolve("vectors/48k_full.ecdc");
        longestRead(file, options, true); // warm-up: loads the model
        long ahead = longestRead(file, options, true);
        long direct = longestRead(file, options, false);
        System.out.printf("real-time reader of 48k_full, 3 s: longest read %d us decoding ahead, %d us without%n",
                ahead / 1000, direct / 1000);
    }

    private static long longestRead(Path file, DecoderOptions options, boolean decodeAhead) throws Exception {
        try (AudioInputStream in = new EcdcAudioFileReader(options, decodeAhead).getAudioInputStream(file.toFile())) {
            byte[] tenth = new byte[4 * 4800];
            in.read(tenth); // the first segment: both wait for it
            Thread.sleep(300);
            long longest = 0;
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                int got = 0;
                while (got < tenth.length) {
                    got += in.read(tenth, got, tenth.length - got);
                }
                long took = System.nanoTime() - t0;
                longest = Math.max(longest, took);
                Thread.sleep(Math.max(0, 100 - took / 1_000_000));
            }
            return longest;
        }
    }
}
