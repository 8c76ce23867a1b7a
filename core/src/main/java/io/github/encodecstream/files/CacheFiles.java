package io.github.encodecstream.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** File operations of the per-user cache (ONNX Runtime's libraries, prepared models) and of {@link AtomicWrite}. */
public final class CacheFiles {
    private CacheFiles() {}

    /**
     * Deletes the temporaries of {@link AtomicWrite} in {@code dir} ({@code .tmp-*} directories, {@code .*.tmp}
     * files) last modified more than {@code age} ago: left by a process that died writing, never committed.
     * Ignores what cannot be read or deleted.
     */
    public static void deleteOldTemporaries(Path dir, Duration age) {
        Instant before = Instant.now().minus(age);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(".tmp-") || (n.startsWith(".") && n.endsWith(".tmp"));
        })) {
            for (Path p : entries) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    deleteTree(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for next time
        }
    }

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
