package io.github.encodecstream.entropy;

import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The reference LM material of {@code ../shared/reference/lm} and the {@code 48k_bw6_lm} case. */
final class LmReference {
    static final int CODEBOOKS = 4;
    static final int SEGMENT_STEPS = 150;
    private static LmWeights weights;

    private LmReference() {}

    /** The test LM checkpoint ({@code models/encodec_lm_48khz-random.th}), read once. */
    static synchronized LmWeights weights() throws IOException {
        if (weights == null) {
            weights = LmWeights.read(ReferenceData.file("models/encodec_lm_48khz-random.th"));
        }
        return weights;
    }

    /** The case's codes of a 150-step segment, {@code [step][codebook]} (the file is codebook-major per segment). */
    static int[][] segmentCodes(int segment) throws IOException {
        short[] all = ReferenceData.readI16(ReferenceData.file("vectors/48k_bw6_lm.codes.i16"));
        int[][] codes = new int[SEGMENT_STEPS][CODEBOOKS];
        int base = segment * SEGMENT_STEPS * CODEBOOKS;
        for (int k = 0; k < CODEBOOKS; k++) {
            for (int t = 0; t < SEGMENT_STEPS; t++) {
                codes[t][k] = all[base + k * SEGMENT_STEPS + t];
            }
        }
        return codes;
    }

    /** The 600-step stream of {@code lm_window262.codes.i16}, {@code [step][codebook]}. */
    static int[][] windowCodes() throws IOException {
        short[] all = ReferenceData.readI16(ReferenceData.file("lm/lm_window262.codes.i16"));
        int steps = all.length / CODEBOOKS;
        int[][] codes = new int[steps][CODEBOOKS];
        for (int k = 0; k < CODEBOOKS; k++) {
            for (int t = 0; t < steps; t++) {
                codes[t][k] = all[k * steps + t];
            }
        }
        return codes;
    }

    static float[] floats(String relative) throws IOException {
        return ReferenceData.readF32(ReferenceData.file(relative));
    }

    static int[] ints(String relative) throws IOException {
        Path path = ReferenceData.file(relative);
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[buffer.remaining() / 4];
        buffer.asIntBuffer().get(out);
        return out;
    }
}
