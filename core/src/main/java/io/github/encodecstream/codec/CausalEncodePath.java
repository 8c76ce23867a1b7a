package io.github.encodecstream.codec;

import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.entropy.LmSegmentEncoder;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Future;

/**
 * The 24 kHz model's encoding: a causal stream encoded chunk by chunk
 * ({@link EncoderOptions#chunkFrames()} steps) with explicit state (each convolution's left
 * context, the LSTM's h and c), equal to encoding the whole input at once; the last chunk takes the
 * reference's end padding. The codes are packed as they come, or, entropy-coded, gathered in LM
 * chunks of {@link EcdcMetadata#LM_CHUNK_STEPS} steps, each coded as its own stream (the LM
 * restarted) as soon as it is complete: on worker threads when there are several (at most two
 * chunks per worker in flight; each worker has its own LM coder, so the bytes do not depend on the
 * thread count), written in order with their lengths and CRC-32C for the header's {@link LmIndex}.
 */
final class CausalEncodePath extends EncodePath {
    /** Steps the first chunk needs so that every reflect pad reads real input. */
    static final int MIN_FIRST_FRAMES = 7;

    private final int hop;
    private boolean started;
    /** LM chunk coders, when entropy-coding with more than one thread; else null. */
    private final Workers workers;
    private final ThreadLocal<LmSegmentEncoder> lmEncoders = new ThreadLocal<>();
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private final LmIndexBuilder lmIndex = new LmIndexBuilder();
    /** The codes of the LM chunk being filled, {@code [steps][codebooks]}. */
    private int[][] lmChunk;
    private int lmChunkFill;

    CausalEncodePath(EncoderOptions options, EncoderModel model, int threads, Models.Lm lm) {
        super(options, model, Math.max(options.chunkFrames(), MIN_FIRST_FRAMES) * options.family().hop(), lm);
        this.hop = family.hop();
        this.workers = lm != null && threads > 1 ? new Workers(threads, "lm-encode") : null;
        this.lmChunk = lm == null ? null : new int[EcdcMetadata.LM_CHUNK_STEPS][options.codebooks()];
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
            drain(0);
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
        for (Future<byte[]> f : pending) {
            f.cancel(true);
        }
        pending.clear();
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

    /** Codes the gathered LM chunk (here, or on a worker) and starts the next. */
    private void codeLmChunk() throws IOException {
        int[][] steps = lmChunkFill == lmChunk.length ? lmChunk : Arrays.copyOf(lmChunk, lmChunkFill);
        lmChunk = new int[lmChunk.length][options.codebooks()];
        lmChunkFill = 0;
        if (workers == null) {
            writeLmChunk(lmEncoder.encode(steps));
            return;
        }
        pending.add(workers.submit(() -> {
            LmSegmentEncoder encoder = lmEncoders.get();
            if (encoder == null) {
                encoder = newLmEncoder();
                lmEncoders.set(encoder);
            }
            return encoder.encode(steps);
        }));
        drain(2 * workers.threads());
    }

    /** Writes the oldest LM chunks in flight until at most {@code keep} are left. */
    private void drain(int keep) throws IOException {
        while (pending.size() > keep) {
            writeLmChunk(Workers.await(pending.poll()));
        }
    }

    private void writeLmChunk(byte[] coded) {
        body.write(coded, 0, coded.length);
        lmIndex.add(coded.length, LmIndex.crc32c(coded, 0, coded.length));
    }
}
