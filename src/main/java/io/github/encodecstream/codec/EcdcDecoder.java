package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.model.ReflectPadding;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.StreamByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A pull-based streaming decoder of one {@code .ecdc} file: {@link #read()} returns the next
 * chunk of float PCM (channels interleaved, at the model's sample rate) until exactly the file's
 * audio length has been delivered.
 *
 * <p>Opening reads the header only; the model is loaded and codes are read on the first
 * {@link #read()}. 48 kHz segments are decoded once each and joined by the reference's linear
 * overlap-add from a held tail; the 24 kHz model is decoded as a causal stream with explicit state.
 * {@link #seek(long)} jumps to a segment (48 kHz) or decodes a pre-roll before the target
 * (24 kHz; see {@link DecoderOptions}). A file cut short delivers the audio before the cut (for
 * 48 kHz: up to the last complete segment, including its 480-sample overlap tail, which has no
 * successor to be crossfaded with), then throws the format exception that says where, on that and
 * every later {@link #read()} until a {@link #seek(long)}.
 *
 * <p>Not thread-safe: one decoder per stream. The networks it uses are shared.
 */
public final class EcdcDecoder implements Closeable {
    private final ByteSource source;
    private final EcdcHeader header;
    private final ModelFamily family;
    private final SegmentLayout layout;
    private final DecoderOptions options;
    private final long length;
    private final int channels;

    private DecoderModel model;
    private CodeReader reader;
    private InputStream readerStream;
    private long position;
    private IOException failure;
    // 24 kHz stream
    private CausalFrameDecoder causal;
    private long nextFrame;
    // 48 kHz segments
    private int nextSegment;
    private final OverlapAdd overlapAdd;

    private EcdcDecoder(ByteSource source, EcdcHeader header, DecoderOptions options) {
        this.source = source;
        this.header = header;
        this.family = header.family();
        this.layout = SegmentLayout.of(header);
        this.options = options;
        this.length = header.metadata().audioLength();
        this.channels = family.channels();
        this.overlapAdd = family.hasScale() ? new OverlapAdd(family) : null;
    }

    /** Opens a file (seekable) with default options. */
    public static EcdcDecoder open(Path file) throws IOException {
        return open(new FileByteSource(file), DecoderOptions.defaults());
    }

    /** Opens a forward-only stream with default options; it can still seek forward. */
    public static EcdcDecoder open(InputStream in) throws IOException {
        return open(new StreamByteSource(in), DecoderOptions.defaults());
    }

    /** Opens a byte source; reads its header and nothing more. Closes the source on failure. */
    public static EcdcDecoder open(ByteSource source, DecoderOptions options) throws IOException {
        try (InputStream in = source.openAt(0)) {
            EcdcHeader header = EcdcHeader.read(in);
            return new EcdcDecoder(source, header, options);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The file's header and metadata. */
    public EcdcHeader header() {
        return header;
    }

    /** Audio channels. */
    public int channels() {
        return channels;
    }

    /** The model's sample rate (the rate the samples are computed at). */
    public int sampleRate() {
        return family.sampleRate();
    }

    /** Samples per channel in the file. */
    public long length() {
        return length;
    }

    /** The sample (per channel) that the next {@link #read()} starts at. */
    public long position() {
        return position;
    }

    /**
     * Decodes and returns the next chunk, channels interleaved, or {@code null} after the last
     * sample. Chunks have varying lengths.
     */
    public float[] read() throws IOException {
        while (position < length) {
            if (failure != null) {
                throw failure;
            }
            ensureOpen();
            float[] chunk = family.hasScale() ? nextSegment() : nextCausalChunk();
            if (chunk == null) {
                break;
            }
            if (chunk.length > 0) {
                return chunk;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    /**
     * Moves to a sample (per channel), {@code 0 <= sample <= length()}, and clears an earlier
     * read error.
     *
     * @throws IOException when the source is forward-only and the target needs bytes already read
     */
    public void seek(long sample) throws IOException {
        if (sample < 0 || sample > length) {
            throw new IllegalArgumentException("seek to " + sample + " outside 0.." + length);
        }
        failure = null;
        if (layout.isEntropyCoded()) {
            position = sample; // read() says it cannot decode these files
            return;
        }
        if (family.hasScale()) {
            int segment = layout.segmentContaining(Math.min(sample, length - 1));
            if (segment > 0 && sample - layout.segment(segment).start() < family.overlap()) {
                segment--;
            }
            boolean continues = sample >= position && (segment == nextSegment || segment + 1 == nextSegment) && reader != null;
            if (!continues) {
                requireReachable(layout.byteOffset(segment));
                nextSegment = segment;
                overlapAdd.reset();
                closeReader();
            }
        } else {
            long frame = sample / family.hop();
            long from = options.exactSeek() ? 0 : Math.max(0, frame - options.prerollFrames());
            boolean continues = reader != null && sample >= position && nextFrame >= from;
            if (!continues) {
                requireReachable(from == 0 ? layout.byteOffset(0) : CodeReader.stepOffset(layout, 0, (int) from));
                nextFrame = from;
                causal = null;
                closeReader();
            }
        }
        position = sample;
    }

    /** A forward-only source cannot go back to bytes it has already delivered. */
    private void requireReachable(long offset) throws IOException {
        long consumed = reader != null ? reader.position() : header.frameDataOffset();
        if (!source.isSeekable() && offset < consumed) {
            throw new IOException("source is not seekable: cannot go back to byte " + offset
                    + " after reading up to byte " + consumed);
        }
    }

    /**
     * Loads the file's network now (the first {@link #read()} does it otherwise), so that a
     * missing model or an invalid setting shows before any audio is handled.
     *
     * @throws UnsupportedEcdcFeatureException for an entropy-coded file
     * @throws IOException when the model cannot be found or loaded
     */
    public void loadModel() throws IOException {
        refuseEntropyCoded();
        if (model == null) {
            model = models().decoder(family);
        }
    }

    private Models models() throws IOException {
        try {
            return options.modelsOrShared();
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid encodec-stream settings: " + e.getMessage(), e);
        }
    }

    private void refuseEntropyCoded() throws UnsupportedEcdcFeatureException {
        if (layout.isEntropyCoded()) {
            // before the layout's byte offsets (which lm files lack) and before loading a model
            throw new UnsupportedEcdcFeatureException("entropy-coded (lm) files are not supported yet",
                    layout.dataOffset());
        }
    }

    private void ensureOpen() throws IOException {
        loadModel();
        if (reader == null) {
            if (family.hasScale()) {
                long offset = layout.byteOffset(nextSegment);
                readerStream = source.openAt(offset);
                reader = new CodeReader(layout, readerStream, offset);
            } else {
                long offset = nextFrame == 0 ? layout.byteOffset(0) : CodeReader.stepOffset(layout, 0, (int) nextFrame);
                readerStream = source.openAt(offset);
                reader = new CodeReader(layout, readerStream, offset);
                reader.beginSegment(0, (int) nextFrame);
                causal = new CausalFrameDecoder(model);
            }
        }
    }

    private float[] nextCausalChunk() throws IOException {
        long totalFrames = layout.segment(0).steps();
        if (nextFrame >= totalFrames) {
            return null;
        }
        int want = options.chunkFrames();
        if (causal.atStart()) {
            want = Math.max(want, CausalFrameDecoder.MIN_FIRST_FRAMES);
        }
        want = (int) Math.min(want, totalFrames - nextFrame);
        int nc = header.metadata().codebooks();
        int[] codes = new int[want * nc];
        int got = readSteps(codes, want);
        if (got == 0) {
            return null;
        }
        float[] embedding = embed(codes, got);
        float[] audio = causal.decode(embedding, got);
        long start = nextFrame * family.hop();
        nextFrame += got;
        return emit(audio, got * family.hop(), start, start + (long) got * family.hop());
    }

    private float[] nextSegment() throws IOException {
        if (nextSegment >= layout.segmentCount()) {
            return null;
        }
        int index = nextSegment;
        int steps = layout.segment(index).steps();
        int[] codes = new int[steps * header.metadata().codebooks()];
        float scale = 0;
        int got = 0;
        try {
            scale = reader.beginSegment(index);
            got = readSteps(codes, steps);
        } catch (EcdcFormatException e) {
            failure = e;
        }
        long start = layout.segment(index).start();
        if (got < steps) {
            // cut mid-segment: deliver the held tail of the previous segment, then the error
            float[] held = overlapAdd.takeTail();
            int heldLength = overlapAdd.tailLength();
            return held == null ? null : emit(held, heldLength, start, start + heldLength);
        }
        float[] padded = ReflectPadding.pad(embed(codes, steps), model.codebooks().dimension(), steps,
                model.firstPadLeft(), model.firstPadRight());
        float[] audio = model.decodeSegment(padded, steps + model.firstPadLeft() + model.firstPadRight());
        int decoded = steps * family.hop();
        for (int i = 0; i < audio.length; i++) {
            audio[i] *= scale;
        }
        nextSegment++;
        boolean last = nextSegment >= layout.segmentCount();
        overlapAdd.join(audio, decoded, last);
        long end = last ? length : start + family.segmentStride();
        return emit(audio, decoded, start, end);
    }

    /**
     * Reads up to {@code want} steps. A cut returns the complete steps before it and records the
     * error, which every later {@link #read()} throws; a 24 kHz stream with no step left throws at once.
     */
    private int readSteps(int[] codes, int want) throws IOException {
        int got = 0;
        try {
            got = reader.readSteps(codes, want);
            if (got < want) {
                reader.readSteps(new int[codes.length], 1); // throws the cut's exception
            }
        } catch (EcdcFormatException e) {
            failure = e;
            if (got == 0 && !family.hasScale()) {
                throw e;
            }
        }
        return got;
    }

    private float[] embed(int[] codes, int steps) {
        float[] embedding = new float[model.codebooks().dimension() * steps];
        model.codebooks().decode(codes, header.metadata().codebooks(), steps, embedding, 0, steps);
        return embedding;
    }

    /**
     * Interleaves the part of a channel-major chunk ({@code stride} samples per channel, the first
     * at {@code chunkStart}) that lies at or after {@link #position} and before {@code chunkEnd}
     * and the file's length, and advances the position past it.
     */
    private float[] emit(float[] audio, int stride, long chunkStart, long chunkEnd) {
        long from = Math.max(position, chunkStart);
        long to = Math.min(chunkEnd, length);
        if (to <= from) {
            return new float[0];
        }
        int n = (int) (to - from);
        int offset = (int) (from - chunkStart);
        float[] out = new float[n * channels];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                out[i * channels + c] = audio[c * stride + offset + i];
            }
        }
        position = to;
        return out;
    }

    private void closeReader() throws IOException {
        reader = null;
        if (readerStream != null) {
            readerStream.close();
            readerStream = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeReader();
        source.close();
    }
}
