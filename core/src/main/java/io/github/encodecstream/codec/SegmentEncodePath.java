package io.github.encodecstream.codec;

import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.LmIndex;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The 48 kHz model's encoding: each 1 s segment (every 0.99 s) is encoded as soon as its samples
 * are in: normalised by {@code 1e-8 + RMS} of its mono mix (the scale written before its codes as
 * a big-endian float32, computed in float32 like the reference), encoded by the non-causal
 * network and quantised. With several threads, segments are encoded by workers (at most two per
 * worker in flight) and written in order. Entropy-coded, each segment's codes are their own
 * stream, coded in batches of consecutive segments ({@link LmBatchQueue}: on the workers when there
 * are several, the bytes the same whichever thread codes them), their lengths and CRC-32C (of scale
 * and coded bytes) kept for the header's {@link LmIndex}.
 */
final class SegmentEncodePath extends EncodePath {
    private final Workers workers;
    private final BlockingQueue<EncoderModel.Stream> idle = new LinkedBlockingQueue<>();
    /** Normalised segment inputs no worker holds any more. */
    private final ConcurrentLinkedQueue<float[]> freeInputs = new ConcurrentLinkedQueue<>();
    private final List<EncoderModel.Stream> streams = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final LmIndexBuilder lmIndex = new LmIndexBuilder();
    /** The entropy coding of the segments' codes, in order; null without the LM. */
    private final LmBatchQueue<Float> lmQueue;

    /** A segment handed to a worker: its scale, steps and (coming) codes. */
    private record Pending(float scale, int steps, Future<int[]> codes) {}

    SegmentEncodePath(EncoderOptions options, EncoderModel model, int threads, Models.Lm lm) {
        super(options, model, options.family().segmentLength(), lm);
        this.workers = threads > 1 ? new Workers(threads, "encode") : null;
        this.lmQueue = lm == null ? null : lmQueue(workers, this::writeCoded);
    }

    /** A whole segment; the next one starts one stride on and shares the overlap. */
    @Override
    void encodeFull() throws IOException {
        encodeSegment(capacity);
        int keep = capacity - family.segmentStride();
        for (int c = 0; c < channels; c++) {
            System.arraycopy(buffer, c * capacity + family.segmentStride(), buffer, c * capacity, keep);
        }
        buffered = keep;
    }

    /**
     * A segment starts every stride while the start is inside the input, so the buffered rest (a
     * partial segment, or the overlap kept from the last full one) is a segment, and, when longer
     * than a stride, so is its part from a stride on.
     */
    @Override
    void encodeRest() throws IOException {
        int stride = family.segmentStride();
        while (buffered > 0) {
            encodeSegment(buffered);
            if (buffered <= stride) {
                break;
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buffer, c * capacity + stride, buffer, c * capacity, buffered - stride);
            }
            buffered -= stride;
        }
        buffered = 0;
        drain(0);
        if (lmQueue != null) {
            lmQueue.finish();
        }
    }

    @Override
    LmIndex completeBody() {
        return lmQueue == null ? null : lmIndex.build();
    }

    @Override
    void release() {
        for (Pending p : pending) {
            p.codes().cancel(true);
        }
        pending.clear();
        if (lmQueue != null) {
            lmQueue.cancel();
        }
        Runnable closeStreams = () -> {
            synchronized (streams) {
                streams.forEach(EncoderModel.Stream::close);
            }
        };
        if (workers != null) {
            workers.close(closeStreams); // the workers' streams once no task uses them
        } else {
            closeStreams.run();
        }
        super.release();
    }

    /** Encodes the first {@code n} buffered samples of each channel as one segment. */
    private void encodeSegment(int n) throws IOException {
        if (workers != null) {
            submitSegment(n);
            return;
        }
        float scale = SegmentScale.of(buffer, capacity, channels, n);
        normalize(n, scale, stream.input());
        int steps = (int) family.stepsFor(n);
        int[] codes = stream.encode(n, options.codebooks());
        writeSegment(scale, codes, steps);
    }

    /** The first {@code n} buffered samples of each channel divided by the segment's scale, channel-major. */
    private void normalize(int n, float scale, FloatBuffer into) {
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                into.put(c * n + i, buffer[c * capacity + i] / scale);
            }
        }
    }

    /**
     * Writes a segment's record: the scale, then the codes packed; or, entropy-coded, hands them to
     * the LM's queue, which writes the record ({@link #writeCoded}) once its batch is coded.
     */
    private void writeSegment(float scale, int[] codes, int steps) throws IOException {
        if (lmQueue != null) {
            lmQueue.add(scale, stepMajor(codes, steps));
            return;
        }
        new DataOutputStream(body).writeFloat(scale);
        pack(codes, steps);
        packer.flush();
    }

    /** Writes an entropy-coded segment's record: the scale, the coded bytes; and its index entry. */
    private void writeCoded(float scale, byte[] bytes) throws IOException {
        byte[] record = ByteBuffer.allocate(Float.BYTES + bytes.length).putFloat(scale).put(bytes).array();
        body.write(record); // the CRC covers exactly the bytes written, as the reader checks them
        lmIndex.add(bytes.length, LmIndex.crc32c(record, 0, record.length));
    }

    /** Codebook-major codes {@code [k * steps + s]} as {@code [steps][codebooks]}. */
    private int[][] stepMajor(int[] codes, int steps) {
        int nc = options.codebooks();
        int[][] out = new int[steps][nc];
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < nc; k++) {
                out[s][k] = codes[k * steps + s];
            }
        }
        return out;
    }

    /**
     * Hands a segment to a worker (normalised here by the same {@link #normalize}) and writes the
     * segments done, in order, keeping at most two per worker in flight.
     */
    private void submitSegment(int n) throws IOException {
        float scale = SegmentScale.of(buffer, capacity, channels, n);
        float[] pooled = freeInputs.poll(); // a segment's input, reused once a worker has taken it
        float[] input = pooled != null ? pooled : new float[channels * capacity];
        normalize(n, scale, FloatBuffer.wrap(input));
        int nc = options.codebooks();
        int steps = (int) family.stepsFor(n);
        pending.add(new Pending(scale, steps, workers.submit(() -> {
            EncoderModel.Stream worker = idleStream();
            try {
                worker.input().put(0, input, 0, channels * n);
                freeInputs.add(input);
                return worker.encode(n, nc);
            } finally {
                idle.add(worker);
            }
        })));
        drain(2 * workers.threads());
    }

    /** A stream no worker uses now, opened when all are busy. */
    private EncoderModel.Stream idleStream() {
        EncoderModel.Stream s = idle.poll();
        if (s == null) {
            s = model.openStream(capacity);
            synchronized (streams) {
                streams.add(s);
            }
        }
        return s;
    }

    /** Writes the oldest segments in flight until at most {@code keep} are left. */
    private void drain(int keep) throws IOException {
        while (pending.size() > keep) {
            Pending p = pending.poll();
            writeSegment(p.scale(), Workers.await(p.codes()), p.steps());
        }
    }
}
