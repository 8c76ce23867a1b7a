package io.github.encodecstream.codec;

import io.github.encodecstream.model.ReflectPadding;
import java.io.IOException;

/**
 * Decodes the causal (24 kHz) model chunk by chunk with explicit state, giving the same samples
 * as the reference decoding the whole file at once. The first chunk reflect-pads at the start as
 * the reference does, so it needs at least {@link #MIN_FIRST_FRAMES} frames (or the whole file);
 * later chunks may be a single frame. The first convolution's left context (the previous six
 * embedding frames) is kept here; the rest of the state lives in {@link DecoderModel.CausalState}.
 */
final class CausalFrameDecoder {
    /** Frames the first chunk needs so that every reflect pad reads only real input. */
    static final int MIN_FIRST_FRAMES = 7;

    private final DecoderModel model;
    private final int dimension;
    private final int context;
    private final DecoderModel.CausalState state = new DecoderModel.CausalState();
    private float[] history;

    CausalFrameDecoder(DecoderModel model) {
        this.model = model;
        this.dimension = model.codebooks().dimension();
        this.context = model.firstPadLeft();
    }

    /** Whether no chunk has been decoded yet. */
    boolean atStart() {
        return history == null;
    }

    /**
     * Decodes {@code frames} frames of summed embeddings ({@code [dimension, frames]}) and returns
     * {@code frames * hop} samples.
     */
    float[] decode(float[] embedding, int frames) throws IOException {
        float[] padded;
        if (history == null) {
            padded = ReflectPadding.pad(embedding, dimension, frames, context, 0);
        } else {
            padded = new float[dimension * (context + frames)];
            for (int d = 0; d < dimension; d++) {
                System.arraycopy(history, d * context, padded, d * (context + frames), context);
                System.arraycopy(embedding, d * frames, padded, d * (context + frames) + context, frames);
            }
        }
        int paddedFrames = context + frames;
        float[] kept = new float[dimension * context];
        for (int d = 0; d < dimension; d++) {
            System.arraycopy(padded, d * paddedFrames + frames, kept, d * context, context);
        }
        float[] audio = model.decodeCausal(padded, paddedFrames, state);
        history = kept;
        return audio;
    }
}
