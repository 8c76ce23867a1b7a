package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.codes.CodeSource;
import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.engine.DecoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one model's codes become audio behind {@link EcdcDecoder}: {@link SegmentPath} (the 48 kHz
 * model, independent segments joined by overlap-add) or {@link CausalPath} (the 24 kHz model, one
 * causal stream with explicit state). Holds the code reading they share: the reader at a byte
 * offset, the embedding of codes, the record of a cut file, and the damaged records met and
 * concealed ({@link Damage}).
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
    /** What a damaged record does. */
    final Damage damage;
    private final long headerEnd;
    DecoderModel model;
    /** The threads that run the network at once; null: decoding on the reading thread alone. */
    Workers workers;
    CodeSource reader;
    /** The LM weights, for entropy-coded files. */
    LmWeights lm;
    private InputStream readerStream;
    private EcdcFormatException failure;
    /** The spans concealed, by record, in the order met: each once however often its audio is reached. */
    private final Map<Integer, ConcealedSpan> concealed = new LinkedHashMap<>();
    /** A chunked file's LM ahead of the network, made by the first {@link #openReader}, reading from {@link #chunkReader}. */
    private LmAhead chunkAhead;
    /** The chunked file's reader opened last. */
    private LmCodeReader chunkReader;

    DecodePath(ByteSource source, SegmentLayout layout, long headerEnd, Damage damage) {
        this.source = source;
        this.damage = damage;
        this.layout = layout;
        this.family = layout.family();
        this.length = layout.audioLength();
        this.headerEnd = headerEnd;
    }

    /** The path of a file's model. */
    static DecodePath of(ByteSource source, SegmentLayout layout, long headerEnd, DecoderOptions options) {
        return layout.family().hasScale() ? new SegmentPath(source, layout, headerEnd, options.damage())
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
        if (layout.isChunked()) { // 24 kHz, version 2: chunks LM-decoded ahead of the network
            LmCodeReader chunks = new LmCodeReader(layout, readerStream, offset, lm);
            chunkReader = chunks;
            if (chunkAhead == null) { // kept across reopenings (seeks): its batch decoders' LM state is reused
                chunkAhead = new LmAhead(lm, layout, workers, r -> chunkReader.readRaw(r));
            }
            reader = new ChunkCodes(layout, chunkAhead, chunks::position);
        } else {
            reader = layout.isEntropyCoded() ? new LmCodeReader(layout, readerStream, offset, lm)
                    : new CodeReader(layout, readerStream, offset);
        }
    }

    /**
     * The byte offset to open the reader at for step {@code step} of the one 24 kHz segment: the
     * step's own for plain files; for chunked entropy-coded ones (version 2) the start of the chunk
     * holding it (the LM decodes from there: at most one chunk); for version 1 the stream's start.
     */
    final long stepOffset(int step) {
        if (step == 0) {
            return layout.dataOffset();
        }
        if (layout.isChunked()) {
            return layout.chunkByteOffset(layout.chunkOf(step));
        }
        return layout.isEntropyCoded() ? layout.dataOffset() : CodeReader.stepOffset(layout, 0, step);
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
     * Reads up to {@code want} steps, across record boundaries (a version 1 24 kHz stream: no
     * checksums, so no damaged records). A cut returns the complete steps before it and records the
     * error; a cut before any step throws it at once.
     *
     * @return the steps read; fewer than {@code want} only at the end of the data or a cut
     */
    final int readSteps(int[] codes, int want) throws IOException {
        Run run = readRun(codes, 0, want);
        EcdcFormatException stop = run.stop();
        if (stop != null) {
            failure = stop;
            if (run.steps() == 0) {
                throw stop;
            }
        }
        return run.steps();
    }

    /** Steps read by {@link #readRun}, and the error that stopped them early (null: none). */
    record Run(int steps, EcdcFormatException stop) {}

    /**
     * Reads up to {@code want} steps into {@code codes} from step slot {@code offset} on, across
     * record boundaries, until the data ends or an error stops it; records nothing.
     */
    final Run readRun(int[] codes, int offset, int want) throws IOException {
        int k = layout.codebooks();
        int got = 0;
        int[] part = offset == 0 ? codes : new int[want * k];
        try {
            while (got < want) {
                int[] into = got == 0 ? part : new int[(want - got) * k];
                int n = reader.readSteps(into, want - got);
                if (n == 0) {
                    break;
                }
                if (into != codes) {
                    System.arraycopy(into, 0, codes, (offset + got) * k, n * k);
                }
                got += n;
            }
        } catch (EcdcFormatException e) {
            return new Run(got, e);
        }
        return new Run(got, null);
    }

    /**
     * A damaged record met where audio is due, with {@link Damage#CONCEAL} (with {@link Damage#FAIL}
     * the paths make it a cut where they read it): its span is listed (once per record) and the
     * caller outputs silence for it.
     */
    final void conceal(DamagedRecordException e) {
        ConcealedSpan span = ConcealedSpan.of(e, family.isSegmented() ? "segment" : "chunk");
        concealed.putIfAbsent(span.record(), span);
    }

    /** The spans concealed so far, in the order met. */
    final List<ConcealedSpan> concealed() {
        return List.copyOf(concealed.values());
    }

    /** How many spans were concealed so far (no copy). */
    final int concealedCount() {
        return concealed.size();
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
        if (reader instanceof ChunkCodes chunks) {
            chunks.drop();
        }
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
