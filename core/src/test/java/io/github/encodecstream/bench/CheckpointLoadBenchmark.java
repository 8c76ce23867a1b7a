package io.github.encodecstream.bench;

import io.github.encodecstream.checkpoint.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The time to read a PyTorch checkpoint ({@code encodec_24khz-random.th} of the reference data)
 * into tensors, best of a few runs.
 *
 * <p>Usage: {@code CheckpointLoadBenchmark [referenceDir] [repeats]}; see docs/PERFORMANCE.md.
 */
public final class CheckpointLoadBenchmark {
    private CheckpointLoadBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path file = reference.resolve("models/encodec_24khz-random.th");
        long best = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            TorchCheckpoint.read(file);
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("%s loaded in %d ms (best of %d)%n", file.getFileName(), best, repeats);
    }
}
