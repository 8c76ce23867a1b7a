package io.github.encodecstream.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File operations of the per-user cache (ONNX Runtime's libraries, prepared models) and of {@link AtomicWrite}. */
public final class CacheFiles {
    private CacheFiles() {}

    /** Deletes a file or a directory tree, if present; ignores what cannot be deleted (harmless left-overs). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind
                }
            });
        } catch (IOException | RuntimeException e) {
            // left behind
        }
    }
}
