package io.github.encodecstream.codes;

import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads the codes of a file without entropy coding, segment after segment, a few steps at a time.
 *
 * <p>Call {@link #beginSegment(int)} (which reads the scale), then {@link #readSteps(int[], int)}
 * until it returns 0, then begin the next segment. The reader fetches only the bytes the
 * requested steps need, through a small fixed buffer, and knows the absolute file offset of the
 * stream at all times. When the data ends inside a segment, the complete steps before the end are
 * returned first and the next call throws {@link TruncatedEcdcException} with the offset where
 * the data stops; the reader then stays failed. A segment whose scale is not finite or not
 * plausible (not in (0, {@value SegmentLayout#MAX_PLAUSIBLE_SCALE}]) is damaged: {@link #beginSegment(int)} throws a
 * {@link DamagedRecordException} for it and the reader can go on with the next segment (the
 * codes, which have no checksum in a plain file, are taken as they are).
 */
public final class CodeReader implements CodeSource {
    private static final int BUFFER_SIZE = 4096;

    private final SegmentLayout layout;
    private final InputStream in;
    private final int codebooks;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final BitUnpacker unpacker = new BitUnpacker();
    private int bufferPos;
    private int bufferEnd;
    private long position;
    private int segment = -1;
    private int segmentSteps;
    private int step;
    private long segmentCodeBytes;
    private TruncatedEcdcException truncation;

    /**
     * A reader of {@code in}, whose next byte is at file offset {@code position}, normally
     * {@code layout.byteOffset(i)} of the first segment to read.
     *
     * @throws UnsupportedEcdcFeatureException for entropy-coded ({@code lm}) files
     */
    public CodeReader(SegmentLayout layout, InputStream in, long position) throws UnsupportedEcdcFeatureException {
        if (layout.isEntropyCoded()) {
            throw new UnsupportedEcdcFeatureException("entropy-coded (lm) files are read by LmCodeReader",
                    layout.dataOffset());
        }
        this.layout = layout;
        this.in = Objects.requireNonNull(in);
        this.codebooks = layout.codebooks();
        this.position = position;
    }

    /** Codebooks per step: the stride of a step in {@link #readSteps(int[], int)}'s output. */
    @Override
    public int codebooks() {
        return codebooks;
    }

    /** The file offset of the next byte to be read from the stream. */
    @Override
    public long position() {
        return position;
    }

    /** The segment being read, or -1 before the first {@link #beginSegment(int)}. */
    public int segment() {
        return segment;
    }

    /** Steps of the current segment not read yet. */
    @Override
    public int stepsRemaining() {
        return segmentSteps - step;
    }

    /**
     * Starts segment {@code index}, skipping forward to its record if the stream is before it,
     * and reads its scale.
     *
     * @return the segment's scale; 1 for models without one
     * @throws IllegalStateException when the stream is already past the segment's record
     * @throws TruncatedEcdcException when the data ends before the segment's codes
     * @throws DamagedRecordException when the scale is not finite or not plausible (the segment is
     *     skipped: the next segment can be begun)
     */
    @Override
    public float beginSegment(int index) throws IOException {
        return beginSegment(index, 0);
    }

    /**
     * Starts segment {@code index} at step {@code firstStep}: reads the scale, skips the codes of
     * the steps before, which are not decoded, and continues with {@code firstStep}. The stream
     * may also be positioned directly at {@link #stepOffset(SegmentLayout, int, int)} (with no
     * scale read: the scale is then reported as NaN), so that a seek reads nothing before it.
     *
     * @return the segment's scale; 1 for models without one; NaN when the stream starts past it
     */
    @Override
    public float beginSegment(int index, int firstStep) throws IOException {
        throwIfTruncated();
        Objects.checkIndex(index, layout.segmentCount());
        Objects.checkIndex(firstStep, layout.segment(index).steps());
        long stepByte = stepOffset(layout, index, firstStep);
        float scale = Float.NaN;
        if (firstStep == 0 || position <= layout.byteOffset(index)) {
            scale = beginAtScale(index);
        } else {
            startSegment(index);
        }
        if (firstStep > 0) {
            if (position > stepByte) {
                throw new IllegalStateException("step " + firstStep + " starts at byte " + stepByte
                        + ", the stream is already at byte " + position);
            }
            long codeStart = stepByte - (long) (firstStep * (long) codebooks * BitPacker.BITS / 8);
            skipTo(stepByte, "step " + firstStep + " of segment " + index);
            segmentCodeBytes = stepByte - codeStart;
            long needed = BitPacker.packedSize((long) (firstStep + 1) * codebooks);
            if (!fill(needed)) {
                truncation = new TruncatedEcdcException("file ends before step " + firstStep + " of segment " + index,
                        position);
                throw truncation;
            }
            unpacker.pushPartial(buffer[bufferPos++], (int) ((long) firstStep * codebooks * BitPacker.BITS % 8));
            step = firstStep;
        }
        return scale;
    }

    /** The file offset of the byte holding the first bit of step {@code step} of a segment. */
    public static long stepOffset(SegmentLayout layout, int segment, int step) {
        long scaleBytes = layout.family().hasScale() ? SegmentLayout.SCALE_BYTES : 0;
        return layout.byteOffset(segment) + scaleBytes + (long) step * layout.codebooks() * BitPacker.BITS / 8;
    }

    private float beginAtScale(int index) throws IOException {
        long target = layout.byteOffset(index);
        if (position > target) {
            throw new IllegalStateException("segment " + index + " starts at byte " + target
                    + ", the stream is already at byte " + position);
        }
        float scale = 1f;
        try {
            skipTo(target, "segment " + index);
            if (layout.family().hasScale()) {
                int got = in.readNBytes(buffer, 0, SegmentLayout.SCALE_BYTES);
                if (got < SegmentLayout.SCALE_BYTES) {
                    throw new TruncatedEcdcException("file ends inside the scale of segment " + index, position + got);
                }
                position += SegmentLayout.SCALE_BYTES;
                scale = ByteBuffer.wrap(buffer, 0, SegmentLayout.SCALE_BYTES).getFloat();
            }
        } catch (TruncatedEcdcException e) {
            truncation = e;
            throw e;
        }
        String damage = SegmentLayout.scaleDamage(index, scale);
        if (damage != null) {
            SegmentLayout.Segment s = layout.segment(index);
            throw new DamagedRecordException(damage, position - SegmentLayout.SCALE_BYTES, index, s.start(),
                    s.start() + s.length());
        }
        startSegment(index);
        return scale;
    }

    private void startSegment(int index) {
        segment = index;
        segmentSteps = layout.segment(index).steps();
        step = 0;
        segmentCodeBytes = 0;
        bufferPos = 0;
        bufferEnd = 0;
        unpacker.clear();
    }

    /** Reads and drops bytes up to file offset {@code target}. */
    private void skipTo(long target, String what) throws IOException {
        try {
            while (position < target) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, target - position));
                position += n;
                if (n == 0) {
                    throw new TruncatedEcdcException("file ends before " + what, position);
                }
            }
        } catch (TruncatedEcdcException e) {
            truncation = e;
            throw e;
        }
    }

    /**
     * Reads up to {@code maxSteps} steps of the current segment into {@code dst}, code
     * {@code k} of step {@code s} at {@code dst[s * codebooks() + k]}.
     *
     * @return the steps read; 0 at the end of the segment
     * @throws TruncatedEcdcException when the data ended before this call's first complete step
     */
    @Override
    public int readSteps(int[] dst, int maxSteps) throws IOException {
        throwIfTruncated();
        if (segment < 0) {
            throw new IllegalStateException("call beginSegment first");
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps " + maxSteps);
        }
        int steps = Math.min(maxSteps, segmentSteps - step);
        if (steps == 0) {
            return 0;
        }
        int values = Math.multiplyExact(steps, codebooks);
        Objects.checkFromIndexSize(0, values, dst.length);
        long bytesNeeded = BitPacker.packedSize((long) (step + steps) * codebooks);
        for (int v = 0; v < values; v++) {
            while (!unpacker.hasValue()) {
                if (bufferPos == bufferEnd && !fill(bytesNeeded)) {
                    return truncatedAfter(v / codebooks);
                }
                unpacker.push(buffer[bufferPos++]);
            }
            dst[v] = unpacker.pull();
        }
        step += steps;
        if (step == segmentSteps) {
            unpacker.clear();
        }
        return steps;
    }

    /** Fetches more of the {@code bytesNeeded} code bytes of the segment; false at the end of the data. */
    private boolean fill(long bytesNeeded) throws IOException {
        int want = (int) Math.min(buffer.length, bytesNeeded - segmentCodeBytes);
        int n = in.readNBytes(buffer, 0, want);
        if (n == 0) {
            return false;
        }
        bufferPos = 0;
        bufferEnd = n;
        position += n;
        segmentCodeBytes += n;
        return true;
    }

    private int truncatedAfter(int completeSteps) throws TruncatedEcdcException {
        step += completeSteps;
        truncation = new TruncatedEcdcException("file ends inside the codes of segment " + segment
                + " after " + step + " of " + segmentSteps + " steps", position);
        if (completeSteps == 0) {
            throw truncation;
        }
        return completeSteps;
    }

    private void throwIfTruncated() throws TruncatedEcdcException {
        if (truncation != null) {
            throw truncation;
        }
    }
}
