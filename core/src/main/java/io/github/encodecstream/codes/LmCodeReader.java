package io.github.encodecstream.codes;

import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmSegmentDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.files.CountingInputStream;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.TruncatedEcdcException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads the codes of a file entropy-coded by Encodec-Stream's deterministic LM ({@code lmv}),
 * streaming, with the operations of {@link CodeReader}.
 *
 * <h2>{@code encodec-stream-lm/2} (an {@link LmIndex} after the JSON)</h2>
 * The codes are in <em>records</em>, each its own LM stream with its length and CRC-32C in the
 * index: 48 kHz: one per segment (scale and coded bytes); 24 kHz: one per chunk of
 * {@link SegmentLayout#chunkSteps()} steps of the one segment. A record is read whole, its CRC-32C
 * checked (and, 48 kHz, its scale: finite and in (0, {@value SegmentLayout#MAX_PLAUSIBLE_SCALE}]),
 * then decoded whole, which must give exactly its steps from exactly its bytes, before any of its
 * steps is returned. A record failing any of this is a {@link DamagedRecordException} naming the
 * record and its span; the reader is then positioned at the next record and stays usable:
 * <ul>
 * <li>48 kHz: thrown by {@link #beginSegment(int, int)} or {@link #readRaw(int)};
 *     {@code beginSegment(r + 1)} or {@code readRaw(r + 1)} works next;</li>
 * <li>24 kHz: thrown by {@link #beginSegment(int, int)} (the chunk holding the first step) or by
 *     {@link #readSteps(int[], int)}, which runs across chunk boundaries (the LM restarted at each).
 *     A {@code readSteps} call that reaches a damaged chunk after some steps returns those steps (a
 *     short count) and the next call throws; after the exception, {@code readSteps} goes on with
 *     the next chunk's first step ({@link #step()} jumps over the damaged chunk).</li>
 * </ul>
 * {@code beginSegment(0, firstStep)} of a 24 kHz file starts the LM at the chunk holding
 * {@code firstStep} (skipping the bytes before it; the reader may be opened at any chunk's byte
 * offset up to that chunk's, {@link SegmentLayout#chunkByteOffset(int)}) and decodes and drops the
 * steps of that chunk before {@code firstStep}: a seek costs at most one chunk of LM time. It may
 * be called again on the same reader to jump forward (e.g. a forward seek on a forward-only
 * source): to any step of the chunk last decoded or of a later chunk.
 * For parallel decoding, {@link #readRaw(int)} reads one record (segment or chunk) without
 * decoding it, checked, and {@link #decodeRecord} decodes it on any thread.
 *
 * <h2>{@code encodec-stream-lm/1}</h2>
 * 48 kHz: each segment's record is its scale (4 bytes) and its coded stream ({@code lms} bytes),
 * the LM restarted per segment; a segment is reached directly by its byte offset. 24 kHz: one
 * stream from the data offset; a segment start past step 0 decodes (and drops) the steps before
 * it, so it costs LM time proportional to the step. A stream that does not decode or whose length
 * differs from {@code lms} is a (fatal) {@link EcdcFormatException}; the reader then stays failed.
 *
 * <p>In both versions the data ending early is a {@link TruncatedEcdcException} (after the
 * complete steps before it; in version 2 the steps of the records that end within the data), and
 * the reader then stays failed.
 */
public final class LmCodeReader implements CodeSource {
    private final SegmentLayout layout;
    private final int codebooks;
    /** Counts the bytes handed out, so that the position is the coder's, not the buffer's. */
    private final CountingInputStream in;
    private final LmWeights weights;
    /** Made on first use: a reader that only reads raw records ({@link #readRaw}) needs none. */
    private LmSegmentDecoder decoder;
    private final int[] step;
    private int segment = -1;
    private int segmentSteps;
    private int done;
    private long segmentStart;
    private EcdcFormatException failure;
    // version 2: the decoded codes of the current record (step-major), covering steps
    // [recordFirst, recordFirst + recordSteps) of the segment
    private int[] recordCodes = new int[0];
    private int recordFirst;
    private int recordSteps;
    /** A damaged chunk found after a short {@link #readSteps} count, thrown by the next call. */
    private DamagedRecordException pending;

    /**
     * A reader of {@code in}, whose next byte is at file offset {@code position}, decoding with
     * {@code weights}.
     */
    public LmCodeReader(SegmentLayout layout, InputStream in, long position, LmWeights weights) {
        if (!layout.isEntropyCoded()) {
            throw new IllegalArgumentException("not an entropy-coded file");
        }
        this.layout = layout;
        this.codebooks = layout.codebooks();
        this.in = new CountingInputStream(new BufferedInputStream(Objects.requireNonNull(in), 8192), position);
        this.weights = Objects.requireNonNull(weights, "weights");
        this.step = new int[codebooks];
    }

    @Override
    public int codebooks() {
        return codebooks;
    }

    @Override
    public long position() {
        return in.count();
    }

    /** The step of the current segment that the next {@link #readSteps(int[], int)} starts at. */
    public int step() {
        return done;
    }

    @Override
    public int stepsRemaining() {
        return segmentSteps - done;
    }

    @Override
    public float beginSegment(int index) throws IOException {
        return beginSegment(index, 0);
    }

    /**
     * Starts segment {@code index} at step {@code firstStep}. Version 2: reads, checks and decodes
     * the record holding that step (see the class comment); version 1: starts the segment's stream
     * and skips {@code firstStep} steps by decoding them (24 kHz seeks). The scale is always read
     * (1 for the 24 kHz model).
     *
     * @throws DamagedRecordException (version 2) when that record is damaged
     * @throws IllegalStateException when the stream is already past the record
     */
    @Override
    public float beginSegment(int index, int firstStep) throws IOException {
        throwIfFailed();
        Objects.checkIndex(index, layout.segmentCount());
        Objects.checkIndex(firstStep, layout.segment(index).steps());
        pending = null;
        if (layout.isChunked()) {
            if (segment == 0 && recordSteps > 0 && firstStep >= recordFirst && firstStep < recordFirst + recordSteps) {
                done = firstStep; // within the chunk already decoded
                return 1f;
            }
            int chunk = layout.chunkOf(firstStep);
            if (in.count() > layout.chunkByteOffset(chunk)) {
                throw new IllegalStateException("chunk " + chunk + " starts at byte " + layout.chunkByteOffset(chunk)
                        + ", the stream is already at byte " + in.count());
            }
            startSegment(index);
            done = layout.chunkFirstStep(chunk);
            loadChunk(chunk);
            done = firstStep;
            return 1f;
        }
        if (layout.hasChecksums()) {
            startSegment(index);
            done = segmentSteps; // nothing to read if the record is damaged
            RawSegment raw = readRecord(index);
            setRecord(decodeRecord(raw, decoder(), codebooks), 0, segmentSteps);
            done = firstStep;
            return raw.scale();
        }
        return beginV1(index, firstStep);
    }

    private void startSegment(int index) {
        segment = index;
        segmentSteps = layout.segment(index).steps();
        recordSteps = 0;
    }

    private void setRecord(int[] codes, int first, int steps) {
        recordCodes = codes;
        recordFirst = first;
        recordSteps = steps;
    }

    /**
     * Reads, checks and decodes chunk {@code c} as the current record; a damaged chunk leaves the
     * reader at the next chunk's first step.
     */
    private void loadChunk(int c) throws IOException {
        recordFirst = layout.chunkFirstStep(c);
        recordSteps = 0;
        try {
            setRecord(decodeRecord(readRecord(c), decoder(), codebooks), layout.chunkFirstStep(c), layout.chunkStepCount(c));
        } catch (DamagedRecordException e) {
            done = layout.chunkFirstStep(c) + layout.chunkStepCount(c);
            throw e;
        }
    }

    private float beginV1(int index, int firstStep) throws IOException {
        long target = index == 0 ? layout.dataOffset() : layout.byteOffset(index);
        float scale = 1f;
        try {
            skipTo(target, "segment " + index);
            if (layout.family().hasScale()) {
                scale = readV1Scale(index);
            }
        } catch (EcdcFormatException e) {
            failure = e;
            throw e;
        }
        startSegment(index);
        done = 0;
        segmentStart = in.count();
        decoder().start(in);
        if (firstStep > 0) {
            int[] skip = new int[firstStep * codebooks];
            int got = readSteps(skip, firstStep);
            if (got < firstStep) {
                readSteps(skip, 1); // throws the failure
            }
        }
        return scale;
    }

    /** A version 1 segment's scale, at the stream's position: 4 bytes, a finite float (as version 1 checked it). */
    private float readV1Scale(int index) throws IOException {
        byte[] b = in.readNBytes(SegmentLayout.SCALE_BYTES);
        if (b.length < SegmentLayout.SCALE_BYTES) {
            throw new TruncatedEcdcException("file ends inside the scale of segment " + index, in.count());
        }
        float scale = ByteBuffer.wrap(b).getFloat();
        if (!Float.isFinite(scale)) {
            throw new EcdcFormatException("segment " + index + " has scale " + scale,
                    in.count() - SegmentLayout.SCALE_BYTES);
        }
        return scale;
    }

    /**
     * Skips forward to file offset {@code target}.
     *
     * @throws IllegalStateException when the stream is already past it
     * @throws TruncatedEcdcException when the data ends before it
     */
    private void skipTo(long target, String what) throws IOException {
        if (in.count() > target) {
            throw new IllegalStateException(what + " starts at byte " + target + ", the stream is already at byte "
                    + in.count());
        }
        while (in.count() < target) {
            long n = in.skip(target - in.count());
            if (n <= 0 && in.read() < 0) {
                throw new TruncatedEcdcException("file ends before " + what, in.count());
            }
        }
    }

    /**
     * Reads up to {@code maxSteps} steps of the current segment into {@code dst}, code
     * {@code k} of step {@code s} at {@code dst[s * codebooks() + k]}. A count below both
     * {@code maxSteps} and {@link #stepsRemaining()} means that the next call throws (the data
     * ends, or the next 24 kHz chunk is damaged).
     *
     * @return the steps read; 0 at the end of the segment
     * @throws DamagedRecordException (version 2, 24 kHz) for a damaged chunk; the next call goes on
     *     after it
     */
    @Override
    public int readSteps(int[] dst, int maxSteps) throws IOException {
        throwIfFailed();
        if (pending != null) {
            DamagedRecordException e = pending;
            pending = null;
            throw e;
        }
        if (segment < 0) {
            throw new IllegalStateException("call beginSegment first");
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps " + maxSteps);
        }
        if (!layout.hasChecksums()) {
            return readV1(dst, maxSteps);
        }
        int steps = Math.min(maxSteps, segmentSteps - done);
        Objects.checkFromIndexSize(0, steps * codebooks, dst.length);
        int got = 0;
        while (got < steps) {
            int available = recordFirst + recordSteps - done;
            if (available <= 0) {
                try {
                    loadChunk(layout.chunkOf(done)); // 48 kHz records hold the whole segment: chunks only
                } catch (DamagedRecordException e) {
                    if (got == 0) {
                        throw e;
                    }
                    pending = e;
                    return got;
                } catch (EcdcFormatException e) {
                    if (got == 0) {
                        throw e;
                    }
                    return got; // the failure is thrown by the next call
                }
                continue;
            }
            int n = Math.min(available, steps - got);
            System.arraycopy(recordCodes, (done - recordFirst) * codebooks, dst, got * codebooks, n * codebooks);
            got += n;
            done += n;
        }
        return got;
    }

    private int readV1(int[] dst, int maxSteps) throws IOException {
        int steps = Math.min(maxSteps, segmentSteps - done);
        Objects.checkFromIndexSize(0, steps * codebooks, dst.length);
        for (int s = 0; s < steps; s++) {
            try {
                decoder().next(step);
            } catch (EOFException e) {
                failure = new TruncatedEcdcException("file ends inside the coded stream of segment " + segment
                        + " after " + done + " of " + segmentSteps + " steps", in.count());
            } catch (IOException e) {
                failure = e instanceof EcdcFormatException ? (EcdcFormatException) e
                        : new EcdcFormatException("the coded stream of segment " + segment + " does not decode at step "
                                + done + ": " + e.getMessage(), in.count(), e);
            }
            if (failure != null) {
                if (s == 0) {
                    throw failure;
                }
                return s;
            }
            System.arraycopy(step, 0, dst, s * codebooks, codebooks);
            done++;
            if (done == segmentSteps && layout.hasByteOffsets()) {
                long expected = layout.byteSize(segment) - SegmentLayout.SCALE_BYTES;
                long read = in.count() - segmentStart;
                if (read != expected) {
                    failure = new EcdcFormatException("segment " + segment + " decodes from " + read
                            + " bytes, its stored length (lms) is " + expected, segmentStart);
                    if (s == 0) {
                        throw failure;
                    }
                    return s; // the last step is dropped with the segment: its stream is inconsistent
                }
            }
        }
        return steps;
    }

    /**
     * One record read whole, not decoded: a 48 kHz segment (its scale and coded bytes) or a 24 kHz
     * chunk ({@code scale} 1), which {@link #decodeRecord} turns into codes on any thread
     * (parallel decoding).
     *
     * @param index the segment (48 kHz) or chunk (chunked 24 kHz) index
     * @param offset the file offset of the coded bytes
     * @param steps the record's code steps
     * @param startSample the first file sample of the record's span
     * @param endSample the file sample after the span
     * @param checked whether the record's CRC-32C was checked ({@code encodec-stream-lm/2}): its
     *     decoding failures are then {@link DamagedRecordException}s, not fatal
     */
    public record RawSegment(int index, float scale, byte[] coded, long offset, int steps, long startSample,
            long endSample, boolean checked) {}

    /**
     * Reads record {@code index} without decoding it: version 2: the segment (48 kHz) or chunk
     * (24 kHz) {@code index}, its CRC-32C and scale checked; version 1 (48 kHz): the segment's
     * scale and {@code lms} coded bytes. The record may be ahead of the stream (the bytes before
     * it are skipped).
     *
     * @throws DamagedRecordException (version 2) when the record is damaged; the reader is then at
     *     the next record
     * @throws TruncatedEcdcException when the data ends inside the record
     * @throws IllegalStateException without stored lengths, or when the stream is past the record
     */
    public RawSegment readRaw(int index) throws IOException {
        if (!layout.hasByteOffsets() || !layout.hasChecksums() && layout.isChunked()) {
            throw new IllegalStateException("no stored segment lengths");
        }
        throwIfFailed();
        pending = null;
        if (layout.hasChecksums()) {
            if (layout.isChunked()) {
                segment = 0;
                segmentSteps = layout.segment(0).steps();
                recordSteps = 0;
                done = layout.chunkFirstStep(index) + layout.chunkStepCount(index);
            } else {
                startSegment(index);
                done = segmentSteps;
            }
            return readRecord(index);
        }
        Objects.checkIndex(index, layout.segmentCount());
        try {
            skipTo(layout.byteOffset(index), "segment " + index);
            float scale = readV1Scale(index);
            long offset = in.count();
            int size = (int) (layout.byteSize(index) - SegmentLayout.SCALE_BYTES);
            byte[] coded = in.readNBytes(size);
            if (coded.length < size) {
                throw new TruncatedEcdcException("file ends inside the coded stream of segment " + index, in.count());
            }
            startSegment(index);
            done = segmentSteps;
            SegmentLayout.Segment s = layout.segment(index);
            return new RawSegment(index, scale, coded, offset, s.steps(), s.start(), s.start() + s.length(), false);
        } catch (EcdcFormatException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Reads record {@code r} of a version 2 file whole and checks it: CRC-32C, and for a 48 kHz
     * segment a plausible scale. The stream is after the record on return and on
     * {@link DamagedRecordException}.
     */
    private RawSegment readRecord(int r) throws IOException {
        boolean chunk = layout.isChunked();
        Objects.checkIndex(r, layout.recordCount());
        String what = layout.recordName(r);
        long start = layout.recordByteOffset(r);
        int scaleBytes = chunk ? 0 : SegmentLayout.SCALE_BYTES;
        int size = layout.recordByteSize(r);
        byte[] record;
        try {
            skipTo(start, what);
            record = in.readNBytes(size);
            if (record.length < size) {
                throw new TruncatedEcdcException("file ends inside " + what + " (" + record.length + " of its " + size
                        + " bytes)", in.count());
            }
        } catch (EcdcFormatException e) {
            failure = e;
            throw e;
        }
        long from = layout.recordStartSample(r);
        long to = layout.recordEndSample(r);
        int steps = chunk ? layout.chunkStepCount(r) : layout.segment(r).steps();
        String damage = layout.recordDamage(r, record);
        if (damage != null) {
            throw new DamagedRecordException(damage, start, r, from, to);
        }
        float scale = chunk ? 1f : ByteBuffer.wrap(record, 0, scaleBytes).getFloat();
        byte[] coded = scaleBytes == 0 ? record : java.util.Arrays.copyOfRange(record, scaleBytes, size);
        return new RawSegment(r, scale, coded, start + scaleBytes, steps, from, to, true);
    }

    /**
     * The codes ({@code [steps * codebooks]}, step-major) of a record read by {@link #readRaw},
     * with a decoder of this file's codebooks and past context (one per thread,
     * {@link #segmentDecoder}).
     *
     * @throws DamagedRecordException when the bytes of a checked (version 2) record do not decode
     *     to its steps exactly
     * @throws EcdcFormatException when those of a version 1 segment do not
     */
    public static int[] decodeRecord(RawSegment raw, LmSegmentDecoder decoder, int codebooks)
            throws EcdcFormatException {
        int steps = raw.steps();
        int[][] codes;
        try {
            codes = decoder.decode(raw.coded(), steps);
        } catch (IOException e) {
            throw undecodable(raw.index(), raw.checked(), raw.offset(), raw.startSample(), raw.endSample(), e);
        }
        int[] out = new int[steps * codebooks];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(codes[t], 0, out, t * codebooks, codebooks);
        }
        return out;
    }

    /**
     * The error for record {@code record}, whose coded bytes start at {@code offset}, when they do not
     * decode to its steps exactly ({@code why}): a {@link DamagedRecordException} over its samples
     * {@code startSample..endSample} where its checksum was {@code checked} (version 2), else a fatal
     * {@link EcdcFormatException} (version 1).
     */
    public static EcdcFormatException undecodable(int record, boolean checked, long offset, long startSample,
            long endSample, IOException why) {
        String what = "the coded stream of " + (checked ? "record " : "segment ") + record + " does not decode: "
                + why.getMessage();
        return checked ? new DamagedRecordException(what, offset, record, startSample, endSample, why)
                : new EcdcFormatException(what, offset, why);
    }

    private LmSegmentDecoder decoder() {
        if (decoder == null) {
            decoder = segmentDecoder(layout, weights);
        }
        return decoder;
    }

    /** A decoder for this layout's records, for {@link #decodeRecord}. */
    public static LmSegmentDecoder segmentDecoder(SegmentLayout layout, LmWeights weights) {
        return new LmSegmentDecoder(weights, layout.codebooks(), DeterministicLm.pastContext(layout.family().frameRate()));
    }

    private void throwIfFailed() throws EcdcFormatException {
        if (failure != null) {
            throw failure;
        }
    }
}
