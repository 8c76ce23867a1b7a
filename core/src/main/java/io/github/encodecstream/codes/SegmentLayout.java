package io.github.encodecstream.codes;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
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
 * segment's coded length ({@code lms} in {@code encodec-stream-lm/1}, the {@link LmIndex} in
 * {@code encodec-stream-lm/2}), so its records (scale and coded bytes) have byte offsets too, from
 * prefix sums computed once. A 24 kHz {@code encodec-stream-lm/2} file codes its one segment in
 * <em>chunks</em> of {@link #chunkSteps()} steps, each its own LM stream with its length and CRC in
 * the index ({@link #chunkCount()}, {@link #chunkOf(long)}, {@link #chunkByteOffset(int)}...); a
 * 24 kHz {@code encodec-stream-lm/1} file is one stream starting at {@link #dataOffset()}, whose
 * end is known only by decoding it; the reference's own lm files have no byte layout beyond their
 * start.
 */
public final class SegmentLayout {
    /** Bytes of a segment's scale, when the model has one. */
    public static final int SCALE_BYTES = 4;
    /**
     * The largest plausible scale of a 48 kHz segment: {@code 1e-8 +} the RMS of its mono mix,
     * about 1 for full-scale audio; a larger (or non-finite, or non-positive) one is damage.
     */
    public static final float MAX_PLAUSIBLE_SCALE = 16f;

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
    /** The index of an {@code encodec-stream-lm/2} file, else null. */
    private final LmIndex index;
    /** Steps per chunk of a chunked 24 kHz file, else 0. */
    private final int chunkSteps;
    /** Chunk offsets of a chunked 24 kHz file, {@code chunkCount() + 1} of them, else null. */
    private final long[] chunkOffsets;

    private SegmentLayout(ModelFamily family, long audioLength, int codebooks, long dataOffset, boolean entropyCoded,
            int[] lmSegmentBytes) {
        this(family, audioLength, codebooks, dataOffset, entropyCoded, lmSegmentBytes, null, 0);
    }

    private SegmentLayout(ModelFamily family, long audioLength, int codebooks, long dataOffset, boolean entropyCoded,
            int[] lmSegmentBytes, LmIndex index, int chunkSteps) {
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
        this.index = index;
        this.chunkSteps = index != null && !family.isSegmented() ? chunkSteps : 0;
        if (index != null && family.isSegmented()) {
            lmSegmentBytes = index.lengths();
        }
        if (this.chunkSteps > 0) {
            long chunks = count == 0 ? 0 : (segment(0).steps() + (long) chunkSteps - 1) / chunkSteps;
            if (index.count() != chunks) {
                throw new IllegalArgumentException(index.count() + " chunk lengths for " + chunks + " chunks");
            }
            chunkOffsets = new long[index.count() + 1];
            chunkOffsets[0] = dataOffset;
            for (int c = 0; c < index.count(); c++) {
                chunkOffsets[c + 1] = chunkOffsets[c] + index.length(c);
            }
        } else {
            chunkOffsets = null;
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

    /** Whether {@code scale} is a plausible 48 kHz segment scale: in (0, {@value #MAX_PLAUSIBLE_SCALE}]. */
    public static boolean isPlausibleScale(float scale) {
        return scale > 0 && scale <= MAX_PLAUSIBLE_SCALE;
    }

    /** What is wrong with segment {@code s}'s scale, or null when it is plausible. */
    public static String scaleDamage(int s, float scale) {
        return isPlausibleScale(scale) ? null
                : "segment " + s + " has scale " + scale + ", outside (0, " + MAX_PLAUSIBLE_SCALE + "]";
    }

    /** The layout of a file with this header. */
    public static SegmentLayout of(EcdcHeader header) {
        EcdcMetadata m = header.metadata();
        return new SegmentLayout(m.family(), m.audioLength(), m.codebooks(), header.frameDataOffset(), m.lm(),
                m.lmSegmentBytes(), header.lmIndex(), m.lmChunkSteps() == null ? 0 : m.lmChunkSteps());
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
     * coding, for entropy-coded 48 kHz files with stored segment lengths, and for chunked 24 kHz
     * files (whose one segment's record is all its chunks).
     */
    public boolean hasByteOffsets() {
        return !entropyCoded || lmOffsets != null || chunkOffsets != null;
    }

    /**
     * Whether each record (48 kHz segment or 24 kHz chunk) has a stored CRC-32C: the
     * {@code encodec-stream-lm/2} files, with an {@link LmIndex}.
     */
    public boolean hasChecksums() {
        return index != null;
    }

    /** The stored CRC-32C of record {@code r} (48 kHz: scale and coded bytes; 24 kHz: the chunk's bytes). */
    public int recordCrc(int r) {
        requireIndex();
        return index.crc(r);
    }

    /**
     * The records a damaged-record report counts in: the chunks of a chunked file, else the
     * segments.
     */
    public int recordCount() {
        return isChunked() ? chunkCount() : count;
    }

    /** Record {@code r} in messages: {@code chunk r} or {@code segment r}. */
    public String recordName(int r) {
        return (isChunked() ? "chunk " : "segment ") + r;
    }

    /** The file offset of record {@code r}'s bytes (a 48 kHz segment's start with its scale). */
    public long recordByteOffset(int r) {
        return isChunked() ? chunkByteOffset(r) : byteOffset(r);
    }

    /** The size of record {@code r} in bytes (a 48 kHz segment's with its scale). */
    public int recordByteSize(int r) {
        return (int) (isChunked() ? chunkByteSize(r) : byteSize(r));
    }

    /**
     * What is wrong with the bytes of record {@code r} of a file with checksums, read whole
     * ({@link #recordByteSize}): a CRC-32C other than the index's, or a 48 kHz scale out of range;
     * null when nothing is.
     */
    public String recordDamage(int r, byte[] record) {
        int crc = LmIndex.crc32c(record, 0, record.length);
        if (crc != recordCrc(r)) {
            return String.format(java.util.Locale.ROOT, "%s is damaged: its CRC-32C is %08x, the index says %08x",
                    recordName(r), crc, recordCrc(r));
        }
        return isChunked() ? null : scaleDamage(r, java.nio.ByteBuffer.wrap(record, 0, SCALE_BYTES).getFloat());
    }

    /** The first file sample of record {@code r} (a chunk of a chunked file, else a segment). */
    public long recordStartSample(int r) {
        return isChunked() ? chunkStartSample(r) : segment(r).start();
    }

    /** The file sample just after record {@code r}. */
    public long recordEndSample(int r) {
        if (isChunked()) {
            return chunkEndSample(r);
        }
        Segment s = segment(r);
        return s.start() + s.length();
    }

    /** Whether the one 24 kHz segment is coded in independent chunks ({@code encodec-stream-lm/2}). */
    public boolean isChunked() {
        return chunkOffsets != null;
    }

    /** Steps per chunk ({@code lmc}) of a chunked file; 0 otherwise. */
    public int chunkSteps() {
        return chunkSteps;
    }

    /** The chunks of a chunked file: {@code ceil(steps / chunkSteps())}, 0 for an empty file. */
    public int chunkCount() {
        requireChunks();
        return chunkOffsets.length - 1;
    }

    /** The chunk holding step {@code step} of the segment. */
    public int chunkOf(long step) {
        requireChunks();
        if (step < 0 || count == 0 || step >= segment(0).steps()) {
            throw new IndexOutOfBoundsException("step " + step + " outside the segment's steps");
        }
        return (int) (step / chunkSteps);
    }

    /** The first step (within the segment) of chunk {@code c}. */
    public int chunkFirstStep(int c) {
        Objects.checkIndex(c, chunkCount());
        return c * chunkSteps;
    }

    /** The steps of chunk {@code c}: {@link #chunkSteps()}, fewer for the last. */
    public int chunkStepCount(int c) {
        return Math.min(chunkSteps, segment(0).steps() - chunkFirstStep(c));
    }

    /** The first file sample of chunk {@code c}. */
    public long chunkStartSample(int c) {
        return (long) chunkFirstStep(c) * family.hop();
    }

    /** The file sample just after chunk {@code c}: {@code min((c + 1) · chunkSteps · hop, al)}. */
    public long chunkEndSample(int c) {
        return Math.min((long) (chunkFirstStep(c) + chunkStepCount(c)) * family.hop(), audioLength);
    }

    /** The file offset of chunk {@code c}'s bytes; {@code c == chunkCount()} gives the expected file end. */
    public long chunkByteOffset(int c) {
        requireChunks();
        Objects.checkIndex(c, chunkOffsets.length);
        return chunkOffsets[c];
    }

    /** The coded bytes of chunk {@code c}. */
    public int chunkByteSize(int c) {
        requireChunks();
        return index.length(c);
    }

    private void requireChunks() {
        if (chunkOffsets == null) {
            throw new IllegalStateException("not a chunked (encodec-stream-lm/2 24 kHz) file");
        }
    }

    private void requireIndex() {
        if (index == null) {
            throw new IllegalStateException("no LM index (not an encodec-stream-lm/2 file)");
        }
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
        if (chunkOffsets != null) {
            Objects.checkIndex(index, count);
            return chunkOffsets[chunkOffsets.length - 1] - dataOffset;
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
        if (chunkOffsets != null) {
            return index == 0 ? dataOffset : chunkOffsets[chunkOffsets.length - 1];
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
