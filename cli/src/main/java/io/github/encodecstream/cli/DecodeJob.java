package io.github.encodecstream.cli;

import ai.onnxruntime.OrtException;
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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One decode from an input to a file or standard output: what {@code decode} and the
 * Encodec-Stream flag {@code -d} run. Exit codes as {@link Main}'s; a closed standard output
 * (the reader quit: {@code | head}, ffplay closed) ends the decode quietly with 0.
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
    Models models;
    /** Where the input is read from. */
    Inputs inputs;

    /** Runs the decode; errors are thrown as {@link Failure}s and the exceptions {@link Failure#exitCode} maps. */
    int run(OutputStream stdout, PrintStream err) throws IOException {
        DecoderOptions options = DecoderOptions.builder().models(models).build(); // this run's models, not the shared ones
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
            long written;
            try (OutputStream out = openOutput(stdout);
                    Progress progress = Progress.start(Progress.wanted(quiet, forceProgress, toFile), "Decoding",
                            pcm.length(), pcm.rate(), err)) {
                PcmWriter writer = PcmWriter.open(format, out, pcm.rate(), pcm.channels(), pcm.length());
                copy(pcm, writer, out, progress);
                written = writer.frames();
            } catch (IOException e) { // read errors are Failures already: this is the output
                if (!toFile && isClosedPipe(e)) {
                    return Main.OK;
                }
                throw new Failure(Main.ERROR, "cannot write " + outputName() + ": " + Failure.reason(e), e);
            }
            if (format == PcmWriter.Format.wav && toFile && written != pcm.length()) {
                patchWavHeader(pcm, written);
            }
        }
        return Main.OK;
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

    /** Decodes everything; only output errors are thrown as {@code IOException}. */
    private void copy(PcmStream pcm, PcmWriter writer, OutputStream out, Progress progress) throws IOException {
        while (true) {
            float[] chunk;
            try {
                chunk = read(pcm, input);
            } catch (Failure e) {
                out.flush(); // keep the audio decoded before the error
                throw e;
            }
            if (chunk == null) {
                return;
            }
            writer.write(chunk);
            progress.stepTo(pcm.position());
        }
    }

    private void patchWavHeader(PcmStream pcm, long frames) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(output, "rw")) {
            file.write(PcmWriter.wavHeader(pcm.rate(), pcm.channels(), frames));
        }
    }

    private OutputStream openOutput(OutputStream stdout) throws IOException {
        OutputStream target;
        try {
            target = output.equals("-") ? new StandardOutput(stdout) : Files.newOutputStream(Path.of(output));
        } catch (InvalidPathException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new BufferedOutputStream(target, 1 << 16);
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
