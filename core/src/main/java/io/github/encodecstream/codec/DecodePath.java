package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.codes.CodeSource;
import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.engine.DecoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * How one model's codes become audio behind {@link EcdcDecoder}: {@link SegmentPath} (the 48 kHz
 * model, independent segments joined by overlap-add) or {@link CausalPath} (the 24 kHz model, one
 * causal stream with explicit state). Holds the code reading they share: the reader at a byte
 * offset, the embedding of codes, and the record of a cut file.
 */
abstract class DecodePath implements Closeable {
    /**
     * Decoded audio: {@code audio} is channel-major with {@code stride} samples per channel, the
     * first one file sample {@code start}; samples at or after {@code end} are not delivered.
     */
    record Block(float[] audio, int stride, long start, long end) {}

    final ByteSource source;
    final SegmentLayout layout;
    final ModelFamily family;
    final long length;
    private final long headerEnd;
    DecoderModel model;
    /** The threads that run the network at once; null: decoding on the reading thread alone. */
    Workers workers;
    CodeSource reader;
    /** The LM weights, for entropy-coded files. */
    LmWeights lm;
    private InputStream readerStream;
    private EcdcFormatException failure;

    DecodePath(ByteSource source, SegmentLayout layout, long headerEnd) {
        this.source = source;
        this.layout = layout;
        this.family = layout.family();
        this.length = layout.audioLength();
        this.headerEnd = headerEnd;
    }

    /** The path of a file's model. */
    static DecodePath of(ByteSource source, SegmentLayout layout, long headerEnd, DecoderOptions options) {
        return layout.family().hasScale() ? new SegmentPath(source, layout, headerEnd)
                : new CausalPath(source, layout, headerEnd, options);
    }

    /** Gives the path its network and how many threads may run it, before the first {@link #next()}. */
    final void use(DecoderModel decoder, int threads) {
        model = decoder;
        if (threads > 1 && workers == null) {
            workers = new Workers(threads, workerName());
        }
    }

    /** What the worker threads are called ({@code encodec-NAME-...}). */
    abstract String workerName();

    /** Drops the work in flight (a seek, or closing). */
    abstract void dropInFlight();

    /** The next decoded block, or null after the last one (or at a cut: see {@link #failure()}). */
    abstract Block next() throws IOException;

    /**
     * Prepares decoding from file sample {@code sample}, the decoder being at {@code position}: the
     * next blocks may start before it (the decoder drops what lies before).
     */
    abstract void seek(long sample, long position) throws IOException;

    /** The error where the file was cut, once the blocks before it are out; null if none. */
    final EcdcFormatException failure() {
        return failure;
    }

    /** Forgets a recorded cut (a seek may go back before it). */
    final void clearFailure() {
        failure = null;
    }

    /** Opens the code reader at a byte offset. */
    final void openReader(long offset) throws IOException {
        readerStream = source.openAt(offset);
        reader = layout.isEntropyCoded() ? new LmCodeReader(layout, readerStream, offset, lm)
                : new CodeReader(layout, readerStream, offset);
    }

    /**
     * The byte offset to open the reader at for step {@code step} of the one 24 kHz segment: the
     * step's own for plain files, the stream's start for entropy-coded ones (the LM decodes
     * from there).
     */
    final long stepOffset(int step) {
        return step == 0 || layout.isEntropyCoded() ? layout.dataOffset() : CodeReader.stepOffset(layout, 0, step);
    }

    /** A forward-only source cannot go back to bytes it has already delivered. */
    final void requireReachable(long offset) throws IOException {
        long consumed = reader != null ? reader.position() : headerEnd;
        if (!source.isSeekable() && offset < consumed) {
            throw new IOException("source is not seekable: cannot go back to byte " + offset
                    + " after reading up to byte " + consumed);
        }
    }

    /**
     * Reads up to {@code want} steps. A cut returns the complete steps before it and records the
     * error; a cut before any step throws it at once.
     */
    final int readSteps(int[] codes, int want) throws IOException {
        int got = 0;
        try {
            got = reader.readSteps(codes, want);
            if (got < want) {
                reader.readSteps(new int[codes.length], 1); // throws the cut's exception
            }
        } catch (EcdcFormatException e) {
            failure = e;
            if (got == 0) {
                throw e;
            }
        }
        return got;
    }

    /** Records a cut found while starting a segment. */
    final void recordFailure(EcdcFormatException e) {
        failure = e;
    }

    /** The summed codebook embeddings {@code [dimension, steps]} of step-major codes. */
    final float[] embed(int[] codes, int steps) {
        float[] embedding = new float[model.codebooks().dimension() * steps];
        model.codebooks().decode(codes, layout.codebooks(), steps, embedding, 0, steps);
        return embedding;
    }

    /** Closes the code reader; the next block opens one where it needs. */
    final void closeReader() throws IOException {
        reader = null;
        if (readerStream != null) {
            readerStream.close();
            readerStream = null;
        }
    }

    /** Stops the workers and closes the code reader. */
    @Override
    public void close() throws IOException {
        dropInFlight();
        if (workers != null) {
            workers.close();
        }
        closeReader();
    }
}
