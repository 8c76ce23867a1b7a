package io.github.encodecstream.cli;

import ai.onnxruntime.OrtException;
import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.codec.DecoderModels;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.dsp.PcmConversion;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.source.FileByteSource;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decode --native [--format f32le|s16le] [-o OUT|-] FILE}: writes the decoded samples as
 * raw little-endian PCM, channels interleaved, as decoded (the file's length and channel count; play
 * them at the {@code sample_rate} that {@code info} prints).
 */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Decode an .ecdc file to raw PCM (little-endian, channels interleaved).")
final class DecodeCommand implements Callable<Integer> {
    /** Raw sample formats. */
    enum Format { f32le, s16le }

    @Option(names = "--native", description = "Write the samples as decoded, at the file's own rate and channel "
            + "count (required: conversion to 48 kHz stereo is not available yet).")
    boolean nativeRate;

    @Option(names = {"-f", "--format"}, defaultValue = "s16le", paramLabel = "FORMAT",
            description = "f32le or s16le (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, defaultValue = "-", paramLabel = "OUT",
            description = "Output file, or - for standard output (default).")
    String output;

    @Option(names = "--offline", description = "Never download a model (like ENCODEC_OFFLINE=1).")
    boolean offline;

    @Option(names = "--threads", paramLabel = "N",
            description = "ONNX Runtime threads, 0: automatic (default: ENCODEC_THREADS, else 0).")
    Integer threads;

    @Option(names = {"-g", "--device"}, paramLabel = "DEVICE",
            description = "cpu, cuda, cuda:N or auto (default: ENCODEC_DEVICE, else auto).")
    String device;

    @Parameters(paramLabel = "FILE", description = "The .ecdc file.")
    Path file;

    @CommandLine.ParentCommand
    Main parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!nativeRate) {
            throw usage("--native is required: only output at the file's own rate and channel count "
                    + "is available in this version");
        }
        DecoderModels models = new DecoderModels(modelStore(), inferenceSettings());
        DecoderOptions options = new DecoderOptions(DecoderOptions.DEFAULT_CHUNK, DecoderOptions.DEFAULT_PREROLL,
                false, models); // not defaults(): that would set up the process-wide models as well
        EcdcDecoder decoder;
        try {
            decoder = EcdcDecoder.open(new FileByteSource(file), options);
        } catch (IOException e) {
            throw Main.inputError(file, e);
        }
        try (decoder) {
            EcdcMetadata m = decoder.header().metadata();
            if (m.lm()) {
                throw new Main.Failure(Main.BAD_INPUT, file + ": entropy-coded (lm) files are not supported yet", null);
            }
            try {
                models.decoder(m.family()); // a missing model fails here, before the output is created
            } catch (ModelStore.ModelNotFoundException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new Main.Failure(Main.ERROR, "cannot load model " + m.model() + ": " + Main.message(e), e);
            }
            try (OutputStream out = openOutput()) {
                copy(decoder, out);
            } catch (IOException e) { // read errors are Failures already: this is the output
                throw new Main.Failure(Main.ERROR, "cannot write " + outputName() + ": " + Main.reason(e), e);
            }
        }
        return Main.OK;
    }

    /**
     * Decodes everything: errors reading the file become {@link Main#inputError} (3), inference
     * errors exit 1; only output errors are thrown as {@code IOException}.
     */
    private void copy(EcdcDecoder decoder, OutputStream out) throws IOException {
        int bytesPerSample = format == Format.f32le ? 4 : 2;
        while (true) {
            float[] chunk;
            try {
                chunk = decoder.read();
            } catch (IOException e) {
                out.flush(); // keep the audio decoded before the error
                if (e.getCause() instanceof OrtException) {
                    throw new Main.Failure(Main.ERROR, "decoding failed: " + Main.message(e), e);
                }
                throw Main.inputError(file, e);
            }
            if (chunk == null) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(chunk.length * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
            if (format == Format.f32le) {
                PcmConversion.putF32(chunk, 0, chunk.length, bytes);
            } else {
                PcmConversion.putS16(chunk, 0, chunk.length, bytes);
            }
            out.write(bytes.array());
        }
    }

    private OutputStream openOutput() throws IOException {
        OutputStream target;
        try {
            target = output.equals("-") ? new StandardOutput(parent.stdout) : Files.newOutputStream(Path.of(output));
        } catch (InvalidPathException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new BufferedOutputStream(target, 1 << 16);
    }

    private String outputName() {
        return output.equals("-") ? "standard output" : output;
    }

    private ModelStore modelStore() {
        ModelStore store = ModelStore.fromEnvironment();
        if (!offline || store.isOffline()) {
            return store;
        }
        return ModelStore.builder().modelsDirectory(store.modelsDirectory().orElse(null))
                .cacheDirectory(store.cacheDirectory()).baseUri(store.baseUri()).offline(true).build();
    }

    private InferenceSettings inferenceSettings() {
        InferenceSettings settings;
        try {
            settings = InferenceSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new Main.Failure(Main.ERROR, Main.message(e), e); // names the setting
        }
        if (threads != null) {
            if (threads < 0) {
                throw usage("--threads must be 0 or more, got " + threads);
            }
            settings = settings.withThreads(threads);
        }
        if (device != null) {
            try {
                settings = settings.withDevice(Device.parse(device));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return settings;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Standard output, left open by {@code close()}; throws the errors a PrintStream keeps to itself. */
    private static final class StandardOutput extends FilterOutputStream {
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
                throw new IOException("write failed (closed pipe?)");
            }
        }
    }
}
