package io.github.encodecstream.codes;

import java.io.IOException;

/**
 * Where a decoder gets a file's codes, segment after segment: {@link CodeReader} for plain files,
 * {@link LmCodeReader} for files entropy-coded by Encodec-Stream's deterministic LM.
 */
public interface CodeSource {
    /** Codebooks per step: the stride of a step in {@link #readSteps(int[], int)}'s output. */
    int codebooks();

    /** The file offset of the next byte to be read from the stream. */
    long position();

    /** Steps of the current segment not read yet. */
    int stepsRemaining();

    /** Starts segment {@code index} and reads its scale (1 for models without one). */
    float beginSegment(int index) throws IOException;

    /** Starts segment {@code index} at step {@code firstStep}; see {@link CodeReader#beginSegment(int, int)}. */
    float beginSegment(int index, int firstStep) throws IOException;

    /**
     * Reads up to {@code maxSteps} steps of the current segment into {@code dst}, step-major.
     *
     * @return the steps read; 0 at the end of the segment
     */
    int readSteps(int[] dst, int maxSteps) throws IOException;
}
