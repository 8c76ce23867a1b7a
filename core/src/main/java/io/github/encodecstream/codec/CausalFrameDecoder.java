package io.github.encodecstream.codec;

import io.github.encodecstream.engine.DecoderModel;
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

    /**
     * The whole state between two chunks: the first convolution's input context and the
     * network's recurrent state (convolution contexts, LSTM h and c, transposed-convolution tails).
     */
    record Snapshot(float[] history, float[][] values) {
        /** The largest absolute difference between two states' values (infinite when their shapes differ). */
        double distance(Snapshot other) {
            double max = 0;
            if (values.length != other.values.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i].length != other.values[i].length) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int j = 0; j < values[i].length; j++) {
                    max = Math.max(max, Math.abs(values[i][j] - other.values[i][j]));
                }
            }
            return max;
        }
    }

    CausalFrameDecoder(DecoderModel model) {
        this.model = model;
        this.dimension = model.codebooks().dimension();
        this.context = model.firstPadLeft();
    }

    /** A decoder that goes on from a state another one reached. */
    static CausalFrameDecoder resume(DecoderModel model, Snapshot snapshot) {
        CausalFrameDecoder decoder = new CausalFrameDecoder(model);
        decoder.history = snapshot.history().clone();
        decoder.state.restore(copy(snapshot.values()));
        return decoder;
    }

    /** A copy of the state after the last chunk (which must exist). */
    Snapshot snapshot() {
        return new Snapshot(history.clone(), copy(state.values()));
    }

    private static float[][] copy(float[][] values) {
        float[][] out = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].clone();
        }
        return out;
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
