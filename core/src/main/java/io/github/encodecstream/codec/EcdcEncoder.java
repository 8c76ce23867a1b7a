package io.github.encodecstream.codec;

import io.github.encodecstream.codes.BitPacker;
import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmSegmentEncoder;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A push-based streaming encoder writing one {@code .ecdc} file: {@link #write} takes float PCM
 * (channels interleaved, {@link EncoderOptions#channels()} of them, at the model's rate, or at
 * {@link EncoderOptions#inputSampleRate()} taken as the model's rate), {@link #finish()} writes
 * the file.
 *
 * <p>The 48 kHz model encodes each 1 s segment (every 0.99 s) as soon as its samples are in: the
 * segment is normalised by {@code 1e-8 + RMS} of its mono mix (the scale written before its codes
 * as a big-endian float32, computed in float32 like the reference), encoded by the non-causal
 * network and quantised. The 24 kHz model encodes a causal stream chunk by chunk
 * ({@link EncoderOptions#chunkFrames()} steps) with explicit state (each convolution's left
 * context, the LSTM's h and c), equal to encoding the whole input at once; the last chunk takes
 * the reference's end padding. Memory is bounded by a segment or a chunk, whatever the input's
 * length.
 *
 * <p>The header comes first in the file but its {@code al} is known only at the end, so the
 * compressed segments are <b>buffered in memory</b> until {@link #finish()} (10 bits per code:
 * 0.75 kB/s at 6 kbps, 3 kB/s at 24 kbps, so about 11 MB for an hour at 24 kbps); nothing is
 * written to the output before {@link #finish()}, which needs no seekable output.
 *
 * <p>With {@link EncoderOptions#lm()} the codes are entropy-coded by the deterministic LM
 * ({@code docs/LM.md}): each 48 kHz segment's codes as its own stream (the lengths go in the
 * header's {@code lms}; with workers, each worker codes its segments with its own LM encoder, the
 * bytes being the same whichever thread codes them), the 24 kHz codes as one stream coded at {@link #finish()} (they are
 * held as 16-bit values until then: 17 MB for an hour at 24 kbps).
 *
 * <p>The output stream is the caller's: {@link #finish()} flushes it but does not close it.
 * {@link #close()} without {@link #finish()} abandons the file (nothing is written) and releases
 * the stream's native state at once; so use it in a try-with-resources block. Not thread-safe:
 * one encoder per stream. The networks are shared ({@link Models#encoder}).
 */
public final class EcdcEncoder implements AutoCloseable {
    /** Steps the first chunk of a 24 kHz stream needs so that every reflect pad reads real input. */
    static final int MIN_FIRST_FRAMES = 7;

    private final OutputStream out;
    private final EncoderOptions options;
    private final ModelFamily family;
    private final int channels;
    private final int hop;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final BitPacker packer = new BitPacker(body);
    /** Pending input, channel-major {@code [channels][capacity]}. */
    private final float[] buffer;
    private final int capacity;
    private int buffered;
    private long length;
    private boolean finished;
    private IOException failure;
    private final EncoderModel.Stream stream;
    private boolean started;
    // 48 kHz segments encoded in parallel: workers, their streams, the segments in flight in order
    private final EncoderModel model;
    private final Workers workers;
    private final BlockingQueue<EncoderModel.Stream> idle = new LinkedBlockingQueue<>();
    /** Normalised segment inputs no worker holds any more (parallel mode). */
    private final ConcurrentLinkedQueue<float[]> freeInputs = new ConcurrentLinkedQueue<>();
    private final List<EncoderModel.Stream> streams = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    // entropy coding (options.lm()): the LM's checksum, its coder, the 48 kHz segment lengths, the 24 kHz codes
    private final String lmChecksum;
    private final LmSegmentEncoder lmEncoder;
    private final List<Integer> lmLengths = new ArrayList<>();
    private short[] streamCodes = new short[0];
    private int streamSteps;

    /** A segment handed to a worker: its scale, steps and (coming) codes. */
    private record Pending(float scale, int steps, Future<Encoded> codes) {}

    /** A worker's result: the codes, and their entropy-coded bytes when the LM is on (else null). */
    private record Encoded(int[] codes, byte[] coded) {}

    /** One LM encoder per worker thread. */
    private final ThreadLocal<LmSegmentEncoder> lmEncoders = new ThreadLocal<>();
    private final Models.Lm lmModel;

    private EcdcEncoder(OutputStream out, EncoderOptions options, EncoderModel model, int threads, Models.Lm lm) {
        this.out = out;
        this.lmChecksum = lm == null ? null : lm.checksum();
        this.lmModel = lm;
        this.lmEncoder = lm == null ? null : new LmSegmentEncoder(lm.weights(), options.codebooks(),
                DeterministicLm.pastContext(options.family().frameRate()));
        this.options = options;
        this.family = options.family();
        this.channels = family.channels();
        this.hop = family.hop();
        this.capacity = family.isSegmented() ? family.segmentLength()
                : Math.max(options.chunkFrames(), MIN_FIRST_FRAMES) * hop;
        this.buffer = new float[channels * capacity];
        this.stream = model.openStream(capacity);
        this.model = model;
        this.workers = family.isSegmented() && threads > 1 ? new Workers(threads, "encode") : null;
    }

    /**
     * An encoder writing to {@code out}; loads the model's encoder and the quantiser for the
     * options' codebooks now (once per process, shared), so that a missing model fails here.
     */
    public static EcdcEncoder create(OutputStream out, EncoderOptions options) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        Models models = options.modelsOrShared();
        EncoderModel model = models.encoder(options.family());
        model.prepare(options.codebooks());
        Models.Lm lm = options.lm() ? models.lm(options.family()) : null;
        return new EcdcEncoder(out, options, model, options.threads() > 0 ? options.threads() : models.threads(), lm);
    }

    /** Encodes all of {@code interleaved} and writes the file: {@code create}, {@code write}, {@code finish}. */
    public static EcdcHeader encode(float[] interleaved, EncoderOptions options, OutputStream out) throws IOException {
        try (EcdcEncoder encoder = create(out, options)) {
            encoder.write(interleaved, 0, interleaved.length / options.channels());
            return encoder.finish();
        }
    }

    /** The options. */
    public EncoderOptions options() {
        return options;
    }

    /** Samples per channel taken so far (the file's {@code al} once finished). */
    public long length() {
        return length;
    }

    /**
     * Takes {@code frames} samples per channel from {@code interleaved[offset...]} (channels
     * interleaved) and encodes every segment or chunk they complete.
     *
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}, or past
     *     {@link EcdcMetadata#MAX_AUDIO_LENGTH} samples
     * @throws IOException when a network fails; the encoder then refuses further input
     */
    public void write(float[] interleaved, int offset, int frames) throws IOException {
        Objects.checkFromIndexSize(offset, (long) frames * channels > Integer.MAX_VALUE ? -1 : frames * channels,
                interleaved.length);
        checkWritable();
        if (frames > EcdcMetadata.MAX_AUDIO_LENGTH - length) {
            throw new IllegalStateException("a file holds at most " + EcdcMetadata.MAX_AUDIO_LENGTH + " samples per channel");
        }
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
            length += n;
            from += n;
            if (buffered == capacity) {
                run(this::encodeFull);
            }
        }
    }

    /**
     * Encodes the rest of the input and writes the whole file (header, then every segment) to the
     * output, which is flushed, not closed. Returns the header written.
     *
     * @throws IllegalStateException when already finished
     */
    public EcdcHeader finish() throws IOException {
        checkWritable();
        run(this::encodeRest);
        run(() -> drain(0));
        finished = true;
        release();
        EcdcHeader header;
        if (lmEncoder != null) {
            int[] lengths = null;
            if (family.isSegmented()) {
                lengths = lmLengths.stream().mapToInt(Integer::intValue).toArray();
            } else {
                int nc = options.codebooks();
                int[][] steps = new int[streamSteps][nc];
                for (int t = 0; t < streamSteps; t++) {
                    for (int k = 0; k < nc; k++) {
                        steps[t][k] = streamCodes[t * nc + k];
                    }
                }
                streamCodes = null;
                body.write(lmEncoder.encode(steps));
            }
            header = options.header(length, lmChecksum, lengths);
        } else {
            if (!family.isSegmented()) {
                packer.flush();
            }
            header = options.header(length);
        }
        header.write(out);
        body.writeTo(out);
        out.flush();
        return header;
    }

    private void checkWritable() throws IOException {
        if (finished) {
            throw new IllegalStateException("the encoder has finished or was closed");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void run(Step step) throws IOException {
        try {
            step.run();
        } catch (IOException e) {
            failure = e;
            release();
            throw e;
        }
    }

    /**
     * Abandons the file: nothing more is written, and the stream's state is released. Does nothing
     * after {@link #finish()}. Does not close the output.
     */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            release();
        }
    }

    /** Stops the workers (dropping segments in flight) and releases the streams' native state. */
    private void release() {
        for (Pending p : pending) {
            p.codes().cancel(true);
        }
        pending.clear();
        if (workers != null) {
            workers.close();
        }
        stream.close();
        synchronized (streams) {
            streams.forEach(EncoderModel.Stream::close);
        }
    }

    /**
     * The end of the input. A 48 kHz segment starts every stride while the start is inside the
     * input, so the buffered rest (a partial segment, or the overlap kept from the last full one)
     * is a segment, and, when longer than a stride, so is its part from a stride on.
     */
    private void encodeRest() throws IOException {
        if (!family.isSegmented()) {
            if (buffered > 0) {
                encodeChunk(buffered);
            }
            return;
        }
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
    }

    /** A full buffer: a whole 48 kHz segment, or a 24 kHz chunk of whole hops. */
    private void encodeFull() throws IOException {
        if (family.isSegmented()) {
            encodeSegment(capacity);
            // the next segment starts one stride on and shares the overlap
            int keep = capacity - family.segmentStride();
            for (int c = 0; c < channels; c++) {
                System.arraycopy(buffer, c * capacity + family.segmentStride(), buffer, c * capacity, keep);
            }
            buffered = keep;
        } else {
            int chunk = started ? options.chunkFrames() * hop : capacity;
            encodeChunk(chunk);
            int rest = buffered - chunk;
            System.arraycopy(buffer, chunk, buffer, 0, rest);
            buffered = rest;
        }
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
        writeSegment(scale, codes, steps, null);
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
     * Writes a 48 kHz segment's record: the scale, then the codes packed, or entropy-coded
     * ({@code coded} when a worker already coded them).
     */
    private void writeSegment(float scale, int[] codes, int steps, byte[] coded) throws IOException {
        new DataOutputStream(body).writeFloat(scale);
        if (coded == null && lmEncoder == null) {
            pack(codes, steps);
            packer.flush();
            return;
        }
        byte[] bytes = coded != null ? coded : lmEncoder.encode(stepMajor(codes, steps));
        body.write(bytes);
        lmLengths.add(bytes.length);
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
     * Hands a segment to a worker (normalised here by the same {@link #normalize}) and
     * writes the segments done, in order, keeping at most two per worker in flight.
     */
    private void submitSegment(int n) throws IOException {
        float scale = SegmentScale.of(buffer, capacity, channels, n);
        float[] pooled = freeInputs.poll(); // a segment's input, reused once a worker has taken it
        float[] input = pooled != null ? pooled : new float[channels * capacity];
        normalize(n, scale, FloatBuffer.wrap(input));
        int nc = options.codebooks();
        pending.add(new Pending(scale, (int) family.stepsFor(n), workers.submit(() -> {
            EncoderModel.Stream worker = idleStream();
            int[] codes;
            try {
                worker.input().put(0, input, 0, channels * n);
                freeInputs.add(input);
                codes = worker.encode(n, nc);
            } finally {
                idle.add(worker);
            }
            if (lmModel == null) {
                return new Encoded(codes, null);
            }
            LmSegmentEncoder encoder = lmEncoders.get();
            if (encoder == null) {
                encoder = new LmSegmentEncoder(lmModel.weights(), nc, DeterministicLm.pastContext(family.frameRate()));
                lmEncoders.set(encoder);
            }
            return new Encoded(codes, encoder.encode(stepMajor(codes, (int) family.stepsFor(n))));
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
            Encoded encoded = Workers.await(p.codes());
            writeSegment(p.scale(), encoded.codes(), p.steps(), encoded.coded());
        }
    }

    /** Encodes the first {@code n} buffered samples of the causal stream (whole hops unless last). */
    private void encodeChunk(int n) throws IOException {
        stream.input().put(buffer, 0, n);
        int steps = (n + hop - 1) / hop;
        int[] codes = stream.encode(n, options.codebooks());
        started = true;
        if (lmEncoder != null) {
            int nc = options.codebooks();
            if ((long) (streamSteps + steps) * nc > streamCodes.length) {
                streamCodes = java.util.Arrays.copyOf(streamCodes,
                        (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * streamCodes.length, (long) (streamSteps + steps) * nc)));
            }
            for (int s = 0; s < steps; s++) {
                for (int k = 0; k < nc; k++) {
                    streamCodes[(streamSteps + s) * nc + k] = (short) codes[k * steps + s];
                }
            }
            streamSteps += steps;
            return;
        }
        pack(codes, steps);
    }

    private void pack(int[] codes, int steps) throws IOException {
        int nc = options.codebooks();
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < nc; k++) {
                packer.write(codes[k * steps + s]);
            }
        }
    }
}
