package io.github.encodecstream.sound;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.testing.FuzzOracle;
import io.github.encodecstream.testing.PcmSeeds;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.stream.Stream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the encoder's PCM input as {@code encode} reads standard input: WAV, AIFF or AU bytes
 * through Java Sound into {@link PcmSource}, read to the end. The outcome is samples, an
 * {@link javax.sound.sampled.UnsupportedAudioFileException}, an {@link IOException} with a message,
 * or {@link PcmSource#of}'s documented {@link IllegalArgumentException} (exit code 3).
 */
class PcmInputFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        return FuzzOracle.seeds(PcmSeeds.files());
    }

    @MethodSource("seeds")
    @FuzzTest
    void pcm(byte[] data) {
        FuzzOracle.check(() -> {
            try (AudioInputStream stream = AudioSystem.getAudioInputStream(
                    new BufferedInputStream(new ByteArrayInputStream(data), 1 << 16))) {
                PcmSource source = PcmSource.of(stream);
                long frames = 0;
                for (int n; (n = source.read()) >= 0; ) {
                    frames += n;
                }
                if (frames != source.position()) {
                    throw new AssertionError(frames + " frames read, position " + source.position());
                }
            }
        }, IllegalArgumentException.class);
    }
}
