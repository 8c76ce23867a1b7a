package io.github.encodecstream.sound;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the Java Sound plugin's reader as applications reach it, through
 * {@link AudioSystem#getAudioFileFormat(InputStream)} and
 * {@link AudioSystem#getAudioInputStream(InputStream)} (with the JDK's own readers beside it):
 * the file format, the stream's format, length and properties, up to the first read (which loads
 * the model; the segment data is {@code CodeReaderFuzzTest}'s). The outcome is a format and a
 * stream, an {@link javax.sound.sampled.UnsupportedAudioFileException}, or an
 * {@link java.io.IOException} with a message.
 */
class EcdcAudioFileReaderFuzzTest {
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
    }

    private static InputStream stream(byte[] data) {
        return new BufferedInputStream(new ByteArrayInputStream(data));
    }
}
