package io.github.encodecstream.entropy;

import java.util.Arrays;

/**
 * Which of {@code n} streams each lane of an {@link LmLanes} pass holds, for the batch coders: streams
 * start in order, each in the first free lane; a lane freed by a finished stream takes the next
 * waiting one. Counts the steps done in each lane. Not thread-safe.
 */
final class LaneSchedule {
    /** Starts a stream in a lane, or settles it at once. */
    interface Starter {
        /**
         * Starts stream {@code s} in lane {@code lane} (its LM reset, its coder made) and returns true,
         * or settles it without a step (no steps, too few bytes) and returns false.
         */
        boolean start(int lane, int s);
    }

    private final int streams;
    private final int[] stream;
    private final int[] done;
    private final int[] active;
    private int next;

    /** A schedule of {@code streams} streams over {@code width} lanes. */
    LaneSchedule(int streams, int width) {
        this.streams = streams;
        this.stream = new int[width];
        this.done = new int[width];
        this.active = new int[width];
        Arrays.fill(stream, -1);
    }

    /**
     * Fills the free lanes with the next streams ({@code starter}), then lists the lanes holding a
     * stream in {@link #active()}; returns their count, 0 when every stream is done.
     */
    int fill(Starter starter) {
        int count = 0;
        for (int lane = 0; lane < stream.length; lane++) {
            while (stream[lane] < 0 && next < streams) {
                int s = next++;
                if (starter.start(lane, s)) {
                    stream[lane] = s;
                    done[lane] = 0;
                }
            }
            if (stream[lane] >= 0) {
                active[count++] = lane;
            }
        }
        return count;
    }

    /** The lanes of the pass, {@code [0, fill())}. */
    int[] active() {
        return active;
    }

    /** The stream in {@code lane}. */
    int stream(int lane) {
        return stream[lane];
    }

    /** The steps lane {@code lane}'s stream has done. */
    int done(int lane) {
        return done[lane];
    }

    /** Counts a step of lane {@code lane}'s stream; returns the steps done. */
    int step(int lane) {
        return ++done[lane];
    }

    /** Frees lane {@code lane} (its stream is finished). */
    void free(int lane) {
        stream[lane] = -1;
    }
}
