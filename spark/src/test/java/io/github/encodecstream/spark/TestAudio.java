package io.github.encodecstream.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Short 16-bit WAV files of mixed rates and channel counts, and a corrupt one, for the Spark tests. */
final class TestAudio {
    /** Rates the files cycle through, Hz. */
    static final int[] RATES = {8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000};
    /** The corrupt file's name. */
    static final String CORRUPT = "corrupt.wav";

    private TestAudio() {}

    /**
     * Writes {@code count} WAV files (0.1 to 0.5 s, the rates of {@link #RATES}, mono and stereo: a
     * few tones and noise) and {@link #CORRUPT} (a RIFF header and garbage) into {@code dir}; returns
     * the WAV files.
     */
    static List<Path> write(Path dir, int count) throws IOException {
        return write(dir, count, 0.1, 0.5);
    }

    /** As {@link #write(Path, int)}, the files {@code minSeconds} to {@code maxSeconds} long. */
    static List<Path> write(Path dir, int count, double minSeconds, double maxSeconds) throws IOException {
        Random random = new Random(12345);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int rate = RATES[i % RATES.length];
            int channels = 1 + (i / RATES.length) % 2;
            int frames = (int) Math.round(rate * (minSeconds + (maxSeconds - minSeconds) * ((i * 7) % count) / (double) count));
            ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
            double f = 110 * (1 + i % 9);
            for (int n = 0; n < frames; n++) {
                for (int c = 0; c < channels; c++) {
                    double x = 0.4 * Math.sin(2 * Math.PI * f * (c + 1) * n / rate) + 0.05 * random.nextGaussian();
                    pcm.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x * 32767))));
                }
            }
            AudioFormat format = new AudioFormat(rate, 16, channels, true, false);
            Path file = dir.resolve(String.format("clip%02d_%dHz_%dch.wav", i, rate, channels));
            try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
                AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
            }
            files.add(file);
        }
        Files.write(dir.resolve(CORRUPT), "RIFF\u0010\0\0\0WAVEnot really a wave file".getBytes(StandardCharsets.ISO_8859_1));
        return files;
    }
}
