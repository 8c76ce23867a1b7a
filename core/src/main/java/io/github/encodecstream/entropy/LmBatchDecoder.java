package io.github.encodecstream.entropy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

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
        return decode(coded, steps, () -> false);
    }

    /**
     * {@link #decode(List, int[])}, given up between two steps once {@code cancelled} says so (a batch
     * whose codes are no longer wanted, e.g. after a seek, frees its thread within a step).
     *
     * @throws CancellationException when {@code cancelled} said so
     */
    public List<Result> decode(List<byte[]> coded, int[] steps, BooleanSupplier cancelled) {
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
        LaneSchedule schedule = new LaneSchedule(n, width);
        ArithmeticDecoder[] coders = new ArithmeticDecoder[width];
        int[][] codes = new int[width][];
        int card = LmWeights.CARDINALITY;
        LaneSchedule.Starter starter = (lane, s) -> begin(lane, s, coded, steps, results, coders, codes);
        int count;
        while ((count = schedule.fill(starter)) > 0) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("LM batch cancelled");
            }
            int[] active = schedule.active();
            lanes.next(active, count, previous, probabilities);
            for (int i = 0; i < count; i++) {
                int lane = active[i];
                int s = schedule.stream(lane);
                int base = schedule.done(lane) * codebooks;
                try {
                    for (int k = 0; k < codebooks; k++) {
                        QuantizedCdf.buildOrUniform(probabilities[lane], k * card, card, cdf);
                        codes[lane][base + k] = coders[lane].pull(cdf, card);
                    }
                } catch (IOException e) {
                    results[s] = new Result(null, e);
                    finish(lane, schedule, coders, codes);
                    continue;
                }
                System.arraycopy(codes[lane], base, lastCodes[lane], 0, codebooks);
                previous[lane] = lastCodes[lane];
                if (schedule.step(lane) == steps[s]) {
                    results[s] = endResult(coders[lane], coded.get(s).length, steps[s], codes[lane]);
                    finish(lane, schedule, coders, codes);
                }
            }
        }
        return List.of(results);
    }

    /**
     * Starts stream {@code s} in {@code lane} and returns true, or settles it at once (no steps, or
     * too few bytes) and returns false.
     */
    private boolean begin(int lane, int s, List<byte[]> coded, int[] steps, Result[] results,
            ArithmeticDecoder[] coders, int[][] codes) {
        byte[] bytes = coded.get(s);
        long symbols = (long) steps[s] * codebooks;
        if (symbols > ArithmeticDecoder.maxSymbols(bytes.length, LmWeights.CARDINALITY)
                || symbols > Integer.MAX_VALUE - 8) {
            results[s] = new Result(null, new EOFException("a stream of " + bytes.length + " bytes cannot hold "
                    + steps[s] + " steps of " + codebooks + " codes"));
            return false;
        }
        ArithmeticDecoder coder = new ArithmeticDecoder(new ByteArrayInputStream(bytes));
        if (steps[s] == 0) {
            results[s] = endResult(coder, bytes.length, 0, new int[0]);
            return false;
        }
        lanes.reset(lane);
        previous[lane] = null;
        coders[lane] = coder;
        codes[lane] = new int[(int) symbols];
        return true;
    }

    private static Result endResult(ArithmeticDecoder coder, int length, int steps, int[] codes) {
        if (coder.bytesRead() != length) {
            return new Result(null, new IOException("the segment has " + length + " bytes, its " + steps
                    + " steps take " + coder.bytesRead()));
        }
        return new Result(codes, null);
    }

    private static void finish(int lane, LaneSchedule schedule, ArithmeticDecoder[] coders, int[][] codes) {
        schedule.free(lane);
        coders[lane] = null;
        codes[lane] = null;
    }
}
