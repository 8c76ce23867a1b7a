package io.github.encodecstream.codec;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.LengthBound;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.engine.DecoderModel;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.StreamByteSource;
import io.github.encodecstream.store.ModelStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;

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
 * every later {@link #read()} until a {@link #seek(long)}. A damaged segment or chunk (a
 * {@link io.github.encodecstream.format.DamagedRecordException}: its checksum, length or scale does
 * not hold) is, by default ({@link Damage#CONCEAL}), output as silence with short fades and
 * listed in {@link #concealedSpans()}, and decoding goes on; with {@link Damage#FAIL}
 * ({@link DecoderOptions#withDamage}) it ends the audio as a cut does. Where the source's size is known, a
 * length that its data cannot hold is not believed: {@link #length()} ends within the step or
 * segment where the data ends, after the audio delivered, so a reader that stops at the length
 * still meets the cut's exception.
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
    private final DecodePath path;
    private boolean modelLoaded;
    private long position;

    private EcdcDecoder(ByteSource source, EcdcHeader header, DecoderOptions options) throws IOException {
        this.source = source;
        this.header = header;
        this.family = header.family();
        this.layout = SegmentLayout.of(header);
        this.options = options;
        this.length = LengthBound.of(layout, source.size().orElse(-1));
        this.channels = family.channels();
        this.path = DecodePath.of(source, layout, header.frameDataOffset(), options);
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

    /**
     * Samples per channel in the file, at most: the header's {@code al}, bounded by what the
     * source's data can hold where its size is known ({@link LengthBound}; a forward-only stream
     * gives {@code al} as declared). A file cut short delivers less, then {@link #read()} throws.
     */
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
            if (path.failure() != null) {
                throw path.failure();
            }
            loadModel();
            DecodePath.Block block = path.next();
            if (block == null) {
                break;
            }
            float[] chunk = emit(block);
            if (chunk.length > 0) {
                return chunk;
            }
        }
        if (path.failure() != null) {
            throw path.failure();
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
        path.clearFailure();
        if (header.metadata().codesDecodable()) { // read() says it cannot decode the others
            path.seek(sample, position);
        }
        position = sample;
    }

    /**
     * Loads the file's network now (the first {@link #read()} does it otherwise), so that a
     * missing model or an invalid setting shows before any audio is handled.
     *
     * @throws UnsupportedEcdcFeatureException for an entropy-coded file not written by
     *     Encodec-Stream's deterministic LM
     * @throws IOException when the model (or the file's LM) cannot be found or loaded, or the LM
     *     found is not the one the file was written with
     */
    public void loadModel() throws IOException {
        header.requireCodesDecodable();
        if (!modelLoaded) {
            Models models = models();
            int threads = options.threads() > 0 ? options.threads() : models.threads();
            if (layout.isEntropyCoded() && threads > 1) {
                // the LM (read, hashed unless recorded) loads on a second thread while the network does
                Workers lmLoad = new Workers(1, "lm-load");
                Future<io.github.encodecstream.entropy.LmWeights> lm = lmLoad.submit(() -> lmOf(models));
                try {
                    DecoderModel decoder = models.decoder(family);
                    path.lm = Workers.await(lm);
                    path.use(decoder, threads);
                } finally {
                    if (!lm.isDone()) { // the network's load failed: the LM's ends before this returns (unless
                        Workers.awaitEnd(lm); // interrupted: then close() interrupts it and it ends soon after)
                    }
                    lmLoad.close();
                }
            } else {
                if (layout.isEntropyCoded()) {
                    path.lm = lmOf(models);
                }
                path.use(models.decoder(family), threads);
            }
            modelLoaded = true;
        }
    }

    private Models models() throws IOException {
        try {
            return options.modelsOrShared();
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid encodec-stream settings: " + e.getMessage(), e);
        }
    }

    /** The file's LM, checked against its {@code lmh}. */
    private io.github.encodecstream.entropy.LmWeights lmOf(Models models) throws IOException {
        return checkedLm(models, family, header.metadata().codebooks(), header.metadata().lmChecksum());
    }

    /**
     * A family's LM for {@code codebooks} codebooks, whose checkpoint's SHA-256 must start with {@code checksum}.
     *
     * @throws IOException naming the checkpoint needed when it differs
     */
    static io.github.encodecstream.entropy.LmWeights checkedLm(Models models, ModelFamily family, int codebooks,
            String checksum) throws IOException {
        Models.Lm lm = models.lm(family, codebooks);
        if (!lm.checksum().equals(checksum)) {
            String official = Models.lmName(family) + "-" + checksum + ".th";
            throw new IOException("this file was entropy-coded with the LM checkpoint whose SHA-256 starts with "
                    + checksum + " (" + (ModelStore.officialModels().stream().anyMatch(f -> f.fileName().equals(official))
                            ? official : "an " + Models.lmName(family) + "*.th file with that checksum")
                    + "); the one found, " + lm.fileName() + ", has " + lm.checksum());
        }
        return lm.weights();
    }

    /**
     * Interleaves the part of a block that lies at or after {@link #position} and before the
     * block's end and the file's length, and advances the position past it.
     */
    private float[] emit(DecodePath.Block block) {
        float[] audio = block.audio();
        int stride = block.stride();
        long chunkStart = block.start();
        long from = Math.max(position, chunkStart);
        long to = Math.min(block.end(), length);
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

    /**
     * The spans concealed so far ({@link Damage#CONCEAL}), in the order their audio was reached,
     * each damaged record once (also when a seek passes it again).
     */
    public List<ConcealedSpan> concealedSpans() {
        return path.concealed();
    }

    /** How many spans were concealed so far: {@code concealedSpans().size()}. */
    public int concealedCount() {
        return path.concealedCount();
    }

    /** The model's path (for tests). */
    DecodePath path() {
        return path;
    }

    /**
     * Closes the source, from any thread, so that a read of it blocked in another thread (in
     * {@link #read()} or {@link #seek}) ends with an {@link IOException} at once where the source
     * allows it (an http source always: {@code HttpByteSource.close()}; a file; a stream as its
     * {@code close()} does). The decoder is then only good for {@link #close()}.
     */
    public void abort() throws IOException {
        source.close();
    }

    @Override
    public void close() throws IOException {
        try {
            path.close();
        } finally {
            source.close();
        }
    }
}
