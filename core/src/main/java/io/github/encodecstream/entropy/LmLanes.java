package io.github.encodecstream.entropy;

/**
 * Several independent LM streams ("lanes") stepped together on one thread: each lane has its own position and
 * past, and {@link #next} computes the next step's probabilities of the given lanes. The probabilities of a lane
 * are bit for bit those of a {@link DeterministicLm} fed the same codes: the lanes share the reading of the
 * weights, never an arithmetic operation.
 */
final class LmLanes {
    private final DeterministicLm[] lanes;

    LmLanes(LmWeights weights, int codebooks, int pastContext, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("at least one stream per pass, not " + width);
        }
        lanes = new DeterministicLm[width];
        for (int i = 0; i < width; i++) {
            lanes[i] = new DeterministicLm(weights, codebooks, pastContext);
        }
    }

    int width() {
        return lanes.length;
    }

    /** Restarts lane {@code lane} (a new stream): no past, position 0. */
    void reset(int lane) {
        lanes[lane].reset();
    }

    /**
     * One step of the lanes {@code active[0..count)}: lane {@code a} gets the probabilities of its next step
     * ({@code [codebooks * 1024]}) in {@code probabilities[a]}, given its previous step's codes
     * {@code previous[a]} (ignored at its first step after {@link #reset(int)}).
     */
    void next(int[] active, int count, int[][] previous, float[][] probabilities) {
        for (int i = 0; i < count; i++) {
            int a = active[i];
            DeterministicLm lm = lanes[a];
            lm.next(lm.position() == 0 ? null : previous[a], probabilities[a]);
        }
    }
}
