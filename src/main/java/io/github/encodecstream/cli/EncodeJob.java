package io.github.encodecstream.cli;

import io.github.encodecstream.codec.ModelStore;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.PcmEncoder;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One encode of PCM to an {@code .ecdc} file or standard output: what {@code encode} and the
 * Encodec-Stream flag {@code -e} run. The model is loaded, then the output opened, before any
 * input is read; a file left by a failed encode is deleted. The whole file is written at the end (its
 * header holds the length), so memory stays flat whatever the input's length: the compressed
 * file so far (0.75 kB per second at 6 kbps) and a segment of audio.
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
        Watched out = new Watched(OutputStream.nullOutputStream());
        PcmEncoder encoder = create(out, source); // first: a missing model leaves an existing output alone
        boolean opened = false;
        boolean done = false;
        try (encoder) {
            out.target(openOutput(stdout));
            opened = true;
            long total = source.frames();
            try (Progress progress = Progress.start(total > 0 && Progress.wanted(quiet, forceProgress, toFile),
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
            }
            done = true;
        } catch (IOException e) {
            if (out.failed) {
                if (!toFile && DecodeJob.isClosedPipe(e)) {
                    return Main.OK;
                }
                throw new Failure(Main.ERROR, "cannot write " + outputName() + ": " + Failure.reason(e), e);
            }
            throw new Failure(Main.ERROR, "encoding failed: " + Failure.message(e), e);
        } catch (IllegalStateException e) { // past the format's largest length
            throw new Failure(Main.BAD_INPUT, inputName + ": " + Failure.message(e), e);
        } finally {
            if (opened && !done) {
                abandon(out, toFile);
            }
        }
        if (source.trailingBytes() > 0) {
            err.println("encodec-stream: warning: " + inputName + " ended inside a frame: ignored its last "
                    + source.trailingBytes() + " bytes");
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

    private void abandon(OutputStream out, boolean toFile) {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing
        }
        if (toFile) {
            try {
                Files.deleteIfExists(Path.of(output));
            } catch (IOException | RuntimeException ignored) {
                // nothing more to do
            }
        }
    }

    private OutputStream openOutput(OutputStream stdout) {
        if (output.equals("-")) {
            return new BufferedOutputStream(new DecodeJob.StandardOutput(stdout), 1 << 16);
        }
        try {
            return new BufferedOutputStream(Files.newOutputStream(Path.of(output)), 1 << 16);
        } catch (InvalidPathException e) {
            throw new Failure(Main.ERROR, "cannot write " + output + ": not a valid file name", e);
        } catch (IOException e) {
            throw new Failure(Main.ERROR, "cannot write " + output + ": " + Failure.reason(e), e);
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
