package io.github.encodecstream.sound;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the Java Sound plugin's reader as applications reach it, through
 * {@link AudioSystem#getAudioFileFormat(InputStream)} and
 * {@link AudioSystem#getAudioInputStream(InputStream)} (with the JDK's own readers beside it):
 * the file format, the stream's format, length and properties, up to the first read (which loads
 * the model; the segment data is {@code CodeReaderFuzzTest}'s). The outcome is a format and a
 * stream, an {@link javax.sound.sampled.UnsupportedAudioFileException}, or an
 * {@link java.io.IOException} with a message. The same bytes as a file (whose size is known) must
 * report no more frames than the data can hold: for plain codes at least 10 bits a step of 320
 * samples, plus a segment (kept inputs: {@code EcdcAudioFileReaderFuzzTestInputs/javaSound/}).
 */
class EcdcAudioFileReaderFuzzTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> seeds() {
        return FuzzOracle.seeds(EcdcSeeds.files());
    }

    @MethodSource("seeds")
    @FuzzTest
    void javaSound(byte[] data) {
        FuzzOracle.check(() -> {
            AudioFileFormat format = AudioSystem.getAudioFileFormat(stream(data));
            format.properties();
            format.getFormat().properties();
        });
        FuzzOracle.check(() -> {
            try (AudioInputStream audio = AudioSystem.getAudioInputStream(stream(data))) {
                audio.getFormat().properties();
                audio.getFrameLength();
            }
        });
        FuzzOracle.check(() -> {
            Path file = dir.resolve("input.ecdc");
            Files.write(file, data);
            requireHeld(AudioSystem.getAudioFileFormat(file.toFile()).getFrameLength(), data);
            try (AudioInputStream audio = AudioSystem.getAudioInputStream(file.toFile())) {
                requireHeld(audio.getFrameLength(), data);
            }
        });
    }

    /** Plain codes take at least 10 bits a step of 320 samples; a 48 kHz file's length may end a segment later. */
    private static void requireHeld(long frames, byte[] data) throws IOException {
        if (!EcdcHeader.read(new ByteArrayInputStream(data)).metadata().lm()) {
            long most = 48_000 + (data.length * 8L / 10 + 1) * 320;
            if (frames > most) {
                throw new AssertionError(frames + " frames reported for a plain file of " + data.length + " bytes");
            }
        }
    }

    private static InputStream stream(byte[] data) {
        return new BufferedInputStream(new ByteArrayInputStream(data));
    }
}
