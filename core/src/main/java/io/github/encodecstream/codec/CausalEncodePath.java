package io.github.encodecstream.codec;

import io.github.encodecstream.engine.EncoderModel;
import java.io.IOException;
import java.util.Arrays;

/**
 * The 24 kHz model's encoding: a causal stream encoded chunk by chunk
 * ({@link EncoderOptions#chunkFrames()} steps) with explicit state (each convolution's left
 * context, the LSTM's h and c), equal to encoding the whole input at once; the last chunk takes the
 * reference's end padding. The codes are packed as they come, or, entropy-coded, held as 16-bit
 * values (17 MB for an hour at 24 kbps) and coded as one stream at the end.
 */
final class CausalEncodePath extends EncodePath {
    /** Steps the first chunk needs so that every reflect pad reads real input. */
    static final int MIN_FIRST_FRAMES = 7;

    private final int hop;
    private boolean started;
    private short[] streamCodes = new short[0];
    private int streamSteps;

    CausalEncodePath(EncoderOptions options, EncoderModel model, Models.Lm lm) {
        super(options, model, Math.max(options.chunkFrames(), MIN_FIRST_FRAMES) * options.family().hop(), lm);
        this.hop = family.hop();
    }

    /** A chunk of whole hops: the first fills the buffer, later ones are {@code chunkFrames} steps. */
    @Override
    void encodeFull() throws IOException {
        int chunk = started ? options.chunkFrames() * hop : capacity;
        encodeChunk(chunk);
        int rest = buffered - chunk;
        System.arraycopy(buffer, chunk, buffer, 0, rest);
        buffered = rest;
    }

    @Override
    void encodeRest() throws IOException {
        if (buffered > 0) {
            encodeChunk(buffered);
        }
    }

    @Override
    int[] completeBody() throws IOException {
        if (lmEncoder == null) {
            packer.flush();
            return null;
        }
        int nc = options.codebooks();
        int[][] steps = new int[streamSteps][nc];
        for (int t = 0; t < streamSteps; t++) {
            for (int k = 0; k < nc; k++) {
                steps[t][k] = streamCodes[t * nc + k];
            }
        }
        streamCodes = null;
        body.write(lmEncoder.encode(steps));
        return null;
    }

    /** Encodes the first {@code n} buffered samples of the stream (whole hops unless last). */
    private void encodeChunk(int n) throws IOException {
        stream.input().put(buffer, 0, n);
        int steps = (n + hop - 1) / hop;
        int[] codes = stream.encode(n, options.codebooks());
        started = true;
        if (lmEncoder == null) {
            pack(codes, steps);
            return;
        }
        int nc = options.codebooks();
        if ((long) (streamSteps + steps) * nc > streamCodes.length) {
            streamCodes = Arrays.copyOf(streamCodes, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(2L * streamCodes.length, (long) (streamSteps + steps) * nc)));
        }
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < nc; k++) {
                streamCodes[(streamSteps + s) * nc + k] = (short) codes[k * steps + s];
            }
        }
        streamSteps += steps;
    }
}
