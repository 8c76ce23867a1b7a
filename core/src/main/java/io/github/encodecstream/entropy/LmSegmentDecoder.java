package io.github.encodecstream.entropy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes the codes of one entropy-coded segment step by step, streaming (see {@link LmSegmentEncoder}): each
 * {@link #next(int[])} runs the LM one step and pulls one code per codebook, reading bytes from the input only
 * as the coder needs them. After a segment's last step exactly that segment's bytes have been read, so the next
 * segment (48 kHz: its scale, then its stream) follows on the same input; {@link #bytesRead()} can be checked
 * against a stored segment length. Not thread-safe; one per thread, sharing the {@link LmWeights}.
 */
public final class LmSegmentDecoder {
    private final DeterministicLm lm;
    private final int codebooks;
    private final float[] probabilities;
    private final int[] cdf = new int[LmWeights.CARDINALITY];
    private final int[] previous;
    private ArithmeticDecoder coder;
    private boolean started;

    /** A decoder for segments of {@code codebooks} codebooks; {@link #start(InputStream)} begins each segment. */
    public LmSegmentDecoder(LmWeights weights, int codebooks, int pastContext) {
        this.lm = new DeterministicLm(weights, codebooks, pastContext);
        this.codebooks = codebooks;
        this.probabilities = new float[codebooks * LmWeights.CARDINALITY];
        this.previous = new int[codebooks];
    }

    /**
     * Begins a segment whose stream starts at {@code in}'s position (read byte by byte: give a buffered stream);
     * restarts the LM.
     */
    public void start(InputStream in) {
        lm.reset();
        coder = new ArithmeticDecoder(in);
        started = false;
    }

    /**
     * Decodes the segment's next step into {@code codes} ({@code [codebooks]}).
     *
     * @throws java.io.EOFException where the stream ends early
     * @throws IOException where the stream is corrupt or was written with other probabilities
     */
    public void next(int[] codes) throws IOException {
        if (coder == null) {
            throw new IllegalStateException("start(InputStream) first");
        }
        lm.next(started ? previous : null, probabilities);
        int card = LmWeights.CARDINALITY;
        for (int k = 0; k < codebooks; k++) {
            QuantizedCdf.buildOrUniform(probabilities, k * card, card, cdf);
            codes[k] = coder.pull(cdf, card);
        }
        System.arraycopy(codes, 0, previous, 0, codebooks);
        started = true;
    }

    /** The bytes of the current segment read so far. */
    public long bytesRead() {
        return coder == null ? 0 : coder.bytesRead();
    }

    /**
     * Decodes a whole segment of {@code steps} steps from {@code bytes}.
     *
     * @throws IOException where the bytes do not hold that many steps, or hold bytes after them
     */
    public int[][] decode(byte[] bytes, int steps) throws IOException {
        start(new ByteArrayInputStream(bytes));
        int[][] codes = new int[steps][codebooks];
        for (int t = 0; t < steps; t++) {
            next(codes[t]);
        }
        if (bytesRead() != bytes.length) {
            throw new IOException("the segment has " + bytes.length + " bytes, its " + steps + " steps take " + bytesRead());
        }
        return codes;
    }
}
