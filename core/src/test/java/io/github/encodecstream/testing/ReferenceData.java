package io.github.encodecstream.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates {@code ../shared/reference}, the reference implementation's vectors.
 *
 * <p>The folder is taken from the system property {@code encodec.reference}, else the
 * environment variable {@code ENCODEC_REFERENCE}, else {@code ../shared/reference}; a relative
 * path is resolved from the repository root ({@link #repository()}). When it is missing, tests are
 * skipped on a developer machine but fail under {@code CI=true}.
 */
public final class ReferenceData {
    private ReferenceData() {}

    /** The reference folder; skips (or, in CI, fails) the calling test when it is absent. */
    public static Path root() {
        String configured = System.getProperty("encodec.reference");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("ENCODEC_REFERENCE");
        }
        Path root = repository().resolve(configured == null || configured.isBlank() ? "../shared/reference" : configured)
                .normalize();
        if (!Files.isDirectory(root)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("reference vectors not found at " + root.toAbsolutePath()
                        + " (set -Dencodec.reference or ENCODEC_REFERENCE)");
            }
            assumeTrue(false, "reference vectors not found at " + root.toAbsolutePath());
        }
        return root;
    }

    /**
     * The repository root, which the build passes as the system property {@code encodec.root}
     * (the tests run in a module's folder); the working directory when it is not set.
     */
    public static Path repository() {
        String root = System.getProperty("encodec.root");
        return Paths.get(root == null || root.isBlank() ? "" : root).normalize();
    }

    /** A file under the reference folder. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** The {@code models/} folder. */
    public static Path models() {
        return file("models");
    }

    /** Reads a little-endian float32 file. */
    public static float[] readF32(Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    /** Reads a little-endian int16 file. */
    public static short[] readI16(Path path) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buffer.remaining() / 2];
        buffer.asShortBuffer().get(out);
        return out;
    }
}
