package io.github.encodecstream.entropy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The pinned computation of {@link LmDeterminismTest}, also run in child JVMs: the LM with weights generated
 * from a fixed seed, on a fixed code sequence; prints {@code <case> probs=<sha256> bytes=<sha256>} per case
 * ({@code short}: 7 steps, past context 4, fast enough for {@code -Xint}; {@code long}: 300 steps, past context
 * 262, past the attention window). The first hash covers every probability's float bits (little-endian), the
 * second the segment's coded bytes.
 */
public final class LmHashMain {
    static final long WEIGHT_SEED = 0x5EED_1E55_0000_0001L;
    static final int CODEBOOKS = 4;

    private LmHashMain() {}

    public static void main(String[] args) {
        LmWeights weights = LmWeights.random(WEIGHT_SEED, CODEBOOKS);
        for (String name : args) {
            System.out.println(name + " " + hashes(weights, name));
        }
    }

    /** {@code probs=<hex> bytes=<hex>} of a case. */
    static String hashes(LmWeights weights, String name) {
        int steps;
        int pastContext;
        switch (name) {
            case "short" -> {
                steps = 7;
                pastContext = 4;
            }
            case "long" -> {
                steps = 300;
                pastContext = 262;
            }
            default -> throw new IllegalArgumentException(name);
        }
        int[][] codes = codes(0xC0DE5L + steps, steps, CODEBOOKS);
        DeterministicLm lm = new DeterministicLm(weights, CODEBOOKS, pastContext);
        float[] probs = new float[CODEBOOKS * LmWeights.CARDINALITY];
        ByteBuffer bits = ByteBuffer.allocate(probs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        MessageDigest probsHash = sha256();
        for (int t = 0; t < steps; t++) {
            lm.next(t == 0 ? null : codes[t - 1], probs);
            bits.clear();
            for (float p : probs) {
                bits.putInt(Float.floatToRawIntBits(p));
            }
            probsHash.update(bits.array());
        }
        byte[] coded = new LmSegmentEncoder(weights, CODEBOOKS, pastContext).encode(codes);
        HexFormat hex = HexFormat.of();
        return "probs=" + hex.formatHex(probsHash.digest()) + " bytes=" + hex.formatHex(sha256().digest(coded));
    }

    /** Codes from a 64-bit LCG, the top 10 bits of each state. */
    static int[][] codes(long seed, int steps, int codebooks) {
        long s = seed;
        int[][] codes = new int[steps][codebooks];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < codebooks; k++) {
                s = s * 6364136223846793005L + 1442695040888963407L;
                codes[t][k] = (int) (s >>> 54);
            }
        }
        return codes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
