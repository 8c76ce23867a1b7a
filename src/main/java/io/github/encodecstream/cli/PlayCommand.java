package io.github.encodecstream.cli;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.IOException;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code play [-ss S] [-to S] FILE-or-URL}: plays the file on the default audio output (Java Sound,
 * 48 kHz 16-bit stereo) with its position and duration on standard error. Ctrl-C stops it cleanly
 * (exit 130); no audio output exits 5.
 */
@Command(name = "play", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Play an .ecdc file or URL on the default audio output, showing position and duration.")
final class PlayCommand implements Callable<Integer> {
    /** How lines are obtained; tests replace it. */
    interface LineFactory {
        SourceDataLine line(AudioFormat format) throws LineUnavailableException;
    }

    static volatile LineFactory lines = AudioSystem::getSourceDataLine;

    @Option(names = "-ss", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "Start at this time: seconds or [[H:]M:]S.")
    TimeValue from;

    @Option(names = "-to", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "Stop at this time.")
    TimeValue to;

    @Option(names = "--progress", description = "Show the position even when standard error is not a terminal.")
    boolean progress;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(paramLabel = "FILE-or-URL", description = "The .ecdc file, an http(s) URL, or - for standard input.")
    String input;

    @CommandLine.ParentCommand
    Main parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Main.checkCut(spec, from, to);
        runtime.validate();
        Models models = runtime.models();
        DecoderOptions options = new DecoderOptions(DecoderOptions.DEFAULT_CHUNK, DecoderOptions.DEFAULT_PREROLL,
                false, models);
        try (EcdcDecoder decoder = Inputs.decoder(input, runtime.http(), options)) {
            DecodeJob.prepare(decoder, input);
            PcmStream pcm;
            try {
                pcm = PcmStream.open(decoder, 48_000, 2, from, to);
            } catch (IOException e) {
                throw Main.inputError(input, e);
            }
            AudioFormat format = new AudioFormat(pcm.rate(), 16, pcm.channels(), true, false);
            SourceDataLine line = openLine(format);
            EcdcMetadata m = decoder.header().metadata();
            String title = m.name() != null ? m.name() : input;
            boolean show = !parent.quiet && (progress || System.console() != null);
            double start = from == null ? 0 : from.seconds().doubleValue();
            Player player = new Player(line, pcm, input, show ? parent.stderr : null, Math.min(start, m.durationSeconds()),
                    m.durationSeconds(), title);
            Thread hook = new Thread(() -> player.stop(2000), "encodec-stream-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                player.play();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for play() to return
                }
            }
        }
        return Main.OK;
    }

    /** Opens and starts a line, or fails with exit code 5 and a message that says why. */
    static SourceDataLine openLine(AudioFormat format) {
        SourceDataLine line;
        try {
            line = lines.line(format);
        } catch (IllegalArgumentException | LineUnavailableException | SecurityException | LinkageError e) {
            throw noAudio(format, e);
        }
        try {
            line.open(format, (int) format.getFrameRate() / 4 * format.getFrameSize()); // 0.25 s
            line.start();
        } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
            line.close();
            throw noAudio(format, e);
        }
        return line;
    }

    private static Main.Failure noAudio(AudioFormat format, Throwable e) {
        String what = e instanceof LineUnavailableException ? "the audio output is not available (in use?)"
                : "no audio output device found";
        return new Main.Failure(Main.NO_AUDIO, what + ": Java Sound has no line for " + (int) format.getSampleRate()
                + " Hz 16-bit " + (format.getChannels() == 2 ? "stereo" : "mono") + " (" + Main.message(e)
                + "); use 'decode' and another player instead", e);
    }
}
