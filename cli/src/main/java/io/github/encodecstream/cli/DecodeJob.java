package io.github.encodecstream.cli;

import ai.onnxruntime.OrtException;
import io.github.encodecstream.codec.Damage;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.sound.PcmWriter;
import io.github.encodecstream.store.ModelStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One decode from an input to a file or standard output: what {@code decode} and the
 * Encodec-Stream flag {@code -d} run. Exit codes as {@link Main}'s; a closed standard output
 * (the reader quit: {@code | head}, ffplay closed) ends the decode quietly with 0.
 *
 * <p>An output that is the input (also through links, {@code /dev/fd} or a redirected standard
 * output) is refused with exit 2 before anything is opened. A file output ({@link FileOutput}) is
 * created only once the model is loaded, written to a temporary beside it and moved into place at
 * the end: when the input fails part-way (truncated, unreadable, an inference error), the audio
 * decoded before the failure is kept, with a WAV header rewritten to its true length, and the
 * command exits with the failure's code; when writing fails, or on Ctrl-C, nothing is left and an
 * existing output is untouched. Outputs written in place (devices, pipes, {@code /dev/stdout})
 * and standard output cannot be rewritten: a WAV header there declares the expected length, and
 * a reader sees the data end early.
 *
 * <p>A damaged segment or chunk is concealed by the decoder and named on standard error as it is
 * found ({@link DamageReport}); the output is complete and the command exits 3 at the end. With
 * {@code --strict} ({@link Damage#FAIL}) the first damage ends the decode as a cut does.
 */
final class DecodeJob {
    String input;
    String output = "-";
    PcmWriter.Format format = PcmWriter.Format.s16le;
    /** Null: the file's own rate and channels, as decoded. */
    Integer rate;
    Integer channels;
    TimeValue from;
    TimeValue to;
    boolean quiet;
    boolean forceProgress;
    /** What a damaged segment or chunk does. */
    Damage damage = Damage.CONCEAL;
    Models models;
    /** Where the input is read from. */
    Inputs inputs;

    /** Runs the decode; errors are thrown as {@link Failure}s and the exceptions {@link Failure#exitCode} maps. */
    int run(OutputStream stdout, PrintStream err) throws IOException {
        FileOutput.refuseInput(input, output, stdout); // before anything is opened: exit 2
        DecoderOptions options = DecoderOptions.builder().models(models).damage(damage).build(); // this run's models, not the shared ones
        try (EcdcDecoder decoder = inputs.decoder(input, options)) {
            prepare(decoder, input);
            PcmStream pcm;
            try {
                pcm = rate == null ? PcmStream.openNative(decoder, from, to)
                        : PcmStream.open(decoder, rate, channels, from, to);
            } catch (IOException e) {
                throw Failure.inputError(input, e);
            }
            boolean toFile = !output.equals("-");
            FileOutput file = null;
            try (Progress progress = Progress.start(Progress.wanted(quiet, forceProgress, toFile), "Decoding",
                    pcm.length(), pcm.rate(), err)) {
                file = toFile ? FileOutput.open(output) : null;
                OutputStream out = toFile ? file.stream() : new BufferedOutputStream(new StandardOutput(stdout), 1 << 16);
                PcmWriter writer = PcmWriter.open(format, out, pcm.rate(), pcm.channels(), pcm.length());
                Failure failed = copy(pcm, writer, progress, new DamageReport(decoder, input, err));
                if (toFile) {
                    finish(file, pcm, writer.frames());
                } else {
                    out.close(); // flushes; standard output stays open
                }
                if (failed != null) {
                    throw failed;
                }
            } catch (IOException e) { // read errors are Failures: this is the output
                if (!toFile && isClosedPipe(e)) {
                    return Main.OK;
                }
                throw new Failure(Main.ERROR, "cannot write " + outputName() + ": " + Failure.reason(e), e);
            } finally {
                if (file != null) {
                    file.close(); // deletes the temporary unless committed
                }
            }
        }
        return Main.OK;
    }

    /**
     * Completes a file output with the audio written, all of it or up to a failure (a truncated
     * input): a WAV header that says otherwise is rewritten with the true length where the file can
     * seek, then the file is moved into place.
     */
    private void finish(FileOutput file, PcmStream pcm, long frames) throws IOException {
        if (format == PcmWriter.Format.wav && frames != pcm.length() && file.seekable()) {
            file.patch(0, PcmWriter.wavHeader(pcm.rate(), pcm.channels(), frames));
        }
        file.commit();
    }

    /**
     * Checks that the file can be decoded and loads its model, so that a missing model fails
     * before any output is created.
     */
    static void prepare(EcdcDecoder decoder, String input) throws IOException {
        EcdcMetadata m = decoder.header().metadata();
        try {
            decoder.header().requireCodesDecodable();
        } catch (UnsupportedEcdcFeatureException e) {
            throw new Failure(Main.BAD_INPUT, input + ": " + Failure.message(e), e);
        }
        try {
            decoder.loadModel();
        } catch (ModelStore.ModelNotFoundException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new Failure(Main.ERROR, "cannot load model " + m.model() + ": " + Failure.message(e), e);
        }
    }

    /**
     * Reads the next chunk: errors reading the input become {@link Failure#inputError} (3), inference
     * errors exit 1.
     */
    static float[] read(PcmStream pcm, String input) {
        try {
            return pcm.read();
        } catch (IOException e) {
            if (e.getCause() instanceof OrtException) {
                throw new Failure(Main.ERROR, "decoding failed: " + Failure.message(e), e);
            }
            throw Failure.inputError(input, e);
        }
    }

    /**
     * Decodes everything; returns the failure that ended it early (an unreadable or truncated input,
     * an inference error), with what came before it written, or the one that says that spans were
     * concealed. Output errors are thrown.
     */
    private Failure copy(PcmStream pcm, PcmWriter writer, Progress progress, DamageReport damaged) throws IOException {
        while (true) {
            float[] chunk;
            try {
                chunk = read(pcm, input);
            } catch (Failure e) {
                damaged.printNew();
                return e;
            }
            damaged.printNew();
            if (chunk == null) {
                return damaged.failure();
            }
            writer.write(chunk);
            progress.stepTo(pcm.position());
        }
    }

    private String outputName() {
        return output.equals("-") ? "standard output" : output;
    }

    /**
     * Whether a write failed because the reader of the pipe went away ({@code EPIPE} on Unix,
     * "the pipe is being closed" on Windows).
     */
    static boolean isClosedPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null) {
                m = m.toLowerCase(Locale.ROOT);
                if (m.contains("broken pipe") || m.contains("pipe is being closed") || m.contains("pipe has been ended")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Standard output, left open by {@code close()}; throws the errors a PrintStream keeps to itself. */
    static final class StandardOutput extends FilterOutputStream {
        StandardOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            check();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            check();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void check() throws IOException {
            if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
                throw new IOException("write failed");
            }
        }
    }
}
