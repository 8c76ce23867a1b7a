package io.github.encodecstream.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where things go in the cache directory ({@link ModelStore#cacheDirectory()}):
 * <ul>
 *   <li>{@code .NAME.th.sha256}: a downloaded checkpoint's stamp (size, modification time, file
 *       key and SHA-256).</li>
 * </ul>
 * For the library's engine; applications need only {@link ModelStore}.
 */
public final class CacheLayout {
    private CacheLayout() {}

    /**
     * A checkpoint file's SHA-256, lower-case hex: from its stamp while that still fits the file,
     * else computed. Writes nothing.
     */
    public static String knownSha256(Path checkpoint) throws IOException {
        return CachedCheckpoint.knownSha256(checkpoint);
    }

    /** The stamp beside a checkpoint: {@code .NAME.sha256}. */
    static Path stampOf(Path checkpoint) {
        return checkpoint.resolveSibling("." + checkpoint.getFileName() + ".sha256");
    }
}
