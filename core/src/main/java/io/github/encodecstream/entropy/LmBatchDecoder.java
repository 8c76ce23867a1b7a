package io.github.encodecstream.entropy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes several independent entropy-coded streams (48 kHz segments, 24 kHz chunks: each one
 * {@link LmSegmentEncoder} stream, the LM restarted at its start) on the calling thread, stepping up to
 * {@link #maxStreams()} of them in lockstep so that each weight is read once per step for all of them. The
 * codes are exactly those {@link LmSegmentDecoder#decode(byte[], int)} gives for each stream alone.
 *
 * <p>A stream that is corrupt, ends early (or is too short to hold its steps: {@link EOFException}), or leaves
 * bytes over fails alone: its result carries the {@link IOException}, the other streams are unaffected.
 *
 * <p>Memory per stream of a pass: the LM's keys and values, {@code layers · 2 · dim · (pastContext + 1)} floats
 * (5 · 2 · 200 · 526 · 4 bytes, about 4.2 MB, at 48 kHz; about 2.1 MB at 24 kHz with past context 262), plus
 * {@code codebooks · 4} KB of probabilities; allocated once per decoder. Not thread-safe; one per thread,
 * sharing the {@link LmWeights}.
 */
public final class LmBatchDecoder {
    /**
     * The streams per pass that measured fastest per stream on one thread: 8 (48 kHz, 6 kbps: 0.09-0.10 s of CPU
     * per second of audio against 0.12-0.14 with 4 and 0.18-0.22 one at a time; see {@code docs/LM.md}). At this
     * width a decoder holds about 34 MB of LM state at 48 kHz, 17 MB at 24 kHz.
     */
    public static final int BEST_WIDTH = 8;

    private final int codebooks;
    private final LmLanes lanes;
    private final float[][] probabilities;
    /** Per lane: its last step's codes, and what the LM is fed (null at a stream's start). */
    private final int[][] lastCodes;
    private final int[][] previous;
    private final int[] cdf = new int[LmWeights.CARDINALITY];

    /** One stream's outcome: its codes ({@code [steps * codebooks]}, step-major), or why it failed. */
    public record Result(int[] codes, IOException failure) {
        /** Exactly one of the two is set. */
        public Result {
            if ((codes == null) == (failure == null)) {
                throw new IllegalArgumentException("codes or failure, exactly one");
            }
        }

        /** Whether the stream decoded. */
        public boolean ok() {
            return codes != null;
        }

        /** The codes, or the failure thrown. */
        public int[] codesOrThrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return codes;
        }
    }

    /** A decoder stepping up to {@link #BEST_WIDTH} streams together. */
    public LmBatchDecoder(LmWeights weights, int codebooks, int pastContext) {
        this(weights, codebooks, pastContext, BEST_WIDTH);
    }

    /**
     * A decoder for streams of {@code codebooks} codebooks and past context {@code pastContext}
     * ({@link DeterministicLm#pastContext(int)}), stepping up to {@code maxStreams} streams together.
     */
    public LmBatchDecoder(LmWeights weights, int codebooks, int pastContext, int maxStreams) {
        this.codebooks = codebooks;
        this.lanes = new LmLanes(weights, codebooks, pastContext, maxStreams);
        this.probabilities = new float[maxStreams][codebooks * LmWeights.CARDINALITY];
        this.lastCodes = new int[maxStreams][codebooks];
        this.previous = new int[maxStreams][];
    }

    /** The most streams stepped together. */
    public int maxStreams() {
        return lanes.width();
    }

    /**
     * Decodes stream {@code i} of {@code coded} as {@code steps[i]} steps; a lane freed by a finished stream takes
     * the next waiting one.
     *
     * @return one result per stream, in order
     * @throws IllegalArgumentException where the counts differ or a step count is negative
     */
    public List<Result> decode(List<byte[]> coded, int[] steps) {
        if (coded.size() != steps.length) {
            throw new IllegalArgumentException(coded.size() + " streams but " + steps.length + " step counts");
        }
        for (int s : steps) {
            if (s < 0) {
                throw new IllegalArgumentException("negative step count " + s);
            }
        }
        int n = steps.length;
        Result[] results = new Result[n];
        int width = lanes.width();
        int[] stream = new int[width];
        ArithmeticDecoder[] coders = new ArithmeticDecoder[width];
        int[][] codes = new int[width][];
        int[] done = new int[width];
        int[] active = new int[width];
        Arrays.fill(stream, -1);
        int next = 0;
        int card = LmWeights.CARDINALITY;
        while (true) {
            int count = 0;
            for (int lane = 0; lane < width; lane++) {
                while (stream[lane] < 0 && next < n) {
                    next = begin(lane, next, coded, steps, results, stream, coders, codes, done);
                }
                if (stream[lane] >= 0) {
                    active[count++] = lane;
                }
            }
            if (count == 0) {
                break;
            }
            lanes.next(active, count, previous, probabilities);
            for (int i = 0; i < count; i++) {
                int lane = active[i];
                int s = stream[lane];
                int base = done[lane] * codebooks;
                try {
                    for (int k = 0; k < codebooks; k++) {
                        QuantizedCdf.buildOrUniform(probabilities[lane], k * card, card, cdf);
                        codes[lane][base + k] = coders[lane].pull(cdf, card);
                    }
                } catch (IOException e) {
                    finish(lane, new Result(null, e), results, stream, coders, codes);
                    continue;
                }
                System.arraycopy(codes[lane], base, lastCodes[lane], 0, codebooks);
                previous[lane] = lastCodes[lane];
                if (++done[lane] == steps[s]) {
                    finish(lane, endResult(coders[lane], coded.get(s).length, steps[s], codes[lane]),
                            results, stream, coders, codes);
                }
            }
        }
        return List.of(results);
    }

    /** Starts stream {@code s} in {@code lane}, or settles it at once (no steps, or too few bytes); the next stream. */
    private int begin(int lane, int s, List<byte[]> coded, int[] steps, Result[] results, int[] stream,
            ArithmeticDecoder[] coders, int[][] codes, int[] done) {
        byte[] bytes = coded.get(s);
        long symbols = (long) steps[s] * codebooks;
        if (symbols > ArithmeticDecoder.maxSymbols(bytes.length, LmWeights.CARDINALITY)
                || symbols > Integer.MAX_VALUE - 8) {
            results[s] = new Result(null, new EOFException("a stream of " + bytes.length + " bytes cannot hold "
                    + steps[s] + " steps of " + codebooks + " codes"));
            return s + 1;
        }
        ArithmeticDecoder coder = new ArithmeticDecoder(new ByteArrayInputStream(bytes));
        if (steps[s] == 0) {
            results[s] = endResult(coder, bytes.length, 0, new int[0]);
            return s + 1;
        }
        lanes.reset(lane);
        previous[lane] = null;
        stream[lane] = s;
        coders[lane] = coder;
        codes[lane] = new int[(int) symbols];
        done[lane] = 0;
        return s + 1;
    }

    private static Result endResult(ArithmeticDecoder coder, int length, int steps, int[] codes) {
        if (coder.bytesRead() != length) {
            return new Result(null, new IOException("the segment has " + length + " bytes, its " + steps
                    + " steps take " + coder.bytesRead()));
        }
        return new Result(codes, null);
    }

    private static void finish(int lane, Result result, Result[] results, int[] stream, ArithmeticDecoder[] coders,
            int[][] codes) {
        results[stream[lane]] = result;
        stream[lane] = -1;
        coders[lane] = null;
        codes[lane] = null;
    }
}
