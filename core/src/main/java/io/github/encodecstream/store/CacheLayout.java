package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where things go in the cache directory ({@link ModelStore#cacheDirectory()}); the one place that
 * knows its layout:
 * <ul>
 *   <li>{@code NAME.th}: a downloaded checkpoint, under its official file name;</li>
 *   <li>{@code .NAME.th.sha256}: its stamp (size, modification time, file key and SHA-256), written
 *       and believed only while the cache folder is owner-only;</li>
 *   <li>{@code checkpoints.sha256}: the full SHA-256 and size of each checkpoint as first seen
 *       (trust on first use), written and read only while the cache folder is owner-only;</li>
 *   <li>{@code .NAME.th.RANDOM.part}: a download in progress;</li>
 *   <li>{@code .NAME.th.lock}: the lock file held while one process downloads it;</li>
 *   <li>{@code prepared/}: the models prepared for ONNX Runtime from the checkpoints;</li>
 *   <li>{@code onnxruntime/}: ONNX Runtime's native libraries, extracted once.</li>
 * </ul>
 * For the library's engine; applications need only {@link ModelStore}.
 */
public final class CacheLayout {
    private static final String PART_SUFFIX = ".part";

    private final Path root;

    private CacheLayout(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The layout of the cache directory {@code root}. */
    public static CacheLayout of(Path root) {
        return new CacheLayout(root);
    }

    /** The directory of the prepared models: {@code prepared/}. */
    public Path preparedModels() {
        return root.resolve("prepared");
    }

    /** The directory of ONNX Runtime's extracted native libraries: {@code onnxruntime/}. */
    public Path nativeLibraries() {
        return root.resolve("onnxruntime");
    }

    /**
     * A checkpoint file's SHA-256, lower-case hex: from its stamp while that still fits the file
     * and the file's folder is owner-only, else computed. Writes nothing.
     */
    public static String knownSha256(Path checkpoint) throws IOException {
        return CachedCheckpoint.knownSha256(checkpoint);
    }

    /** Where a downloaded checkpoint is kept: its official file name. */
    Path checkpoint(ModelStore.ModelFile model) {
        return root.resolve(model.fileName());
    }

    /** The lock file held while one process downloads {@code model}: {@code .NAME.lock}. */
    Path downloadLock(ModelStore.ModelFile model) {
        return root.resolve("." + model.fileName() + ".lock");
    }

    /** The full hashes and sizes of checkpoints recorded on first use: {@code checkpoints.sha256}. */
    Path firstUsePins() {
        return root.resolve("checkpoints.sha256");
    }

    /** The stamp beside a checkpoint: {@code .NAME.sha256}. */
    static Path stampOf(Path checkpoint) {
        return checkpoint.resolveSibling("." + checkpoint.getFileName() + ".sha256");
    }

    /** A new download of {@code checkpoint}: the temporary {@code .NAME.RANDOM.part} beside it. */
    static AtomicWrite newPart(Path checkpoint) throws IOException {
        return AtomicWrite.file(checkpoint, PART_SUFFIX);
    }

    /** Whether {@code file} is a download of {@code checkpoint} ({@code .NAME.*.part} beside it). */
    static boolean isPartOf(Path file, Path checkpoint) {
        String n = file.getFileName().toString();
        return n.startsWith("." + checkpoint.getFileName() + ".") && n.endsWith(PART_SUFFIX);
    }
}
