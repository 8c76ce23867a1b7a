package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.codes.CodeSource;
import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a file's codes and per-segment scales without decoding audio (no model is loaded): the
 * tokens of EnCodec, for language models, tokenizers and corpus tools.
 *
 * <pre>{@code
 * try (EcdcCodes codes = EcdcCodes.open(Path.of("song.ecdc"))) {
 *     for (EcdcCodes.Block b = codes.read(1000); b != null; b = codes.read(1000)) {
 *         int first = b.code(0, 0); // step 0 of the block, codebook 0; b.scale() for 48 kHz
 *     }
 * }
 * }</pre>
 *
 * <p>The 48 kHz model has one segment per second of audio, each with its own scale; the 24 kHz
 * model has one segment for the whole file and no scale. {@link #seekSegment(int)} jumps to a
 * segment by its byte offset, reading nothing before it. A file cut short returns the complete
 * steps before the cut, then throws {@link io.github.encodecstream.format.TruncatedEcdcException}.
 * Entropy-coded ({@code lm}) files written by Encodec-Stream are decoded with their LM (loaded from
 * the models given, else {@link Models#shared()}, on the first {@link #read(int)}; their independent
 * segments or chunks are LM-decoded in batches of up to {@link io.github.encodecstream.entropy.LmBatchDecoder#BEST_WIDTH}
 * on the reading thread, ahead of what is read); other
 * entropy-coded files are refused at opening with {@link UnsupportedEcdcFeatureException}. In an
 * {@code encodec-stream-lm/2} file a damaged segment or chunk (its checksum does not match) makes
 * {@link #read(int)} throw {@link io.github.encodecstream.format.DamagedRecordException}, naming it
 * and its span; the next {@code read} goes on after it (the blocks' {@link Block#firstStep()} say
 * where).
 */
public final class EcdcCodes implements Closeable {
    private final ByteSource source;
    private final EcdcHeader header;
    private final SegmentLayout layout;
    private int segment;
    private InputStream stream;
    private CodeSource reader;
    private final Models models;
    private LmWeights lm;
    private float scale = Float.NaN;
    /**
     * An entropy-coded file's independent records (48 kHz segments, 24 kHz chunks), LM-decoded ahead in
     * batches on the reading thread ({@link LmAhead}: each weight read once per step for several records).
     */
    private LmAhead ahead;
    /** A 48 kHz entropy-coded segment's codes from {@link #ahead}, and the next step of them to return. */
    private int[] decoded;
    private int decodedAt;
    /** A damaged 24 kHz chunk met while a block was filled: thrown by the next {@link #read(int)}. */
    private IOException pending;

    /**
     * One block of consecutive code steps of a segment.
     *
     * @param segment the segment's index
     * @param firstStep the block's first step within the segment
     * @param scale the segment's scale (48 kHz model), {@code NaN} without one
     * @param codebooks codes per step
     * @param steps steps in this block
     * @param codes step-major: {@code codes[s * codebooks + k]} is codebook {@code k} at step {@code s},
     *     each 0 to 1023
     */
    public record Block(int segment, int firstStep, float scale, int codebooks, int steps, int[] codes) {
        /** Codebook {@code codebook} at step {@code step} of this block. */
        public int code(int step, int codebook) {
            return codes[step * codebooks + codebook];
        }
    }

    private EcdcCodes(ByteSource source, EcdcHeader header, Models models) throws UnsupportedEcdcFeatureException {
        this.source = source;
        this.models = models;
        this.header = header;
        this.layout = SegmentLayout.of(header);
        header.requireCodesDecodable();
    }

    /** Opens a file; reads its header only. */
    public static EcdcCodes open(Path file) throws IOException {
        return open(new FileByteSource(file));
    }

    /** Opens a byte source; reads its header only. Closes the source on failure. */
    public static EcdcCodes open(ByteSource source) throws IOException {
        return open(source, null);
    }

    /**
     * Opens a byte source whose LM, for an entropy-coded file, comes from {@code models} (null:
     * {@link Models#shared()}); reads its header only. Closes the source on failure.
     */
    public static EcdcCodes open(ByteSource source, Models models) throws IOException {
        try (InputStream in = source.openAt(0)) {
            return new EcdcCodes(source, EcdcHeader.read(in), models);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The file's header and metadata. */
    public EcdcHeader header() {
        return header;
    }

    /** Segments in the file (0 for an empty file). */
    public int segmentCount() {
        return layout.segmentCount();
    }

    /** Code steps in a segment (75 a second at 24 kHz, 150 at 48 kHz). */
    public int steps(int segment) {
        return layout.segment(segment).steps();
    }

    /** Moves to the start of a segment (by its byte offset; the source must seek there). */
    public void seekSegment(int index) throws IOException {
        if (index < 0 || index > layout.segmentCount()) {
            throw new IllegalArgumentException("segment " + index + " outside 0.." + layout.segmentCount());
        }
        closeStream();
        segment = index;
    }

    /** Whether the LM-coded segments are read through {@link #ahead}: 48 kHz files with their lengths. */
    private boolean segmentsAhead() {
        return layout.isEntropyCoded() && layout.hasByteOffsets() && !layout.isChunked();
    }

    private LmWeights lm() throws IOException {
        if (lm == null) {
            lm = EcdcDecoder.checkedLm(models != null ? models : Models.shared(), layout.family(), layout.codebooks(),
                    header.metadata().lmChecksum());
        }
        return lm;
    }

    /** {@link #read(int)} of a 48 kHz entropy-coded file with its segments' lengths, through {@link #ahead}. */
    private Block readAhead(int maxSteps) throws IOException {
        int k = layout.codebooks();
        while (segment < layout.segmentCount()) {
            if (decoded == null) {
                if (ahead == null) {
                    long offset = layout.byteOffset(segment);
                    stream = source.openAt(offset);
                    LmCodeReader raw = new LmCodeReader(layout, stream, offset, lm());
                    ahead = new LmAhead(lm, layout, null, raw::readRaw);
                    ahead.start(segment);
                }
                LmAhead.Codes c = ahead.next();
                if (c.damage() != null) {
                    segment++; // the next read goes on after it
                    throw c.damage();
                }
                if (c.end() != null) { // a cut, a broken file: every later read throws it again (LmAhead keeps it)
                    throw c.end();
                }
                decoded = c.codes();
                decodedAt = 0;
                scale = c.scale();
            }
            int steps = decoded.length / k;
            if (decodedAt < steps) {
                int n = Math.min(maxSteps, steps - decodedAt);
                Block b = new Block(segment, decodedAt, scale, k, n,
                        Arrays.copyOfRange(decoded, decodedAt * k, (decodedAt + n) * k));
                decodedAt += n;
                return b;
            }
            decoded = null;
            segment++;
        }
        return null;
    }

    /**
     * The next up to {@code maxSteps} steps of the current segment, moving on to the next
     * segment when it is done; {@code null} after the last one.
     */
    public Block read(int maxSteps) throws IOException {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1");
        }
        if (segmentsAhead()) {
            return readAhead(maxSteps);
        }
        while (segment < layout.segmentCount()) {
            if (reader == null) {
                long offset = segment == 0 ? layout.dataOffset() : layout.byteOffset(segment);
                stream = source.openAt(offset);
                if (layout.isChunked()) { // 24 kHz, version 2: the chunks LM-decoded ahead in batches
                    LmCodeReader raw = new LmCodeReader(layout, stream, offset, lm());
                    ahead = new LmAhead(lm, layout, null, raw::readRaw);
                    reader = new ChunkCodes(layout, ahead, raw::position);
                } else if (layout.isEntropyCoded()) {
                    reader = new LmCodeReader(layout, stream, offset, lm());
                } else {
                    reader = new CodeReader(layout, stream, offset);
                }
                float read = reader.beginSegment(segment);
                scale = layout.family().hasScale() ? read : Float.NaN;
            }
            if (pending != null) { // a damaged chunk met after the steps returned last
                IOException e = pending;
                pending = null;
                throw e;
            }
            int k = layout.codebooks();
            int[] codes = new int[Math.min(maxSteps, reader.stepsRemaining()) * k];
            int step = layout.segment(segment).steps() - reader.stepsRemaining(); // past a damaged chunk too
            int n = codes.length == 0 ? 0 : reader.readSteps(codes, codes.length / k);
            while (n > 0 && n * k < codes.length) { // a 24 kHz chunk ended: the block goes on with the next one
                int[] part = new int[codes.length - n * k];
                int more;
                try {
                    more = reader.readSteps(part, part.length / k);
                } catch (EcdcFormatException e) {
                    // a damaged chunk, or a cut: thrown by the next read, after the steps before it (after
                    // a cut, the reads after that one throw it again: the reader keeps its end)
                    pending = e;
                    break;
                }
                if (more == 0) {
                    break;
                }
                System.arraycopy(part, 0, codes, n * k, more * k);
                n += more;
            }
            if (n > 0) {
                return new Block(segment, step, scale, k, n, n * k == codes.length ? codes : Arrays.copyOf(codes, n * k));
            }
            closeStream();
            segment++;
        }
        return null;
    }

    private void closeStream() throws IOException {
        reader = null;
        if (ahead != null) {
            ahead.drop();
            ahead = null;
        }
        decoded = null;
        pending = null;
        if (stream != null) {
            InputStream s = stream;
            stream = null;
            s.close();
        }
    }

    /** Closes the source. */
    @Override
    public void close() throws IOException {
        try {
            closeStream();
        } finally {
            source.close();
        }
    }
}
