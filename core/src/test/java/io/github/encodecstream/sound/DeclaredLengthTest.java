package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row 9 of the security review: a header's {@code al} is not believed beyond the file's data. The
 * 80-byte file declares a week (29 030 400 000 frames) and holds six 24 kHz steps of two codebooks.
 */
@ExtendWith(UsesReferenceModels.class)
class DeclaredLengthTest {
    @Test
    void eightyByteFileReportsTheStepsItsDataReaches(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("week.ecdc");
        Files.write(file, EcdcSeeds.eightyByteWeek());
        AudioFileFormat format = AudioSystem.getAudioFileFormat(file.toFile());
        assertEquals(7 * 320, format.getFrameLength());
        assertEquals(80, format.getByteLength());
        assertEquals(EcdcProperties.microseconds(7 * 320, 24_000), format.getProperty(EcdcProperties.DURATION));
        assertEquals(7 * 320, AudioSystem.getAudioFileFormat(file.toUri().toURL()).getFrameLength());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            assertEquals(7 * 320, in.getFrameLength());
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toUri().toURL())) {
            assertEquals(7 * 320, in.getFrameLength());
        }
    }

    /**
     * What {@code Clip.open} does with a stream of known length: a buffer of the whole length, then
     * reads until it is full or the stream ends. The 80-byte file gives its six steps, then the cut.
     */
    @Test
    void clipLikeConsumerGetsTheAudioBeforeTheCutQuickly(@TempDir Path dir) throws Exception {
        try (AudioInputStream warm = AudioSystem.getAudioInputStream(ReferenceCases.named("24k_short").ecdc().toFile())) {
            warm.read(new byte[640]); // loads the 24 kHz model, which is not what is timed
        }
        Path file = dir.resolve("week.ecdc");
        Files.write(file, EcdcSeeds.eightyByteWeek());
        long start = System.nanoTime();
        int read = 0;
        IOException end = null;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            byte[] buffer = new byte[Math.toIntExact(in.getFrameLength() * in.getFormat().getFrameSize())];
            try {
                for (int n = 0; n >= 0 && read < buffer.length; n = in.read(buffer, read, buffer.length - read)) {
                    read += n;
                }
            } catch (IOException e) {
                end = e;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(6 * 320 * 2, read, "the six complete steps, 16-bit mono");
        assertInstanceOf(TruncatedEcdcException.class, end, "the cut is reported");
        System.out.printf("[sound] the 80-byte file declaring a week, read as Clip.open reads: %d bytes, then %s,"
                + " in %.3f s%n", read, end, seconds);
        assertTrue(seconds < 5, seconds + " s");
    }

    /** A forward-only stream's size is not known: its length is the declared one (documented on the reader). */
    @Test
    void streamOfUnknownSizeReportsTheDeclaredLength() throws Exception {
        byte[] week = EcdcSeeds.eightyByteWeek();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(
                new BufferedInputStream(new ByteArrayInputStream(week)))) {
            assertEquals(EcdcMetadata.MAX_AUDIO_LENGTH, in.getFrameLength());
        }
        AudioFileFormat format = AudioSystem.getAudioFileFormat(new BufferedInputStream(new ByteArrayInputStream(week)));
        assertEquals(AudioSystem.NOT_SPECIFIED, format.getFrameLength(), "above Integer.MAX_VALUE");
    }

    static Stream<Path> referenceFiles() {
        return ReferenceCases.allFiles().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceFiles")
    void referenceFilesReportTheirDeclaredLength(Path file) throws Exception {
        EcdcHeader header = EcdcBytes.read(Files.readAllBytes(file));
        EcdcMetadata m = header.metadata();
        AudioFileFormat format = AudioSystem.getAudioFileFormat(file.toFile());
        assertEquals(m.audioLength(), format.getFrameLength());
        assertEquals(EcdcProperties.microseconds(m.audioLength(), m.effectiveSampleRate()),
                format.getProperty(EcdcProperties.DURATION));
        if (m.codesDecodable()) {
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
                assertEquals(m.audioLength(), in.getFrameLength());
            }
        }
    }

    @Test
    void cutFileEndsWithTheStepOfTheCutAndReportsTheCut(@TempDir Path dir) throws Exception {
        ReferenceCases.Case c = ReferenceCases.named("24k_bw1.5"); // 2 codebooks, 175001 samples
        byte[] bytes = Files.readAllBytes(c.ecdc());
        long dataOffset = EcdcBytes.read(bytes).frameDataOffset();
        int cut = (int) dataOffset + 251; // 2008 bits: 100 steps of 20 bits, and part of the next
        long complete = 100;
        Path file = dir.resolve("cut.ecdc");
        Files.write(file, Arrays.copyOf(bytes, cut));
        assertEquals((complete + 1) * 320, AudioSystem.getAudioFileFormat(file.toFile()).getFrameLength());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            assertEquals((complete + 1) * 320, in.getFrameLength());
            byte[] buffer = new byte[4096];
            long total = 0;
            IOException end = null;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    total += n;
                }
            } catch (IOException e) {
                end = e;
            }
            assertEquals(complete * 320 * 2, total, "the complete steps");
            assertInstanceOf(TruncatedEcdcException.class, end, "the cut is reported");
        }
    }
}
