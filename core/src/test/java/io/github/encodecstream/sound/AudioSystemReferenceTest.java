package io.github.encodecstream.sound;

import io.github.encodecstream.testing.Samples;
import static io.github.encodecstream.sound.SoundTests.floats;
import static io.github.encodecstream.sound.SoundTests.ints;
import static io.github.encodecstream.sound.SoundTests.maxLsb;
import static io.github.encodecstream.sound.SoundTests.readWav;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance test of the plugin, through {@code javax.sound.sampled} only: every non-LM
 * reference vector opened from a File, an http URL and an InputStream, written with the JDK's
 * WAV writer and read back: 16-bit samples within 1 LSB of {@code round(x * 32768)} (clipped) of
 * the reference output, PCM_FLOAT within 1e-4.
 */
class AudioSystemReferenceTest {
    /** Where a file comes from. */
    enum Source { FILE, URL, STREAM }

    private static SoundTests.FileServer server;

    @BeforeAll
    static void setUp() throws IOException {
        SoundTests.useReferenceModels();
        server = new SoundTests.FileServer(ReferenceData.root().toAbsolutePath().normalize());
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> casesAndSources() {
        return ReferenceCases.nonLm().flatMap(c -> Stream.of(Source.values()).map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("casesAndSources")
    void sixteenBitWithinOneLsb(Case c, Source source, @TempDir Path dir) throws Exception {
        Path ecdc = c.file(".ecdc");
        Path wav = dir.resolve("out.wav");
        try (Opened opened = open(source, ecdc)) {
            AudioFileFormat fileFormat = opened.fileFormat;
            assertEquals(EcdcFileFormatType.ECDC, fileFormat.getType());
            assertEquals("ecdc", fileFormat.getType().getExtension());
            assertEquals(c.length(), fileFormat.getFrameLength());
            AudioFormat coded = fileFormat.getFormat();
            assertEquals(EcdcEncoding.ECDC, coded.getEncoding());
            assertEquals(c.sampleRate(), coded.getSampleRate());
            assertEquals(c.channels(), coded.getChannels());

            AudioInputStream in = opened.stream;
            AudioFormat pcm = in.getFormat();
            assertEquals(new AudioFormat(c.sampleRate(), 16, c.channels(), true, false).toString(), pcm.toString());
            assertEquals(c.length(), in.getFrameLength());
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        int[] samples = ints(readWav(wav, Encoding.PCM_SIGNED, 16), 16, false);
        assertEquals(c.length() * c.channels(), samples.length);
        long lsb = maxLsb(samples, SoundTests.reference(c.file(".out.f32")), 0, 16);
        report("16-bit " + source + " " + c.name() + ": max " + lsb + " LSB over " + samples.length + " samples");
        assertTrue(lsb <= 1, c.name() + ": " + lsb + " LSB");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#nonLm")
    void floatWithinTolerance(Case c, @TempDir Path dir) throws Exception {
        Path wav = dir.resolve("out.wav");
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(c.file(".ecdc").toFile());
             AudioInputStream in = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm)) {
            assertInstanceOf(EcdcAudioInputStream.class, in, "converted by this plugin, not from 16 bits");
            assertEquals(new AudioFormat(Encoding.PCM_FLOAT, c.sampleRate(), 32, c.channels(), 4 * c.channels(),
                    c.sampleRate(), false).toString(), in.getFormat().toString());
            assertEquals(c.length(), in.getFrameLength());
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        float[] samples = floats(readWav(wav, Encoding.PCM_FLOAT, 32), false);
        assertEquals(c.length() * c.channels(), samples.length);
        double error = Samples.maxError(SoundTests.reference(c.file(".out.f32")), 0, samples);
        report("PCM_FLOAT FILE " + c.name() + ": max error " + error);
        assertTrue(error <= 1e-4, c.name() + ": " + error);
    }

    /** Encodec-Stream's files: played as decoded at their {@code sr}, {@code al} frames. */
    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b4.5", "seed_b6", "seed_b32"})
    void shiftedRateFiles(String name, @TempDir Path dir) throws Exception {
        Path ecdc = ReferenceData.file("seed/" + name + ".ecdc");
        EcdcHeader header;
        try (InputStream in = Files.newInputStream(ecdc)) {
            header = EcdcHeader.read(in);
        }
        int rate = header.metadata().effectiveSampleRate();
        int channels = header.family().channels();
        Path wav = dir.resolve("out.wav");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(ecdc.toFile())) {
            assertEquals(new AudioFormat(rate, 16, channels, true, false).toString(), in.getFormat().toString());
            assertEquals(header.metadata().audioLength(), in.getFrameLength());
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        int[] samples = ints(readWav(wav, Encoding.PCM_SIGNED, 16), 16, false);
        assertEquals(header.metadata().audioLength() * channels, samples.length);
        long lsb = maxLsb(samples, SoundTests.referenceFor(ecdc), 0, 16);
        report("16-bit FILE " + name + " (" + rate + " Hz): max " + lsb + " LSB over " + samples.length + " samples");
        assertTrue(lsb <= 1, name + ": " + lsb + " LSB");
    }

    /** A file format and a stream of one file, read as {@code source} says. */
    private static Opened open(Source source, Path ecdc) throws IOException, UnsupportedAudioFileException {
        switch (source) {
            case FILE:
                return new Opened(AudioSystem.getAudioFileFormat(ecdc.toFile()),
                        AudioSystem.getAudioInputStream(ecdc.toFile()), null);
            case URL:
                String name = ReferenceData.root().toAbsolutePath().normalize()
                        .relativize(ecdc.toAbsolutePath().normalize()).toString();
                return new Opened(AudioSystem.getAudioFileFormat(server.url(name)),
                        AudioSystem.getAudioInputStream(server.url(name)), null);
            default:
                // one stream for both: getAudioFileFormat must leave it where it was
                InputStream in = new BufferedInputStream(Files.newInputStream(ecdc));
                AudioFileFormat format = AudioSystem.getAudioFileFormat(in);
                return new Opened(format, AudioSystem.getAudioInputStream(in), in);
        }
    }

    /** What {@link #open} opened. */
    private static final class Opened implements AutoCloseable {
        final AudioFileFormat fileFormat;
        final AudioInputStream stream;
        final InputStream input;

        Opened(AudioFileFormat fileFormat, AudioInputStream stream, InputStream input) {
            this.fileFormat = fileFormat;
            this.stream = stream;
            this.input = input;
        }

        @Override
        public void close() throws IOException {
            stream.close();
            if (input != null) {
                input.close();
            }
        }
    }
}
