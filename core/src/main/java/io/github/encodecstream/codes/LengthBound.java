package io.github.encodecstream.codes;

import io.github.encodecstream.entropy.ArithmeticDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.ModelFamily;

/**
 * The most audio a file of a known size can hold, so that a header's {@code al} is not believed
 * beyond the file's data (an 80-byte file may declare a week of audio, and hosts size buffers from
 * the length they are told).
 *
 * <p>The length is {@code al} when the data can hold it. Otherwise it ends with the step (24 kHz)
 * or the segment (48 kHz) inside which the data ends: the decoder delivers the audio before the
 * cut and then throws {@link io.github.encodecstream.format.TruncatedEcdcException}, so a reader
 * that reads up to the length still sees the cut (the audio delivered is always shorter than this
 * length when the file is cut). Where the data lies:
 * <ul>
 * <li>files without entropy coding, and entropy-coded 48 kHz files with their segment lengths
 *     ({@code lms}): exactly, from {@link SegmentLayout}'s byte offsets (10-bit codes: a 24 kHz
 *     file holds {@code floor(8 · data bytes / (10 · nc))} complete steps);</li>
 * <li>entropy-coded 48 kHz files without {@code lms} (the reference's): each segment's record has
 *     at least its 4-byte scale and the {@value ArithmeticDecoder#FIRST_SYMBOL_BYTES} bytes the
 *     decoder reads before the first symbol;</li>
 * <li>chunked entropy-coded 24 kHz files ({@code encodec-stream-lm/2}): exactly, from the index:
 *     a chunk is decoded only when all its bytes are there, so the audio ends at the first chunk
 *     that does not end within the file (the length is one step more, as above);</li>
 * <li>entropy-coded 24 kHz files of one coded stream ({@code encodec-stream-lm/1}):
 *     {@link ArithmeticDecoder#maxSymbols} codes, a sound but weak bound (about 45 000 codes a
 *     byte).</li>
 * </ul>
 * A size that is not known (a forward-only stream) leaves {@code al} as declared.
 */
public final class LengthBound {
    /** The fewest bytes of a 48 kHz entropy-coded segment's record: its scale and a coded symbol. */
    private static final int MIN_LM_RECORD = SegmentLayout.SCALE_BYTES + ArithmeticDecoder.FIRST_SYMBOL_BYTES;

    private LengthBound() {}

    /**
     * Samples per channel that a file with this layout and {@code fileSize} bytes can deliver at
     * most: {@code al}, or less where the data cannot hold it (see the class comment).
     *
     * @param fileSize the file's size in bytes; negative when unknown, which gives {@code al}
     */
    public static long of(SegmentLayout layout, long fileSize) {
        if (fileSize < 0 || layout.segmentCount() == 0) {
            return layout.audioLength();
        }
        long data = Math.max(0, fileSize - layout.dataOffset());
        if (layout.isChunked()) {
            int cut = firstEndingAfter(layout.chunkCount(), layout::chunkByteOffset, fileSize);
            return cut >= layout.chunkCount() ? layout.audioLength()
                    : Math.min(layout.audioLength(), (layout.chunkFirstStep(cut) + 1L) * ModelFamily.HOP);
        }
        if (!layout.family().isSegmented()) {
            long steps = layout.segment(0).steps();
            long complete = layout.isEntropyCoded()
                    ? ArithmeticDecoder.maxSymbols(data, LmWeights.CARDINALITY) / layout.codebooks()
                    : data * Byte.SIZE / ((long) layout.codebooks() * BitPacker.BITS);
            return complete >= steps ? layout.audioLength()
                    : Math.min(layout.audioLength(), (complete + 1) * ModelFamily.HOP);
        }
        int cut = layout.hasByteOffsets() ? firstEndingAfter(layout.segmentCount(), layout::byteOffset, fileSize)
                : (int) Math.min(layout.segmentCount(), data / MIN_LM_RECORD);
        if (cut >= layout.segmentCount()) {
            return layout.audioLength();
        }
        SegmentLayout.Segment segment = layout.segment(cut);
        return segment.start() + segment.length();
    }

    /**
     * The first of {@code count} records (48 kHz segments, 24 kHz chunks) whose bytes do not end
     * within {@code fileSize} bytes: its end is the next record's start {@code startOf(i + 1)}, which
     * grows with i; {@code count} when all do. Binary search.
     */
    private static int firstEndingAfter(int count, java.util.function.IntToLongFunction startOf, long fileSize) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (startOf.applyAsLong(mid + 1) > fileSize) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
