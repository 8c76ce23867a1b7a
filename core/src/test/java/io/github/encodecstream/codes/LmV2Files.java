package io.github.encodecstream.codes;

import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmSegmentEncoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.ModelFamily;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * {@code encodec-stream-lm/2} files built here from random codes, independently of the encoder (no
 * network): the layout as docs/LM.md states it, for the reader's tests.
 */
final class LmV2Files {
    /** Small LM weights (fast): 16 dimensions, 1 layer. */
    static LmWeights weights(int codebooks) {
        return LmWeights.random(11, codebooks, 16, 1, 32);
    }

    /**
     * A built file: its bytes and, per segment (48 kHz) or for the one segment (24 kHz), the codes
     * step-major, and the 48 kHz scales.
     */
    record Built(byte[] bytes, EcdcHeader header, int[][] codes, float[] scales) {
        SegmentLayout layout() {
            return SegmentLayout.of(header);
        }
    }

    /**
     * A file of {@code al} samples: 48 kHz with the given scales (cycled), or 24 kHz in chunks of
     * {@code chunkSteps}.
     */
    static Built build(ModelFamily family, long al, int codebooks, int chunkSteps, LmWeights weights, float... scales) {
        EcdcMetadata.Builder mb = EcdcMetadata.builder().family(family).audioLength(al).codebooks(codebooks).lm(true)
                .lmVersion(EcdcMetadata.LM_VERSION).lmChecksum("0123abcd");
        if (!family.isSegmented()) {
            mb.lmChunkSteps(chunkSteps);
        }
        EcdcMetadata m = mb.build();
        SegmentLayout plain = SegmentLayout.of(family, al, codebooks, 0, true);
        SplittableRandom random = new SplittableRandom(al * 31 + codebooks);
        LmSegmentEncoder encoder = new LmSegmentEncoder(weights, codebooks, DeterministicLm.pastContext(family.frameRate()));
        int segments = plain.segmentCount();
        int[][] codes = new int[segments][];
        float[] usedScales = new float[segments];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int records = m.lmRecordCount();
        int[] lengths = new int[records];
        int[] crcs = new int[records];
        for (int s = 0; s < segments; s++) {
            int steps = plain.segment(s).steps();
            codes[s] = random.ints((long) steps * codebooks, 0, 1024).toArray();
        }
        if (family.isSegmented()) {
            for (int s = 0; s < segments; s++) {
                usedScales[s] = scales[s % scales.length];
                byte[] scale = ByteBuffer.allocate(4).putFloat(usedScales[s]).array();
                byte[] coded = encoder.encode(stepMajor(codes[s], 0, plain.segment(s).steps(), codebooks));
                byte[] record = ByteBuffer.allocate(4 + coded.length).put(scale).put(coded).array();
                lengths[s] = coded.length;
                crcs[s] = LmIndex.crc32c(record, 0, record.length);
                body.writeBytes(record);
            }
        } else {
            int total = segments == 0 ? 0 : plain.segment(0).steps();
            for (int c = 0; c < records; c++) {
                int first = c * chunkSteps;
                byte[] coded = encoder.encode(stepMajor(codes[0], first, Math.min(chunkSteps, total - first), codebooks));
                lengths[c] = coded.length;
                crcs[c] = LmIndex.crc32c(coded, 0, coded.length);
                body.writeBytes(coded);
            }
        }
        EcdcHeader header = EcdcHeader.of(EcdcHeader.VERSION_STREAM, m, new LmIndex(lengths, crcs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.toBytes());
        out.writeBytes(body.toByteArray());
        return new Built(out.toByteArray(), header, codes, usedScales);
    }

    private static int[][] stepMajor(int[] codes, int first, int steps, int codebooks) {
        int[][] out = new int[steps][codebooks];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(codes, (first + t) * codebooks, out[t], 0, codebooks);
        }
        return out;
    }

    private LmV2Files() {}
}
