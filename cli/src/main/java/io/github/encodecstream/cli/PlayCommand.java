package io.github.encodecstream.cli;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code play [-ss S] [-to S] FILE-or-URL}: plays the file on the default audio output (Java Sound,
 * 48 kHz 16-bit stereo; the line comes from the run's {@link ProcessIo#lines()}) with its position
 * and duration on standard error. Ctrl-C stops it cleanly (exit 130, the status line ending in
 * {@code (stopped)}); no audio output exits 5.
 */
@Command(name = "play", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Play an .ecdc file or URL on the default audio output, showing position and duration.")
final class PlayCommand implements Callable<Integer> {
    @Mixin
    InputOptions source;

    /** The line's format: what Encodec-Stream plays, 48 kHz 16-bit stereo (mono and 24 kHz files are converted). */
    private static final int RATE = 48_000;
    private static final int CHANNELS = 2;

    @Override
    public Integer call() throws IOException {
        source.check();
        source.common.validate();
        String input = source.input;
        ProcessIo io = source.common.io();
        DecoderOptions options = DecoderOptions.builder().models(source.common.models())
                .damage(source.damage.damage()).build();
        try (EcdcDecoder decoder = source.common.inputs().decoder(input, options)) {
            // Java Sound's start (its providers, the device list) runs while the model loads
            AudioFormat format = new AudioFormat(RATE, 16, CHANNELS, true, false);
            CompletableFuture<SourceDataLine> opening = CompletableFuture.supplyAsync(() -> openLine(io.lines(), format));
            SourceDataLine line = null;
            PcmStream pcm;
            try {
                DecodeJob.prepare(decoder, input);
                try {
                    pcm = PcmStream.open(decoder, RATE, CHANNELS, source.from, source.to);
                } catch (IOException e) {
                    throw Failure.inputError(input, e);
                }
                line = opened(opening);
            } finally {
                if (line == null) { // failed before playing: close the line whenever it opens
                    opening.thenAccept(SourceDataLine::close);
                }
            }
            EcdcMetadata m = decoder.header().metadata();
            String title = m.name() != null ? m.name() : input;
            boolean show = !source.common.quiet() && (source.common.progress || System.console() != null);
            double start = source.from == null ? 0 : source.from.seconds().doubleValue();
            DamageReport damaged = new DamageReport(decoder, input, io.err());
            Player player = new Player(line, pcm, input, damaged,
                    new PlayPosition(show ? io.err() : null, title, Math.min(start, m.durationSeconds()), m.durationSeconds()));
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
            Failure concealed = damaged.failure();
            if (concealed != null) {
                throw concealed;
            }
        }
        return Main.OK;
    }

    /** The line {@link #openLine} opened, or its failure as thrown there. */
    private static SourceDataLine opened(CompletableFuture<SourceDataLine> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    /** Opens and starts a line, or fails with exit code 5 and a message that says why. */
    static SourceDataLine openLine(ProcessIo.LineFactory lines, AudioFormat format) {
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

    private static Failure noAudio(AudioFormat format, Throwable e) {
        String what = e instanceof LineUnavailableException ? "the audio output is not available (in use?)"
                : "no audio output device found";
        return new Failure(Main.NO_AUDIO, what + ": Java Sound has no line for " + (int) format.getSampleRate()
                + " Hz 16-bit " + (format.getChannels() == 2 ? "stereo" : "mono") + " (" + Failure.message(e)
                + "); use 'decode' and another player instead", e);
    }
}
