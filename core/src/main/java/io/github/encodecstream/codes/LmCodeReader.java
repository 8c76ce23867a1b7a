package io.github.encodecstream.codes;

import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmSegmentDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.files.CountingInputStream;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.TruncatedEcdcException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads the codes of a file entropy-coded by Encodec-Stream's deterministic LM ({@code lmv}),
 * streaming, with the operations of {@link CodeReader}. 48 kHz: each segment's record is its
 * scale (4 bytes) and its coded stream ({@code lms} bytes), the LM restarted per segment; a
 * segment is reached directly by its byte offset. 24 kHz: one stream from the data offset; a
 * segment start past step 0 decodes (and drops) the steps before it, so it costs LM time
 * proportional to the step. Errors: the data ending early is a {@link TruncatedEcdcException}
 * (after the complete steps before it), a stream that does not decode or whose length differs
 * from {@code lms} an {@link EcdcFormatException}; the reader then stays failed.
 */
public final class LmCodeReader implements CodeSource {
    private final SegmentLayout layout;
    private final int codebooks;
    /** Counts the bytes handed out, so that the position is the coder's, not the buffer's. */
    private final CountingInputStream in;
    private final LmSegmentDecoder decoder;
    private final int[] step;
    private int segment = -1;
    private int segmentSteps;
    private int done;
    private long segmentStart;
    private EcdcFormatException failure;

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
        this.decoder = new LmSegmentDecoder(weights, codebooks,
                DeterministicLm.pastContext(layout.family().frameRate()));
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
     * Starts segment {@code index} from its record and skips {@code firstStep} steps by decoding
     * them (24 kHz seeks). The scale is always read.
     */
    @Override
    public float beginSegment(int index, int firstStep) throws IOException {
        throwIfFailed();
        Objects.checkIndex(index, layout.segmentCount());
        Objects.checkIndex(firstStep, layout.segment(index).steps());
        long target = index == 0 ? layout.dataOffset() : layout.byteOffset(index);
        if (in.count() > target) {
            throw new IllegalStateException("segment " + index + " starts at byte " + target
                    + ", the stream is already at byte " + in.count());
        }
        float scale = 1f;
        try {
            while (in.count() < target) {
                long n = in.skip(target - in.count());
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new TruncatedEcdcException("file ends before segment " + index, in.count());
                    }
                }
            }
            if (layout.family().hasScale()) {
                byte[] b = in.readNBytes(SegmentLayout.SCALE_BYTES);
                if (b.length < SegmentLayout.SCALE_BYTES) {
                    throw new TruncatedEcdcException("file ends inside the scale of segment " + index, in.count());
                }
                scale = ByteBuffer.wrap(b).getFloat();
                if (!Float.isFinite(scale)) {
                    throw new EcdcFormatException("segment " + index + " has scale " + scale,
                            in.count() - SegmentLayout.SCALE_BYTES);
                }
            }
        } catch (EcdcFormatException e) {
            failure = e;
            throw e;
        }
        segment = index;
        segmentSteps = layout.segment(index).steps();
        done = 0;
        segmentStart = in.count();
        decoder.start(in);
        if (firstStep > 0) {
            int[] skip = new int[firstStep * codebooks];
            int got = readSteps(skip, firstStep);
            if (got < firstStep) {
                readSteps(skip, 1); // throws the failure
            }
        }
        return scale;
    }

    @Override
    public int readSteps(int[] dst, int maxSteps) throws IOException {
        throwIfFailed();
        if (segment < 0) {
            throw new IllegalStateException("call beginSegment first");
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps " + maxSteps);
        }
        int steps = Math.min(maxSteps, segmentSteps - done);
        Objects.checkFromIndexSize(0, steps * codebooks, dst.length);
        for (int s = 0; s < steps; s++) {
            try {
                decoder.next(step);
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
     * A 48 kHz segment's record read whole, not decoded: its scale and its coded bytes, which
     * {@link #decodeSegment} turns into codes on any thread (parallel decoding).
     *
     * @param offset the file offset of the coded bytes
     */
    public record RawSegment(int index, float scale, byte[] coded, long offset) {}

    /**
     * Reads segment {@code index}'s scale and {@code lms} coded bytes without decoding them
     * (files with stored segment lengths only).
     *
     * @throws TruncatedEcdcException when the data ends inside the record
     */
    public RawSegment readRaw(int index) throws IOException {
        if (!layout.hasByteOffsets()) {
            throw new IllegalStateException("no stored segment lengths");
        }
        throwIfFailed();
        Objects.checkIndex(index, layout.segmentCount());
        long target = layout.byteOffset(index);
        if (in.count() > target) {
            throw new IllegalStateException("segment " + index + " starts at byte " + target
                    + ", the stream is already at byte " + in.count());
        }
        try {
            while (in.count() < target) {
                long n = in.skip(target - in.count());
                if (n <= 0 && in.read() < 0) {
                    throw new TruncatedEcdcException("file ends before segment " + index, in.count());
                }
            }
            byte[] b = in.readNBytes(SegmentLayout.SCALE_BYTES);
            if (b.length < SegmentLayout.SCALE_BYTES) {
                throw new TruncatedEcdcException("file ends inside the scale of segment " + index, in.count());
            }
            float scale = ByteBuffer.wrap(b).getFloat();
            if (!Float.isFinite(scale)) {
                throw new EcdcFormatException("segment " + index + " has scale " + scale,
                        in.count() - SegmentLayout.SCALE_BYTES);
            }
            long offset = in.count();
            int size = (int) (layout.byteSize(index) - SegmentLayout.SCALE_BYTES);
            byte[] coded = in.readNBytes(size);
            if (coded.length < size) {
                throw new TruncatedEcdcException("file ends inside the coded stream of segment " + index, in.count());
            }
            segment = index;
            segmentSteps = layout.segment(index).steps();
            done = segmentSteps;
            return new RawSegment(index, scale, coded, offset);
        } catch (EcdcFormatException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * The codes ({@code [steps * codebooks]}, step-major) of a segment read by {@link #readRaw},
     * with a decoder of this file's codebooks and past context (one per thread).
     *
     * @throws EcdcFormatException when the bytes do not decode to the segment's steps exactly
     */
    public static int[] decodeSegment(RawSegment raw, int steps, LmSegmentDecoder decoder, int codebooks)
            throws EcdcFormatException {
        int[][] codes;
        try {
            codes = decoder.decode(raw.coded(), steps);
        } catch (IOException e) {
            throw new EcdcFormatException("the coded stream of segment " + raw.index() + " does not decode: "
                    + e.getMessage(), raw.offset(), e);
        }
        int[] out = new int[steps * codebooks];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(codes[t], 0, out, t * codebooks, codebooks);
        }
        return out;
    }

    /** A decoder for this layout's segments, for {@link #decodeSegment}. */
    public static LmSegmentDecoder segmentDecoder(SegmentLayout layout, LmWeights weights) {
        return new LmSegmentDecoder(weights, layout.codebooks(), DeterministicLm.pastContext(layout.family().frameRate()));
    }

    private void throwIfFailed() throws EcdcFormatException {
        if (failure != null) {
            throw failure;
        }
    }
}
