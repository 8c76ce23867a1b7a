package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeSource;
import io.github.encodecstream.codes.SegmentLayout;
import java.io.IOException;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The codes of a chunked 24 kHz entropy-coded file ({@code encodec-stream-lm/2}) as the steps of
 * its one segment, LM-decoded chunk by chunk ahead of the network ({@link LmAhead}). Starting at a
 * step decodes only the chunk holding it (and drops its steps before), so a seek costs at most
 * one chunk of LM. A damaged chunk is thrown (a
 * {@link io.github.encodecstream.format.DamagedRecordException}) where its steps would come, and
 * the next call goes on with the next chunk's first step.
 */
final class ChunkCodes implements CodeSource {
    private final SegmentLayout layout;
    private final LmAhead ahead;
    private final LongSupplier position;
    private final int codebooks;
    private final int totalSteps;
    private int[] codes;
    private int at;
    private int skip;
    private int step;

    /** Codes of {@code layout}'s chunks from {@code ahead}; {@code position}: the file offset read up to. */
    ChunkCodes(SegmentLayout layout, LmAhead ahead, LongSupplier position) {
        this.layout = layout;
        this.ahead = ahead;
        this.position = position;
        this.codebooks = layout.codebooks();
        this.totalSteps = layout.segmentCount() == 0 ? 0 : layout.segment(0).steps();
    }

    /** Cancels the LM work in flight (the reader is closed: a seek, or the end). */
    void drop() {
        ahead.drop();
    }

    @Override
    public int codebooks() {
        return codebooks;
    }

    @Override
    public long position() {
        return position.getAsLong();
    }

    @Override
    public int stepsRemaining() {
        return totalSteps - step;
    }

    @Override
    public float beginSegment(int index) {
        return beginSegment(index, 0);
    }

    /** Starts at step {@code firstStep}: the LM decodes its chunk from the chunk's start. */
    @Override
    public float beginSegment(int index, int firstStep) {
        Objects.checkIndex(index, 1);
        Objects.checkIndex(firstStep, totalSteps);
        int chunk = layout.chunkOf(firstStep);
        ahead.start(chunk);
        codes = null;
        skip = firstStep - layout.chunkFirstStep(chunk);
        step = firstStep;
        return 1f;
    }

    @Override
    public int readSteps(int[] dst, int maxSteps) throws IOException {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps " + maxSteps);
        }
        if (codes == null || at == codes.length / codebooks) {
            if (step >= totalSteps || maxSteps == 0) {
                return 0;
            }
            LmAhead.Codes next = ahead.next();
            if (next == null) {
                return 0;
            }
            if (next.end() != null) {
                throw next.end();
            }
            if (next.damage() != null) {
                int after = next.record() + 1;
                step = after < layout.chunkCount() ? layout.chunkFirstStep(after) : totalSteps;
                codes = null;
                skip = 0;
                throw next.damage();
            }
            codes = next.codes();
            at = skip;
            skip = 0;
        }
        int n = Math.min(maxSteps, codes.length / codebooks - at);
        Objects.checkFromIndexSize(0, n * codebooks, dst.length);
        System.arraycopy(codes, at * codebooks, dst, 0, n * codebooks);
        at += n;
        step += n;
        return n;
    }
}
