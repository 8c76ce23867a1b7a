package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a plain Java Sound client relies on: the file format's byte length, conversions from the
 * file format it was told, the frame length, {@code available()} as players use it, and the reason
 * an entropy-coded file cannot be played.
 */
@ExtendWith(UsesReferenceModels.class)
class JavaSoundClientTest {
    @ParameterizedTest
    @ValueSource(strings = {"vectors/48k_bw6.ecdc", "vectors/24k_bw3.ecdc", "seed/seed_b4.5.ecdc", "vectors/48k_bw6_lm.ecdc"})
    void byteLengthIsTheFileSize(String name) throws Exception {
        Path file = ReferenceData.file(name);
        long size = Files.size(file);
        assertEquals(size, AudioSystem.getAudioFileFormat(file.toFile()).getByteLength(), "File");
        assertEquals(size, AudioSystem.getAudioFileFormat(file.toUri().toURL()).getByteLength(), "file: URL");
        try (SoundTests.FileServer server = new SoundTests.FileServer(file.getParent())) {
            assertEquals(size, AudioSystem.getAudioFileFormat(server.url(file.getFileName().toString())).getByteLength(),
                    "http URL");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            assertEquals(AudioSystem.NOT_SPECIFIED, AudioSystem.getAudioFileFormat(in).getByteLength(), "InputStream");
        }
        AudioFormat format = AudioSystem.getAudioFileFormat(file.toFile()).getFormat();
        assertEquals(AudioSystem.NOT_SPECIFIED, format.getSampleSizeInBits(), "compressed: no sample size");
        assertEquals(AudioSystem.NOT_SPECIFIED, format.getFrameSize(), "compressed: no frame size");
    }

    @Test
    void convertsFromTheFileFormat() throws Exception {
        File file = ReferenceData.file("vectors/48k_bw6.ecdc").toFile();
        AudioFormat coded = AudioSystem.getAudioFileFormat(file).getFormat();
        assertTrue(AudioSystem.isConversionSupported(Encoding.PCM_SIGNED, coded));
        assertTrue(AudioSystem.isConversionSupported(Encoding.PCM_FLOAT, coded));
        assertTrue(AudioSystem.isConversionSupported(new AudioFormat(48_000, 16, 2, true, false), coded));
        assertTrue(AudioSystem.isConversionSupported(
                new AudioFormat(Encoding.PCM_FLOAT, 48_000, 32, 2, 8, 48_000, false), coded));
        List<Encoding> targets = Arrays.asList(AudioSystem.getTargetEncodings(coded));
        assertTrue(targets.contains(Encoding.PCM_SIGNED) && targets.contains(Encoding.PCM_FLOAT), targets.toString());

        // a client that builds the coded stream itself and converts it, as for any compressed format
        byte[] expected;
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file);
                AudioInputStream floats = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm)) {
            expected = floats.readAllBytes();
        }
        try (AudioInputStream codedStream = new AudioInputStream(Files.newInputStream(file.toPath()), coded,
                AudioSystem.NOT_SPECIFIED);
                AudioInputStream floats = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, codedStream)) {
            assertEquals(Encoding.PCM_FLOAT, floats.getFormat().getEncoding());
            assertArrayEquals(expected, floats.readAllBytes());
        }
    }

    @Test
    void frameLengthIsTheFramesRead() throws Exception {
        for (ReferenceCases.Case c : List.of(ReferenceCases.named("48k_bw6"), ReferenceCases.named("24k_short"))) {
            File file = c.ecdc().toFile();
            AudioFileFormat f = AudioSystem.getAudioFileFormat(file);
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file)) {
                long frames = in.readAllBytes().length / in.getFormat().getFrameSize();
                assertEquals(c.length(), frames, c.name());
                assertEquals(frames, in.getFrameLength(), c.name());
                assertEquals(frames, f.getFrameLength(), c.name());
            }
        }
    }

    /**
     * For a file, available() counts the file's bytes not played yet: from the size at open down to
     * 0 at the end, never up, so that a player that subtracts it from its value at open
     * (BasicPlayer) runs from 0 to the file format's byte length.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vectors/48k_bw6.ecdc", "vectors/24k_bw3.ecdc", "seed/seed_b4.5.ecdc"})
    void availableCountsTheFileBytesLeft(String name) throws Exception {
        Path file = ReferenceData.file(name);
        long size = Files.size(file);
        assertEquals(size, AudioSystem.getAudioFileFormat(file.toFile()).getByteLength());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            int atOpen = in.available();
            assertEquals(size, atOpen, "the whole file at the start: the header counts as played once playing starts");
            byte[] buffer = new byte[16_000];
            int previous = atOpen;
            long pcmLeft = in.getFrameLength() * in.getFormat().getFrameSize();
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                pcmLeft -= n;
                int now = in.available();
                assertTrue(now <= previous, "available went up: " + previous + " -> " + now);
                assertTrue(now <= pcmLeft, "more than the PCM left: " + now + " > " + pcmLeft);
                previous = now;
            }
            assertEquals(0, in.available(), "at the end");
            assertEquals(size, atOpen - in.available(), "a BasicPlayer-style position ends at the byte length");
        }
    }

    @Test
    void entropyCodedFileSaysWhy() throws Exception {
        File file = ReferenceData.file("vectors/48k_bw6_lm.ecdc").toFile();
        assertEquals(true, AudioSystem.getAudioFileFormat(file).getProperty(EcdcProperties.LM));
        IOException e = assertThrows(IOException.class, () -> AudioSystem.getAudioInputStream(file));
        assertTrue(e instanceof UnsupportedEcdcFeatureException, e.toString());
        assertTrue(e.getMessage().contains("entropy-coded (lm)"), e.getMessage());
        e = assertThrows(IOException.class, () -> AudioSystem.getAudioInputStream(file.toURI().toURL()));
        assertTrue(e.getMessage().contains("entropy-coded (lm)"), e.getMessage());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()))) {
            e = assertThrows(IOException.class, () -> AudioSystem.getAudioInputStream(in));
            assertTrue(e.getMessage().contains("entropy-coded (lm)"), e.getMessage());
            assertEquals('E', in.read(), "the stream is left at its start");
        }
    }
}
