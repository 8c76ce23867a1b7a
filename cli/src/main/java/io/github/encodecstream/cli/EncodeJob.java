package io.github.encodecstream.cli;

import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.sound.PcmSource;
import io.github.encodecstream.store.ModelStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * One encode of PCM to an {@code .ecdc} file or standard output: what {@code encode} and the
 * Encodec-Stream flag {@code -e} run. The model is loaded, then the output opened, before any
 * input is read. The whole file is written at the end (its header holds the length), so memory
 * stays flat whatever the input's length: the compressed file so far (0.75 kB per second at
 * 6 kbps) and a segment of audio.
 *
 * <p>A file output ({@link FileOutput}) is written to a temporary file beside it
 * ({@code .NAME.RANDOM.tmp}, in the same directory; beside a symbolic link's final target) that is
 * moved into place (atomically where the file system can) only once the file is complete; on any
 * failure, and on Ctrl-C or another shutdown (a shutdown hook), the temporary file is deleted and
 * an existing output is left as it was. An output that is not a regular file (a device such as
 * {@code /dev/null}, a named pipe) or names an open file ({@code /dev/stdout}, {@code /dev/fd/N},
 * {@code /proc/self/fd/N}) is written in place.
 *
 * <p>Input: a NaN or infinite sample, or an input longer than a file holds (one week at 48 kHz;
 * checked before reading when the input's header gives its length) exits 3 naming the sample or
 * the length. An input that ends inside a frame has its last partial frame dropped with a warning;
 * one that ends before the length its header declares (a truncated file, a producer that quit) is
 * encoded as far as it goes, with a warning.
 */
final class EncodeJob {
    String output = "-";
    /** The input's name for messages. */
    String inputName = "standard input";
    EncoderOptions options;
    boolean quiet;
    boolean forceProgress;

    /** Runs the encode; errors are thrown as {@link Failure}s and the exceptions {@link Failure#exitCode} maps. */
    int run(PcmSource source, OutputStream stdout, PrintStream err) throws IOException {
        boolean toFile = !output.equals("-");
        long total = source.frames();
        if (total >= 0 && !PcmEncoder.fits(total, source.sampleRate(), options)) { // before loading anything
            throw new Failure(Main.BAD_INPUT, inputName + ": "
                    + PcmEncoder.tooLongMessage(total, source.sampleRate(), options), null);
        }
        Watched out = new Watched(OutputStream.nullOutputStream());
        PcmEncoder encoder = create(out, source); // first: a missing model leaves an existing output alone
        FileOutput target = null;
        boolean done = false;
        try (encoder) {
            target = toFile ? FileOutput.open(output) : null;
            out.target(toFile ? target.stream() : new BufferedOutputStream(new DecodeJob.StandardOutput(stdout), 1 << 16));
            try (Progress progress = Progress.start(total > 0 ? Progress.wanted(quiet, forceProgress, toFile) : Progress.Show.NEVER,
                    "Encoding", total, source.sampleRate(), err)) {
                while (true) {
                    int frames;
                    try {
                        frames = source.read();
                    } catch (IOException e) {
                        throw Failure.inputError(inputName, e);
                    }
                    if (frames < 0) {
                        break;
                    }
                    encoder.write(source.samples(), 0, frames);
                    progress.stepTo(source.position());
                }
                encoder.finish();
                out.close();
                if (target != null) {
                    target.commit();
                }
            }
            done = true;
        } catch (PcmEncoder.InputException e) { // NaN, infinity, too long
            throw new Failure(Main.BAD_INPUT, inputName + ": " + Failure.message(e), e);
        } catch (IOException e) {
            if (out.failed || (target != null && target.failed)) {
                if (!toFile && DecodeJob.isClosedPipe(e)) {
                    return Main.OK;
                }
                throw new Failure(Main.ERROR, "cannot write " + outputName() + ": " + Failure.reason(e), e);
            }
            throw new Failure(Main.ERROR, "encoding failed: " + Failure.message(e), e);
        } catch (IllegalStateException e) { // past the format's largest length (PcmEncoder checks first)
            throw new Failure(Main.BAD_INPUT, inputName + ": " + Failure.message(e), e);
        } finally {
            if (!done) {
                abandon(out, target);
            }
        }
        if (source.trailingBytes() > 0) {
            err.println("encodec-stream: warning: " + TerminalText.escape(inputName) + " ended inside a frame: ignored its last "
                    + source.trailingBytes() + " bytes");
        }
        if (total >= 0 && source.position() < total) {
            err.println("encodec-stream: warning: " + TerminalText.escape(inputName) + " ended after " + source.position() + " of the "
                    + total + " frames its header declares (truncated?): encoded what there was");
        }
        return Main.OK;
    }

    /** The encoder, with the model loaded: a missing model exits 4, bad channel counts 3. */
    private PcmEncoder create(OutputStream out, PcmSource source) throws IOException {
        try {
            return PcmEncoder.create(out, options, source.sampleRate(), source.channels());
        } catch (ModelStore.ModelNotFoundException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.BAD_INPUT, inputName + ": " + Failure.message(e), e);
        } catch (IOException | RuntimeException e) {
            throw new Failure(Main.ERROR, "cannot load model " + options.family().fileName() + ": "
                    + Failure.message(e), e);
        }
    }

    private static void abandon(OutputStream out, FileOutput target) {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing
        }
        if (target != null) {
            target.close();
        }
    }

    private String outputName() {
        return output.equals("-") ? "standard output" : output;
    }

    /** An output that remembers whether one of its operations failed. */
    private static final class Watched extends FilterOutputStream {
        boolean failed;
        private boolean closed;

        Watched(OutputStream out) {
            super(out);
        }

        void target(OutputStream target) {
            out = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
