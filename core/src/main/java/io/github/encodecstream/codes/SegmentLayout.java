package io.github.encodecstream.codes;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import java.util.Objects;

/**
 * Where each segment of a file lies: in the audio (start, length, code steps) and, for files
 * without entropy coding, in the file (byte offset and size), all computed directly.
 *
 * <p>The 24 kHz model has one segment covering all {@code al} samples (none when {@code al} is
 * 0). The 48 kHz model has segment {@code i} start at {@code i · stride} while that is below
 * {@code al}, with {@code min(segmentLength, al - start)} samples. A segment's record is the
 * scale (4 bytes, 48 kHz only) and {@code ceil(steps · nc · 10 / 8)} bytes of codes.
 *
 * <p>Entropy-coded ({@code lm}) files: a 48 kHz file written by Encodec-Stream stores each
 * segment's coded length ({@code lms}), so its records (scale and coded bytes) have byte offsets
 * too, from prefix sums computed once; a 24 kHz file is one stream starting at
 * {@link #dataOffset()}, whose end is known only by decoding it; the reference's own lm files
 * have no byte layout beyond their start.
 */
public final class SegmentLayout {
    /** Bytes of a segment's scale, when the model has one. */
    public static final int SCALE_BYTES = 4;

    /**
     * One segment of the audio.
     *
     * @param index  its position, from 0
     * @param start  its first sample (per channel, at the model's rate)
     * @param length its samples per channel
     * @param steps  its code steps, ceil(length · frameRate / sampleRate)
     */
    public record Segment(int index, long start, long length, int steps) {}

    private final ModelFamily family;
    private final long audioLength;
    private final int codebooks;
    private final long dataOffset;
    private final boolean entropyCoded;
    private final int count;
    /** For entropy-coded files with stored segment lengths: record offsets, {@code count + 1} of them. */
    private final long[] lmOffsets;

    private SegmentLayout(ModelFamily family, long audioLength, int codebooks, long dataOffset, boolean entropyCoded,
            int[] lmSegmentBytes) {
        if (audioLength < 0 || audioLength > EcdcMetadata.MAX_AUDIO_LENGTH) {
            throw new IllegalArgumentException("audio length " + audioLength + " out of range");
        }
        if (codebooks < 1 || codebooks > family.maxCodebooks()) {
            throw new IllegalArgumentException("codebooks " + codebooks + " out of range");
        }
        this.family = family;
        this.audioLength = audioLength;
        this.codebooks = codebooks;
        this.dataOffset = dataOffset;
        this.entropyCoded = entropyCoded;
        if (audioLength == 0) {
            count = 0;
        } else if (!family.isSegmented()) {
            count = 1;
        } else {
            count = Math.toIntExact(Math.floorDiv(audioLength + family.segmentStride() - 1, family.segmentStride()));
        }
        if (entropyCoded && lmSegmentBytes != null) {
            if (lmSegmentBytes.length != count || !family.isSegmented()) {
                throw new IllegalArgumentException(lmSegmentBytes.length + " segment lengths for " + count + " segments");
            }
            lmOffsets = new long[count + 1];
            lmOffsets[0] = dataOffset;
            for (int i = 0; i < count; i++) {
                lmOffsets[i + 1] = lmOffsets[i] + SCALE_BYTES + lmSegmentBytes[i];
            }
        } else {
            lmOffsets = null;
        }
    }

    /** The layout of a file with this header. */
    public static SegmentLayout of(EcdcHeader header) {
        EcdcMetadata m = header.metadata();
        return new SegmentLayout(m.family(), m.audioLength(), m.codebooks(), header.frameDataOffset(), m.lm(),
                m.lmSegmentBytes());
    }

    /**
     * The layout of {@code audioLength} samples coded with {@code codebooks} codebooks, segment
     * data starting at byte {@code dataOffset}.
     */
    public static SegmentLayout of(ModelFamily family, long audioLength, int codebooks, long dataOffset,
            boolean entropyCoded) {
        return new SegmentLayout(family, audioLength, codebooks, dataOffset, entropyCoded, null);
    }

    /** The model. */
    public ModelFamily family() {
        return family;
    }

    /** Samples per channel of the whole file ({@code al}). */
    public long audioLength() {
        return audioLength;
    }

    /** Codebooks per step ({@code nc}). */
    public int codebooks() {
        return codebooks;
    }

    /** Whether the codes are entropy coded. */
    public boolean isEntropyCoded() {
        return entropyCoded;
    }

    /**
     * Whether {@link #byteOffset(int)} and {@link #byteSize(int)} are known: always without entropy
     * coding, and for entropy-coded 48 kHz files with stored segment lengths.
     */
    public boolean hasByteOffsets() {
        return !entropyCoded || lmOffsets != null;
    }

    /** The byte offset of segment 0: the header's length. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The number of segments. */
    public int segmentCount() {
        return count;
    }

    /** Segment {@code index}. */
    public Segment segment(int index) {
        long start = start(index);
        long length = family.isSegmented() ? Math.min(family.segmentLength(), audioLength - start) : audioLength;
        return new Segment(index, start, length, Math.toIntExact(family.stepsFor(length)));
    }

    private long start(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + count);
        }
        return (long) index * family.segmentStride();
    }

    /**
     * The last segment starting at or before {@code sample}. A sample in the overlap of two
     * segments is also covered by the one before.
     */
    public int segmentContaining(long sample) {
        if (sample < 0 || sample >= audioLength) {
            throw new IndexOutOfBoundsException("sample " + sample + " outside 0.." + (audioLength - 1));
        }
        return family.isSegmented() ? (int) (sample / family.segmentStride()) : 0;
    }

    /** Bytes of segment {@code index}'s record: scale and codes. */
    public long byteSize(int index) {
        requireFixedBytes();
        if (lmOffsets != null) {
            Objects.checkIndex(index, count);
            return lmOffsets[index + 1] - lmOffsets[index];
        }
        return recordSize(segment(index).steps());
    }

    /**
     * The file offset of segment {@code index}'s record; {@code index == segmentCount()} gives the
     * expected end of the file. Every segment but the last two is full, so this is O(1).
     */
    public long byteOffset(int index) {
        requireFixedBytes();
        if (index < 0 || index > count) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + count);
        }
        if (lmOffsets != null) {
            return lmOffsets[index];
        }
        int full = Math.min(index, Math.max(count - 2, 0));
        long offset = dataOffset + full * (family.isSegmented() ? recordSize(family.stepsFor(family.segmentLength())) : 0);
        for (int i = full; i < index; i++) {
            offset += byteSize(i);
        }
        return offset;
    }

    /** The expected file length: {@code byteOffset(segmentCount())}. */
    public long endOffset() {
        return byteOffset(count);
    }

    private long recordSize(long steps) {
        return (family.hasScale() ? SCALE_BYTES : 0) + BitPacker.packedSize(steps * codebooks);
    }

    private void requireFixedBytes() {
        if (!hasByteOffsets()) {
            throw new IllegalStateException("segments of this entropy-coded (lm) file have no known byte layout");
        }
    }
}
