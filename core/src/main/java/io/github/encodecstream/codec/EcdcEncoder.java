package io.github.encodecstream.codec;

import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A push-based streaming encoder writing one {@code .ecdc} file: {@link #write} takes float PCM
 * (channels interleaved, {@link EncoderOptions#channels()} of them, at the model's rate, or at
 * {@link EncoderOptions#inputSampleRate()} taken as the model's rate), {@link #finish()} writes
 * the file.
 *
 * <p>The 48 kHz model encodes each 1 s segment (every 0.99 s) as soon as its samples are in,
 * normalised by its scale ({@link SegmentEncodePath}, on worker threads when there are several);
 * the 24 kHz model encodes a causal stream chunk by chunk with explicit state, equal to encoding
 * the whole input at once ({@link CausalEncodePath}). Memory is bounded by a segment or a chunk,
 * whatever the input's length.
 *
 * <p>The header comes first in the file but its {@code al} is known only at the end, so the
 * compressed segments are <b>buffered in memory</b> until {@link #finish()} (10 bits per code:
 * 0.75 kB/s at 6 kbps, 3 kB/s at 24 kbps, so about 11 MB for an hour at 24 kbps); nothing is
 * written to the output before {@link #finish()}, which needs no seekable output.
 *
 * <p>With {@link EncoderOptions#lm()} the codes are entropy-coded by the deterministic LM
 * ({@code docs/LM.md}): each 48 kHz segment's codes as its own stream (the lengths go in the
 * header's {@code lms}; with workers, each worker codes its segments with its own LM encoder, the
 * bytes being the same whichever thread codes them), the 24 kHz codes as one stream coded at {@link #finish()} (they are
 * held as 16-bit values until then: 17 MB for an hour at 24 kbps).
 *
 * <p>The output stream is the caller's: {@link #finish()} flushes it but does not close it.
 * {@link #close()} without {@link #finish()} abandons the file (nothing is written) and releases
 * the stream's native state at once; so use it in a try-with-resources block. Not thread-safe:
 * one encoder per stream. The networks are shared ({@link Models#encoder}).
 */
public final class EcdcEncoder implements AutoCloseable {
    private final OutputStream out;
    private final EncoderOptions options;
    private final int channels;
    private final EncodePath path;
    /** The LM checkpoint's hash for the header's {@code lmh}; null without entropy coding. */
    private final String lmChecksum;
    private long length;
    private boolean finished;
    /** What a network run threw: an IOException, or an IllegalStateException when the models were closed. */
    private Exception failure;

    private EcdcEncoder(OutputStream out, EncoderOptions options, EncodePath path, Models.Lm lm) {
        this.out = out;
        this.options = options;
        this.channels = options.family().channels();
        this.path = path;
        this.lmChecksum = lm == null ? null : lm.checksum();
    }

    /**
     * An encoder writing to {@code out}; loads the model's encoder and the quantiser for the
     * options' codebooks now (once per process, shared), so that a missing model fails here.
     */
    public static EcdcEncoder create(OutputStream out, EncoderOptions options) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        Models models = options.modelsOrShared();
        EncoderModel model = models.encoder(options.family());
        model.prepare(options.codebooks());
        Models.Lm lm = options.lm() ? models.lm(options.family(), options.codebooks()) : null;
        int threads = options.threads() > 0 ? options.threads() : models.threads();
        return new EcdcEncoder(out, options, EncodePath.of(options, model, threads, lm), lm);
    }

    /** Encodes all of {@code interleaved} and writes the file: {@code create}, {@code write}, {@code finish}. */
    public static EcdcHeader encode(float[] interleaved, EncoderOptions options, OutputStream out) throws IOException {
        try (EcdcEncoder encoder = create(out, options)) {
            encoder.write(interleaved, 0, interleaved.length / options.channels());
            return encoder.finish();
        }
    }

    /** The options. */
    public EncoderOptions options() {
        return options;
    }

    /** Samples per channel taken so far (the file's {@code al} once finished). */
    public long length() {
        return length;
    }

    /**
     * Takes {@code frames} samples per channel from {@code interleaved[offset...]} (channels
     * interleaved) and encodes every segment or chunk they complete.
     *
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}, past
     *     {@link EcdcMetadata#MAX_AUDIO_LENGTH} samples, or when the models were closed (the
     *     encoder then refuses further input)
     * @throws IOException when a network fails; the encoder then refuses further input
     */
    public void write(float[] interleaved, int offset, int frames) throws IOException {
        Objects.checkFromIndexSize(offset, (long) frames * channels > Integer.MAX_VALUE ? -1 : frames * channels,
                interleaved.length);
        checkWritable();
        if (frames > EcdcMetadata.MAX_AUDIO_LENGTH - length) {
            throw new IllegalStateException("a file holds at most " + EcdcMetadata.MAX_AUDIO_LENGTH + " samples per channel");
        }
        run(() -> path.write(interleaved, offset, frames));
        length += frames;
    }

    /**
     * Encodes the rest of the input and writes the whole file (header, then every segment) to the
     * output, which is flushed, not closed. Returns the header written.
     *
     * @throws IllegalStateException when already finished, or when the models were closed
     */
    public EcdcHeader finish() throws IOException {
        checkWritable();
        run(path::encodeRest);
        finished = true;
        path.release();
        LmIndex index = path.completeBody();
        EcdcHeader header = lmChecksum != null ? options.header(length, lmChecksum, index) : options.header(length);
        header.write(out);
        path.body.writeTo(out);
        out.flush();
        return header;
    }

    private void checkWritable() throws IOException {
        if (finished) {
            throw new IllegalStateException("the encoder has finished or was closed");
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void run(Step step) throws IOException {
        try {
            step.run();
        } catch (IOException | IllegalStateException e) {
            failure = e;
            path.release();
            throw e;
        }
    }

    /**
     * Abandons the file: nothing more is written, and the stream's state is released. Does nothing
     * after {@link #finish()}. Does not close the output.
     */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            path.release();
        }
    }
}
