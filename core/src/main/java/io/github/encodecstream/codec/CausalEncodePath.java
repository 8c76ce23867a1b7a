package io.github.encodecstream.codec;

import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
import java.io.IOException;
import java.util.Arrays;

/**
 * The 24 kHz model's encoding: a causal stream encoded chunk by chunk
 * ({@link EncoderOptions#chunkFrames()} steps) with explicit state (each convolution's left
 * context, the LSTM's h and c), equal to encoding the whole input at once; the last chunk takes the
 * reference's end padding. The codes are packed as they come, or, entropy-coded, gathered in LM
 * chunks of {@link EcdcMetadata#LM_CHUNK_STEPS} steps, each coded as its own stream (the LM
 * restarted), in batches of consecutive chunks ({@link LmBatchQueue}: on worker threads when there
 * are several, the bytes not depending on the thread count), written in order with their lengths
 * and CRC-32C for the header's {@link LmIndex}.
 */
final class CausalEncodePath extends EncodePath {
    /** Steps the first chunk needs so that every reflect pad reads real input. */
    static final int MIN_FIRST_FRAMES = 7;

    private final int hop;
    private boolean started;
    /** LM chunk coders, when entropy-coding with more than one thread; else null. */
    private final Workers workers;
    /** The entropy coding of the LM chunks, in order; null without the LM. */
    private final LmBatchQueue<Void> lmQueue;
    private final LmIndexBuilder lmIndex = new LmIndexBuilder();
    /** The codes of the LM chunk being filled, {@code [steps][codebooks]}. */
    private int[][] lmChunk;
    private int lmChunkFill;

    CausalEncodePath(EncoderOptions options, EncoderModel model, int threads, Models.Lm lm) {
        super(options, model, Math.max(options.chunkFrames(), MIN_FIRST_FRAMES) * options.family().hop(), lm);
        this.hop = family.hop();
        this.workers = lm != null && threads > 1 ? new Workers(threads, "lm-encode") : null;
        this.lmChunk = lm == null ? null : new int[EcdcMetadata.LM_CHUNK_STEPS][options.codebooks()];
        this.lmQueue = lm == null ? null : lmQueue(workers, (none, coded) -> writeLmChunk(coded));
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
        if (lm != null) {
            if (lmChunkFill > 0) {
                codeLmChunk();
            }
            lmQueue.finish();
        }
    }

    @Override
    LmIndex completeBody() throws IOException {
        if (lm == null) {
            packer.flush();
            return null;
        }
        return lmIndex.build();
    }

    @Override
    void release() {
        if (lmQueue != null) {
            lmQueue.cancel();
        }
        if (workers != null) {
            workers.close();
        }
        super.release();
    }

    /** Encodes the first {@code n} buffered samples of the stream (whole hops unless last). */
    private void encodeChunk(int n) throws IOException {
        stream.input().put(buffer, 0, n);
        int steps = (n + hop - 1) / hop;
        int[] codes = stream.encode(n, options.codebooks());
        started = true;
        if (lm == null) {
            pack(codes, steps);
            return;
        }
        int nc = options.codebooks();
        for (int s = 0; s < steps; s++) {
            int[] step = lmChunk[lmChunkFill++];
            for (int k = 0; k < nc; k++) {
                step[k] = codes[k * steps + s];
            }
            if (lmChunkFill == lmChunk.length) {
                codeLmChunk();
            }
        }
    }

    /** Hands the gathered LM chunk to the queue and starts the next. */
    private void codeLmChunk() throws IOException {
        int[][] steps = lmChunkFill == lmChunk.length ? lmChunk : Arrays.copyOf(lmChunk, lmChunkFill);
        lmChunk = new int[lmChunk.length][options.codebooks()];
        lmChunkFill = 0;
        lmQueue.add(null, steps);
    }

    private void writeLmChunk(byte[] coded) {
        body.write(coded, 0, coded.length);
        lmIndex.add(coded.length, LmIndex.crc32c(coded, 0, coded.length));
    }
}
