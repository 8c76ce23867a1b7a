package io.github.encodecstream.cli;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.sound.PcmSource;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code encode [-b KBPS] [--model 24|48] [-n NAME] [-s URL] [-t URL] -o OUT|- [INPUT|-]}: encodes
 * an audio file that Java Sound reads (WAV, AIFF, AU; any rate, mono or stereo, or more channels
 * for the 24 kHz model) to an {@code .ecdc} file.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Encode a WAV, AIFF or AU file (or one on standard input) to an .ecdc file.",
            "Without --model: Encodec-Stream's rule for any bitrate (version 193 with br and sr). With --model 24|48 "
                + "and a bandwidth of that model (24: 1.5, 3, 6, 12, 24; 48: 3, 6, 12, 24 kbps): exactly the "
                + "reference encoder's file (version 0 unless -n, -s or -t)."})
final class EncodeCommand implements Callable<Integer> {
    /** Bitrate when none is given, kbps. */
    static final double DEFAULT_KBPS = 6;
    private static final double[] BANDWIDTHS_24 = {1.5, 3, 6, 12, 24};
    private static final double[] BANDWIDTHS_48 = {3, 6, 12, 24};

    @Option(names = {"-b", "--bitrate"}, paramLabel = "KBPS", description = "Bitrate in kbps (default 6).")
    Double bitrate;

    @Option(names = {"-m", "--model"}, paramLabel = "24|48",
            description = "The reference's model and bandwidth: 24 (kHz, mono) or 48 (kHz, stereo).")
    Integer model;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Name (the header's n).")
    String name;

    @Option(names = {"-s", "--source"}, paramLabel = "URL", description = "Source URL (the header's s).")
    String source;

    @Option(names = {"-t", "--thumbnail"}, paramLabel = "URL", description = "Thumbnail URL (the header's t).")
    String thumbnail;

    @Option(names = "--lm", description = "Entropy-code the codes with encodec-stream's deterministic LM (smaller with "
            + "the official LM; decodable bit-exactly on every machine, by encodec-stream only; needs the LM "
            + "checkpoint encodec_lm_24khz / encodec_lm_48khz from the model store).")
    boolean lm;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "The .ecdc file to write, or - for standard output.")
    String output;

    @Mixin
    CommandOptions common;

    @Parameters(paramLabel = "INPUT", defaultValue = "-",
            description = "WAV, AIFF or AU file, or - for one on standard input (default).")
    String input;

    @Override
    public Integer call() throws IOException {
        EncoderOptions options = options(common.mixee, bitrate, model, name, source, thumbnail, common).withLm(lm);
        FileOutput.refuseInput(input, output, common.io().stdout());
        EncodeJob job = new EncodeJob();
        job.output = output;
        job.options = options;
        job.quiet = common.quiet();
        job.forceProgress = common.progress;
        job.inputName = input.equals("-") ? "standard input" : input;
        try (AudioInputStream stream = open()) {
            PcmSource pcm;
            try {
                pcm = PcmSource.of(stream);
            } catch (IllegalArgumentException e) {
                throw new Failure(Main.BAD_INPUT, job.inputName + ": " + Failure.message(e), e);
            }
            return job.run(pcm, common.io().stdout(), common.io().err());
        }
    }

    private AudioInputStream open() {
        String shown = input.equals("-") ? "standard input" : input;
        try {
            if (input.equals("-")) {
                InputStream in = common.io().stdin();
                return AudioSystem.getAudioInputStream(new BufferedInputStream(in, 1 << 16));
            }
            Path path = Path.of(input);
            if (Files.isDirectory(path)) {
                throw new Failure(Main.BAD_INPUT, input + ": is a directory", null);
            }
            if (!Files.exists(path)) {
                throw new Failure(Main.BAD_INPUT, input + ": no such file or directory", null);
            }
            return AudioSystem.getAudioInputStream(path.toFile());
        } catch (InvalidPathException e) {
            throw new Failure(Main.BAD_INPUT, input + ": not a valid file name", e);
        } catch (UnsupportedAudioFileException e) {
            throw new Failure(Main.BAD_INPUT, shown + ": " + PcmSource.NOT_AUDIO, e);
        } catch (EOFException e) {
            throw new Failure(Main.BAD_INPUT, shown + ": " + PcmSource.EMPTY, e);
        } catch (IOException e) {
            throw Failure.inputError(shown, e);
        }
    }

    /**
     * The encoder's options from the command line: {@code forBitrate(kbps)} without a model,
     * {@code of(family, kbps)} with one; usage errors for bitrates that cannot be used.
     */
    static EncoderOptions options(CommandLine.Model.CommandSpec spec, Double kbps, Integer model, String name,
            String source, String thumbnail, RuntimeOptions runtime) {
        double b = kbps == null ? DEFAULT_KBPS : kbps;
        if (!(b > 0 && b < Double.POSITIVE_INFINITY)) {
            throw usage(spec, "-b must be a positive number of kbps, got " + b);
        }
        EncoderOptions options;
        if (model == null) {
            try {
                options = EncoderOptions.forBitrate(b);
            } catch (IllegalArgumentException e) {
                throw usage(spec, "-b " + format(b) + ": " + e.getMessage());
            }
        } else {
            ModelFamily family;
            double[] bandwidths;
            if (model == 24) {
                family = ModelFamily.ENCODEC_24KHZ;
                bandwidths = BANDWIDTHS_24;
            } else if (model == 48) {
                family = ModelFamily.ENCODEC_48KHZ;
                bandwidths = BANDWIDTHS_48;
            } else {
                throw usage(spec, "--model must be 24 or 48, got " + model);
            }
            if (Arrays.stream(bandwidths).noneMatch(x -> x == b)) {
                throw usage(spec, "--model " + model + " takes -b " + list(bandwidths) + " (kbps), got " + format(b)
                        + "; leave out --model for any bitrate");
            }
            options = EncoderOptions.of(family, b);
        }
        runtime.validate();
        Models models = runtime.models();
        return options.withName(name).withSource(source).withThumbnail(thumbnail).withModels(models);
    }

    private static String list(double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(format(values[i]));
        }
        return s.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
