package io.github.encodecstream.codec;

import io.github.encodecstream.codes.BitPacker;
import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.ModelFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * How one model's audio becomes the codes of a file behind {@link EcdcEncoder}, as
 * {@link DecodePath} is for decoding: {@link SegmentEncodePath} (the 48 kHz model: overlapping
 * segments, each with its scale, encoded on worker threads when there are several) or
 * {@link CausalEncodePath} (the 24 kHz model: one causal stream in chunks with explicit state).
 * Holds what they share: the input buffer (channel-major {@code [channels][capacity]}), the
 * file's body so far with its bit packer, the model's stream, and the LM when the codes are
 * entropy-coded (coded by {@link LmBatchQueue}).
 */
abstract class EncodePath {
    final EncoderOptions options;
    final ModelFamily family;
    final int channels;
    final int capacity;
    /** Pending input, channel-major {@code [channels][capacity]}. */
    final float[] buffer;
    int buffered;
    /** The compressed segments or stream, written after the header at the end. */
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final BitPacker packer = new BitPacker(body);
    final EncoderModel model;
    final EncoderModel.Stream stream;
    /** The LM of entropy-coded files, else null. */
    final Models.Lm lm;

    EncodePath(EncoderOptions options, EncoderModel model, int capacity, Models.Lm lm) {
        this.options = options;
        this.family = options.family();
        this.channels = family.channels();
        this.capacity = capacity;
        this.buffer = new float[channels * capacity];
        this.model = model;
        this.stream = model.openStream(capacity);
        this.lm = lm;
    }

    /** The path of the options' model, running the network on up to {@code threads} threads. */
    static EncodePath of(EncoderOptions options, EncoderModel model, int threads, Models.Lm lm) {
        return options.family().isSegmented() ? new SegmentEncodePath(options, model, threads, lm)
                : new CausalEncodePath(options, model, threads, lm);
    }

    /**
     * The batch coder of this file's LM records ({@link LmBatchQueue}), on {@code workers} (null: the
     * calling thread), writing to {@code sink}.
     */
    final <T> LmBatchQueue<T> lmQueue(Workers workers, LmBatchQueue.Sink<T> sink) {
        return new LmBatchQueue<>(lm.weights(), options.codebooks(), DeterministicLm.pastContext(family.frameRate()),
                workers, sink);
    }

    /** Takes {@code frames} samples per channel from {@code interleaved[offset...]}, encoding each full buffer. */
    final void write(float[] interleaved, int offset, int frames) throws IOException {
        int from = 0;
        while (from < frames) {
            int n = Math.min(frames - from, capacity - buffered);
            for (int c = 0; c < channels; c++) {
                int src = offset + from * channels + c;
                int dst = c * capacity + buffered;
                for (int i = 0; i < n; i++) {
                    buffer[dst + i] = interleaved[src + i * channels];
                }
            }
            buffered += n;
            from += n;
            if (buffered == capacity) {
                encodeFull();
            }
        }
    }

    /** Encodes a full buffer, keeping what the next segment or chunk needs of it. */
    abstract void encodeFull() throws IOException;

    /** The end of the input: encodes what is buffered and waits for all work in flight. */
    abstract void encodeRest() throws IOException;

    /**
     * Completes the body after {@link #encodeRest()} and {@link #release()}; returns the index of
     * an entropy-coded file (each record's coded length and CRC-32C), else null.
     */
    abstract LmIndex completeBody() throws IOException;

    /** Stops the work in flight and releases the streams' native state. */
    void release() {
        stream.close();
    }

    /** Packs codebook-major codes {@code [k * steps + s]} step by step, 10 bits each. */
    final void pack(int[] codes, int steps) throws IOException {
        int nc = options.codebooks();
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < nc; k++) {
                packer.write(codes[k * steps + s]);
            }
        }
    }
}
