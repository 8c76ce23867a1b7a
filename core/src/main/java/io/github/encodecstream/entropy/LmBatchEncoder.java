package io.github.encodecstream.entropy;

import java.util.List;

/**
 * Entropy-codes several independent segments or chunks on the calling thread, stepping up to
 * {@link #maxStreams()} of them in lockstep so that each weight is read once per step for all of them; each
 * result is byte for byte {@link LmSegmentEncoder#encode(int[][])} of that segment alone (the LM restarted at its
 * start, the coder flushed at its end).
 *
 * <p>Memory per stream of a pass: as {@link LmBatchDecoder} (the LM's keys and values, about 4.2 MB at 48 kHz,
 * 2.1 MB at 24 kHz), plus the stream's output bytes. Not thread-safe; one per thread, sharing the
 * {@link LmWeights}.
 */
public final class LmBatchEncoder {
    private final int codebooks;
    private final LmLanes lanes;
    private final float[][] probabilities;
    private final int[][] previous;
    private final int[] cdf = new int[LmWeights.CARDINALITY];

    /** An encoder stepping up to {@link LmBatchDecoder#BEST_WIDTH} streams together. */
    public LmBatchEncoder(LmWeights weights, int codebooks, int pastContext) {
        this(weights, codebooks, pastContext, LmBatchDecoder.BEST_WIDTH);
    }

    /**
     * An encoder for segments of {@code codebooks} codebooks and past context {@code pastContext}
     * ({@link DeterministicLm#pastContext(int)}), stepping up to {@code maxStreams} segments together.
     */
    public LmBatchEncoder(LmWeights weights, int codebooks, int pastContext, int maxStreams) {
        this.codebooks = codebooks;
        this.lanes = new LmLanes(weights, codebooks, pastContext, maxStreams);
        this.probabilities = new float[maxStreams][codebooks * LmWeights.CARDINALITY];
        this.previous = new int[maxStreams][];
    }

    /** The most segments stepped together. */
    public int maxStreams() {
        return lanes.width();
    }

    /**
     * The coded bytes of each segment, in order.
     *
     * @param segments each {@code [steps][codebooks]}, each code in 0..1023; any number of steps (none gives no
     *     bytes)
     * @throws IllegalArgumentException where a step has another number of codes or a code is out of range
     *     (checked before any coding)
     */
    public List<byte[]> encode(List<int[][]> segments) {
        int card = LmWeights.CARDINALITY;
        for (int s = 0; s < segments.size(); s++) {
            int[][] codes = segments.get(s);
            for (int t = 0; t < codes.length; t++) {
                if (codes[t].length != codebooks) {
                    throw new IllegalArgumentException("segment " + s + ", step " + t + " has " + codes[t].length
                            + " codes, not " + codebooks);
                }
                for (int k = 0; k < codebooks; k++) {
                    if (codes[t][k] < 0 || codes[t][k] >= card) {
                        throw new IllegalArgumentException("code " + codes[t][k] + " out of range (segment " + s
                                + ", step " + t + ", codebook " + k + ")");
                    }
                }
            }
        }
        int n = segments.size();
        byte[][] out = new byte[n][];
        int width = lanes.width();
        LaneSchedule schedule = new LaneSchedule(n, width);
        ArithmeticEncoder[] coders = new ArithmeticEncoder[width];
        LaneSchedule.Starter starter = (lane, s) -> {
            if (segments.get(s).length == 0) {
                out[s] = new ArithmeticEncoder().finish();
                return false;
            }
            lanes.reset(lane);
            coders[lane] = new ArithmeticEncoder();
            return true;
        };
        int count;
        while ((count = schedule.fill(starter)) > 0) {
            int[] active = schedule.active();
            for (int i = 0; i < count; i++) {
                int lane = active[i];
                int done = schedule.done(lane);
                previous[lane] = done == 0 ? null : segments.get(schedule.stream(lane))[done - 1];
            }
            lanes.next(active, count, previous, probabilities);
            for (int i = 0; i < count; i++) {
                int lane = active[i];
                int[][] codes = segments.get(schedule.stream(lane));
                int[] step = codes[schedule.done(lane)];
                for (int k = 0; k < codebooks; k++) {
                    QuantizedCdf.buildOrUniform(probabilities[lane], k * card, card, cdf);
                    coders[lane].push(step[k], cdf);
                }
                if (schedule.step(lane) == codes.length) {
                    out[schedule.stream(lane)] = coders[lane].finish();
                    schedule.free(lane);
                    coders[lane] = null;
                }
            }
        }
        return List.of(out);
    }
}
