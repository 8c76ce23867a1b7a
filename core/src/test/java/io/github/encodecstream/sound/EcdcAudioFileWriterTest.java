package io.github.encodecstream.sound;

import io.github.encodecstream.testing.Samples;

import io.github.encodecstream.testing.EcdcBytes;

import static io.github.encodecstream.sound.SoundTests.floats;
import static io.github.encodecstream.sound.SoundTests.readAll;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code AudioSystem.write(pcm, ECDC, ...)} and the PCM to ECDC conversion: the reference's files
 * from the reference's inputs, Encodec-Stream's bit rates, metadata, input formats, errors.
 */
class EcdcAudioFileWriterTest {
    @BeforeAll
    static void useReferenceModels() {
        WriterTests.useReferenceModels();
    }

    /**
     * A reference case's input (a WAV read by the JDK, cut to the case's length) written at the
     * case's bandwidth is the reference's file, byte for byte; it reads back through AudioSystem at
     * the right length and rate and decodes to the reference decoder's output.
     */
    @ParameterizedTest
    @ValueSource(strings = {"48k_bw6", "24k_bw6"})
    void referenceInputGivesTheReferenceFile(String name, @TempDir Path dir) throws Exception {
        Case c = ReferenceCases.named(name);
        JsonNode input = c.json().get("input");
        assertEquals(0, input.get("offset").asInt());
        int bitrate = (int) Math.round(c.json().get("bandwidth").asDouble() * 1000);
        File out = dir.resolve(name + ".ecdc").toFile();
        int written;
        long start = System.nanoTime();
        try (AudioInputStream pcm = WriterTests.wav(input.get("wav").asText(), c.length(),
                Map.of(EcdcProperties.BITRATE, bitrate))) {
            assertTrue(AudioSystem.isFileTypeSupported(EcdcFileFormatType.ECDC, pcm));
            written = AudioSystem.write(pcm, EcdcFileFormatType.ECDC, out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        byte[] expected = Files.readAllBytes(c.file(".ecdc"));
        byte[] actual = Files.readAllBytes(out.toPath());
        assertEquals(expected.length, written);
        assertArrayEquals(expected, actual, "the reference's file");
        report(String.format("write %s at %d bit/s: %d bytes, byte-identical to the reference, %.2f s", name, bitrate,
                written, seconds));

        AudioFileFormat fileFormat = AudioSystem.getAudioFileFormat(out);
        assertEquals(EcdcFileFormatType.ECDC, fileFormat.getType());
        assertEquals(c.length(), fileFormat.getFrameLength());
        assertEquals(0, fileFormat.getProperty(EcdcProperties.VERSION));
        assertEquals(bitrate, fileFormat.getFormat().getProperty(EcdcProperties.BITRATE));
        float[] decoded;
        try (AudioInputStream back = AudioSystem.getAudioInputStream(out);
             AudioInputStream floats = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, back)) {
            assertEquals(c.sampleRate(), floats.getFormat().getSampleRate());
            assertEquals(c.channels(), floats.getFormat().getChannels());
            assertEquals(c.length(), floats.getFrameLength());
            decoded = floats(readAll(floats), false);
        }
        assertEquals(c.length() * c.channels(), decoded.length);
        double error = Samples.maxError(SoundTests.reference(c.file(".out.f32")), 0, decoded);
        report(String.format("round trip %s: decoded %d samples per channel, max error vs reference decode %.3g", name,
                c.length(), error));
        assertTrue(error <= 1e-4, "error " + error);
    }

    /** The conversion's bytes are the reference's file too, and its format says what the file is. */
    @Test
    void conversionOfReferenceInputIsTheReferenceFile() throws Exception {
        Case c = ReferenceCases.named("48k_bw6");
        AudioFormat target = EcdcAudioFileWriter.targetFormat(Map.of(EcdcProperties.BITRATE, 6000));
        try (AudioInputStream pcm = WriterTests.wav("test_48k.wav", c.length(), Map.of());
             AudioInputStream ecdc = AudioSystem.getAudioInputStream(target, pcm)) {
            AudioFormat f = ecdc.getFormat();
            assertEquals(EcdcEncoding.ECDC, f.getEncoding());
            assertEquals(48_000f, f.getSampleRate());
            assertEquals(2, f.getChannels());
            assertEquals(AudioSystem.NOT_SPECIFIED, f.getFrameSize());
            assertEquals(AudioSystem.NOT_SPECIFIED, ecdc.getFrameLength());
            assertEquals(6000, f.getProperty(EcdcProperties.BITRATE));
            assertEquals(0, ecdc.available(), "nothing before the input is encoded");
            assertArrayEquals(Files.readAllBytes(c.file(".ecdc")), readAll(ecdc));
        }
    }

    /**
     * Bit rates by the rule: 1.5 kbps from 48 kHz stereo is Encodec-Stream's (24 kHz model, mono,
     * {@code sr} 24 000), 4.5 kbps its shifted 48 kHz model ({@code sr} 72 000), 12 kbps the
     * reference's 48 kHz model with 8 codebooks. Each file is what {@link PcmEncoder} makes of the
     * same floats with those options, and decodes through AudioSystem to {@code al} samples at the
     * played rate.
     */
    @ParameterizedTest(name = "{0} bit/s")
    @CsvSource({
        "1500, encodec_24khz, 2, 193, 24000, 1, 48000",
        "4500, encodec_48khz, 2, 193, 72000, 2, 144000",
        "12000, encodec_48khz, 8, 0, 48000, 2, 96000",
    })
    void bitrates(int bitrate, String model, int codebooks, int version, int rate, int channels, long length,
            @TempDir Path dir) throws Exception {
        int frames = 96_000; // 2 s of test_48k.wav
        File out = dir.resolve("b" + bitrate + ".ecdc").toFile();
        try (AudioInputStream pcm = WriterTests.wav("test_48k.wav", frames, Map.of(EcdcProperties.BITRATE, bitrate))) {
            AudioSystem.write(pcm, EcdcFileFormatType.ECDC, out);
        }
        byte[] file = Files.readAllBytes(out.toPath());
        EcdcHeader header = EcdcBytes.read(file);
        EcdcMetadata m = header.metadata();
        assertEquals(version, header.version());
        assertEquals(model, m.model());
        assertEquals(codebooks, m.codebooks());
        assertEquals(length, m.audioLength());
        assertEquals(rate, m.effectiveSampleRate());
        assertEquals(version == 0 ? null : bitrate / 1000.0, m.bitrate());
        assertEquals(version == 0 ? null : rate, m.shiftedSampleRate());
        assertEquals(bitrate, (int) Math.round(m.bandwidthKbps() * 1000), "the bit rate as played");

        EncoderOptions options = version == 0 ? EncoderOptions.of(ModelFamily.fromName(model).orElseThrow(), bitrate / 1000.0)
                : EncoderOptions.forBitrate(bitrate / 1000.0);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (PcmEncoder encoder = PcmEncoder.create(direct, options.withModels(ReferenceCases.models()), 48_000, 2)) {
            float[] pcm = Arrays.copyOf(WriterTests.wavFloats("test_48k.wav"), frames * 2);
            encoder.write(pcm, 0, frames);
            encoder.finish();
        }
        assertArrayEquals(direct.toByteArray(), file, "the writer's file is PcmEncoder's");

        AudioFileFormat fileFormat = AudioSystem.getAudioFileFormat(out);
        assertEquals(bitrate, fileFormat.getFormat().getProperty(EcdcProperties.BITRATE));
        assertEquals(version == 0 ? null : bitrate / 1000.0, fileFormat.getProperty(EcdcProperties.BR));
        try (AudioInputStream back = AudioSystem.getAudioInputStream(out)) {
            assertEquals(rate, back.getFormat().getSampleRate());
            assertEquals(channels, back.getFormat().getChannels());
            assertEquals(length, back.getFrameLength());
            assertEquals(length * channels * 2, readAll(back).length);
        }
        report(String.format("write %d bit/s from 48 kHz stereo: %s, %d codebooks, version %d, played at %d Hz, "
                + "%d bytes for 2 s, decodes to %d samples per channel", bitrate, model, codebooks, version, rate,
                file.length, length));
    }

    /**
     * The properties of an Encodec-Stream file's {@code AudioFileFormat} ({@code ecdc.br},
     * {@code ecdc.model}, {@code title}, {@code ecdc.source}, {@code ecdc.thumbnail}...) handed to
     * the writer with the same input (7 s of test_48k.wav) give Encodec-Stream's file: its header
     * byte for byte, every code, and the scales but for a factor 32768/32767 (Encodec-Stream seems to
     * read 16-bit PCM as {@code v / 32767}, where the reference and this writer read {@code v / 32768}).
     */
    @Test
    void encodecStreamFileFromItsProperties() throws Exception {
        Path seed = io.github.encodecstream.testing.ReferenceData.file("seed/seed_b6.ecdc");
        AudioFileFormat seedFormat = AudioSystem.getAudioFileFormat(seed.toFile());
        assertEquals(6.0, seedFormat.getProperty(EcdcProperties.BR));
        byte[] file;
        try (AudioInputStream pcm = WriterTests.wav("test_48k.wav", 336_000, seedFormat.properties())) {
            file = WriterTests.write(pcm);
        }
        byte[] expected = Files.readAllBytes(seed);
        EcdcHeader header = EcdcBytes.read(file);
        assertEquals(EcdcBytes.read(expected), header, "Encodec-Stream's header: version, JSON bytes");
        assertEquals(expected.length, file.length);
        SegmentLayout layout = SegmentLayout.of(header);
        double maxScaleError = 0;
        for (int s = 0; s < layout.segmentCount(); s++) {
            int at = (int) layout.byteOffset(s); // the scale, then the codes
            int end = (int) layout.byteOffset(s + 1);
            float ours = ByteBuffer.wrap(file, at, 4).getFloat();
            float theirs = ByteBuffer.wrap(expected, at, 4).getFloat();
            maxScaleError = Math.max(maxScaleError, Math.abs(theirs / ours - 32768.0 / 32767));
            assertArrayEquals(Arrays.copyOfRange(expected, at + SegmentLayout.SCALE_BYTES, end),
                    Arrays.copyOfRange(file, at + SegmentLayout.SCALE_BYTES, end),
                    "codes of segment " + s);
        }
        report(String.format("seed_b6 from its own properties: header and all codes identical, %d bytes; scales x "
                + "32768/32767 within %.2g", file.length, maxScaleError));
        assertTrue(maxScaleError < 1e-6, "scale ratio off by " + maxScaleError);
    }

    /** {@code title}, {@code ecdc.source}, {@code ecdc.thumbnail} become {@code n}, {@code s}, {@code t} and come back. */
    @Test
    void metadata(@TempDir Path dir) throws Exception {
        String title = "\u00dcber Lied \u2713 \"quoted\"";
        String source = "https://example.com/song?id=1&x=\u00e9";
        String thumbnail = "https://example.com/cover.jpg";
        Map<String, Object> properties = Map.of(EcdcProperties.BITRATE, 6000, EcdcProperties.TITLE, title,
                EcdcProperties.SOURCE, source, EcdcProperties.THUMBNAIL, java.net.URI.create(thumbnail));
        File out = dir.resolve("meta.ecdc").toFile();
        try (AudioInputStream pcm = WriterTests.wav("test_48k.wav", 24_000, properties)) {
            AudioSystem.write(pcm, EcdcFileFormatType.ECDC, out);
        }
        byte[] file = Files.readAllBytes(out.toPath());
        EcdcMetadata m = EcdcBytes.read(file).metadata();
        assertEquals(193, EcdcBytes.read(file).version());
        assertEquals(title, m.name());
        assertEquals(source, m.source());
        assertEquals(thumbnail, m.thumbnail());
        assertNull(m.bitrate(), "the reference's model and bandwidth: no br");
        AudioFileFormat f = AudioSystem.getAudioFileFormat(out);
        assertEquals(title, f.getProperty(EcdcProperties.TITLE));
        assertEquals(source, f.getProperty(EcdcProperties.SOURCE));
        assertEquals(thumbnail, f.getProperty(EcdcProperties.THUMBNAIL));

        byte[] plain;
        try (AudioInputStream pcm = WriterTests.wav("test_48k.wav", 24_000, Map.of(EcdcProperties.BITRATE, 6000))) {
            plain = WriterTests.write(pcm);
        }
        int body = plain.length - EcdcBytes.read(plain).toBytes().length;
        assertArrayEquals(Arrays.copyOfRange(plain, plain.length - body, plain.length),
                Arrays.copyOfRange(file, file.length - body, file.length), "the same codes");
        assertEquals(file.length - body, EcdcBytes.read(file).toBytes().length);
    }

    /**
     * The conversion's bytes, {@code AudioSystem.write} of the conversion, and the writer on the
     * PCM stream (settings in its format) are the same file; 44.1 kHz stereo at 6 kbps is
     * Encodec-Stream's 48 kHz model with {@code sr} 48 000.
     */
    @Test
    void conversionEqualsWriter() throws Exception {
        int rate = 44_100;
        float[] samples = WriterTests.sine(rate, 2, rate, 440, 0.5, 1.0 / 32768);
        Map<String, Object> settings = Map.of(EcdcProperties.BITRATE, 6000, EcdcProperties.TITLE, "sine");
        AudioFormat plain = WriterTests.format(Encoding.PCM_SIGNED, rate, 16, 2, false, Map.of());
        AudioFormat withSettings = WriterTests.format(Encoding.PCM_SIGNED, rate, 16, 2, false, settings);
        AudioFormat target = EcdcAudioFileWriter.targetFormat(settings);

        byte[] written = WriterTests.write(WriterTests.stream(samples, withSettings));
        byte[] converted;
        try (AudioInputStream ecdc = AudioSystem.getAudioInputStream(target, WriterTests.stream(samples, plain))) {
            assertEquals(48_000f, ecdc.getFormat().getSampleRate());
            assertEquals(2, ecdc.getFormat().getChannels());
            converted = readAll(ecdc);
        }
        byte[] convertedThenWritten = WriterTests.write(AudioSystem.getAudioInputStream(target,
                WriterTests.stream(samples, plain)));
        byte[] byEncoding;
        try (AudioInputStream ecdc = AudioSystem.getAudioInputStream(EcdcEncoding.ECDC,
                WriterTests.stream(samples, withSettings))) {
            byEncoding = readAll(ecdc);
        }
        assertArrayEquals(written, converted);
        assertArrayEquals(written, convertedThenWritten);
        assertArrayEquals(written, byEncoding);
        EcdcMetadata m = EcdcBytes.read(written).metadata();
        assertEquals(48_000, m.shiftedSampleRate());
        assertEquals(6.0, m.bitrate());
        assertEquals("sine", m.name());
        assertEquals(48_000, m.audioLength(), "1 s at 44.1 kHz resampled to 48 kHz");
        report("conversion, AudioSystem.write of the conversion and of the PCM: the same " + written.length + " bytes");

        // the provider's view
        EcdcFormatConversionProvider provider = new EcdcFormatConversionProvider();
        assertTrue(AudioSystem.isConversionSupported(EcdcEncoding.ECDC, plain));
        assertTrue(Arrays.asList(AudioSystem.getTargetEncodings(plain)).contains(EcdcEncoding.ECDC));
        AudioFormat[] formats = provider.getTargetFormats(EcdcEncoding.ECDC, plain);
        assertEquals(List.of(6000, 1500, 3000, 12_000, 24_000),
                Arrays.stream(formats).map(f -> f.getProperty(EcdcProperties.BITRATE)).toList());
        for (AudioFormat f : formats) {
            assertTrue(provider.isConversionSupported(f, plain), f.toString());
        }
        AudioFormat wrongRate = new AudioFormat(EcdcEncoding.ECDC, 44_100, AudioSystem.NOT_SPECIFIED, 2,
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, false, settings);
        assertFalse(provider.isConversionSupported(wrongRate, plain));
        assertThrows(IllegalArgumentException.class,
                () -> AudioSystem.getAudioInputStream(wrongRate, WriterTests.stream(samples, plain)));
    }

    /**
     * The same samples (8-bit resolution) in every PCM format the writer reads give the same file:
     * signed, unsigned, float, 8 to 64 bits, both byte orders.
     */
    @Test
    void everyInputFormatReadsTheSameSamples() throws Exception {
        int rate = 24_000;
        float[] samples = WriterTests.sine(rate, 1, 6000, 300, 0.7, 1.0 / 128);
        Map<String, Object> settings = Map.of(EcdcProperties.BITRATE, 1500);
        byte[] expected = WriterTests.write(WriterTests.stream(samples,
                WriterTests.format(Encoding.PCM_SIGNED, rate, 16, 1, false, settings)));
        assertEquals(0, EcdcBytes.read(expected).version(), "24 kHz mono at 1.5 kbps: the reference's file");
        Object[][] formats = {
            {Encoding.PCM_SIGNED, 8, false}, {Encoding.PCM_UNSIGNED, 8, false}, {Encoding.PCM_SIGNED, 16, true},
            {Encoding.PCM_UNSIGNED, 16, false}, {Encoding.PCM_SIGNED, 24, false}, {Encoding.PCM_SIGNED, 24, true},
            {Encoding.PCM_UNSIGNED, 24, true}, {Encoding.PCM_SIGNED, 32, false}, {Encoding.PCM_SIGNED, 32, true},
            {Encoding.PCM_UNSIGNED, 32, false}, {Encoding.PCM_FLOAT, 32, false}, {Encoding.PCM_FLOAT, 32, true},
            {Encoding.PCM_FLOAT, 64, false}, {Encoding.PCM_FLOAT, 64, true},
        };
        for (Object[] f : formats) {
            AudioFormat format = WriterTests.format((Encoding) f[0], rate, (int) f[1], 1, (boolean) f[2], settings);
            assertArrayEquals(expected, WriterTests.write(WriterTests.stream(samples, format)), format.toString());
        }
    }

    /** A stream written in pieces that split frames (a custom stream) reads the same. */
    @Test
    void partialFramesFromTheStream() throws Exception {
        int rate = 24_000;
        float[] samples = WriterTests.sine(rate, 2, 4000, 500, 0.3, 1.0 / 32768);
        AudioFormat format = WriterTests.format(Encoding.PCM_SIGNED, rate, 24, 2, false,
                Map.of(EcdcProperties.BITRATE, 3000));
        byte[] bytes = WriterTests.bytes(samples, format);
        byte[] expected = WriterTests.write(WriterTests.stream(samples, format));
        java.io.InputStream trickle = new java.io.ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7)); // 7 bytes: never a whole number of 6-byte frames
            }
        };
        AudioInputStream odd = new AudioInputStream(trickle, format, AudioSystem.NOT_SPECIFIED) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return trickle.read(b, off, len); // bypasses AudioInputStream's whole-frame reads
            }
        };
        assertArrayEquals(expected, WriterTests.write(odd));
    }

    /**
     * What the writer refuses: other types and non-PCM streams with IllegalArgumentException,
     * before reading; unusable settings with an IOException naming them, the file not created.
     */
    @Test
    void errors(@TempDir Path dir) throws Exception {
        EcdcAudioFileWriter writer = new EcdcAudioFileWriter(ReferenceCases.models());
        float[] samples = WriterTests.sine(48_000, 2, 4800, 440, 0.5, 1.0 / 32768);
        AudioFormat pcm = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 2, false, Map.of());
        AudioFormat ulaw = new AudioFormat(Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        AudioInputStream ulawStream = new AudioInputStream(new java.io.ByteArrayInputStream(new byte[800]), ulaw, 800);
        File out = dir.resolve("x.ecdc").toFile();

        assertEquals(0, writer.getAudioFileTypes(ulawStream).length);
        assertFalse(AudioSystem.isFileTypeSupported(EcdcFileFormatType.ECDC, ulawStream));
        assertThrows(IllegalArgumentException.class, () -> writer.write(ulawStream, EcdcFileFormatType.ECDC, out));
        assertThrows(IllegalArgumentException.class,
                () -> AudioSystem.write(ulawStream, EcdcFileFormatType.ECDC, new ByteArrayOutputStream()));
        assertEquals(800, ulawStream.available(), "nothing read");

        AudioInputStream pcmStream = WriterTests.stream(samples, pcm);
        assertArrayEquals(new AudioFileFormat.Type[] {EcdcFileFormatType.ECDC}, writer.getAudioFileTypes(pcmStream));
        assertThrows(IllegalArgumentException.class,
                () -> writer.write(pcmStream, AudioFileFormat.Type.WAVE, new ByteArrayOutputStream()));
        assertEquals(samples.length * 2, pcmStream.available(), "nothing read");
        assertFalse(out.exists());

        AudioFormat sixChannels = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 6, false, Map.of());
        AudioInputStream six = new AudioInputStream(new java.io.ByteArrayInputStream(new byte[1200]), sixChannels, 100);
        assertThrows(IllegalArgumentException.class, () -> writer.write(six, EcdcFileFormatType.ECDC, out),
                "6 channels for the 48 kHz model");

        Map<String, Object[]> invalid = new HashMap<>();
        invalid.put("bitrate -1", new Object[] {EcdcProperties.BITRATE, -1});
        invalid.put("bitrate NaN", new Object[] {EcdcProperties.BITRATE, Double.NaN});
        invalid.put("bitrate 6k", new Object[] {EcdcProperties.BITRATE, "6k"});
        invalid.put("bitrate 10 Mbit/s", new Object[] {EcdcProperties.BITRATE, 10_000_000});
        invalid.put("ecdc.model encodec_96khz", new Object[] {EcdcProperties.MODEL, "encodec_96khz"});
        invalid.put("title 42", new Object[] {EcdcProperties.TITLE, 42});
        for (Map.Entry<String, Object[]> e : invalid.entrySet()) {
            Map<String, Object> properties = Map.of((String) e.getValue()[0], e.getValue()[1]);
            AudioInputStream in = WriterTests.stream(samples, WriterTests.withProperties(pcm, properties));
            IOException thrown = assertThrows(IOException.class, () -> AudioSystem.write(in, EcdcFileFormatType.ECDC, out),
                    e.getKey());
            assertTrue(thrown.getMessage().contains((String) e.getValue()[0]), thrown.getMessage());
            assertFalse(out.exists(), e.getKey() + ": no file");
            AudioFormat target = EcdcAudioFileWriter.targetFormat(properties);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AudioSystem.getAudioInputStream(target, WriterTests.stream(samples, pcm)), e.getKey());
            assertTrue(refused.getMessage().contains((String) e.getValue()[0]), refused.getMessage());
        }
        Map<String, Object> tooHigh = Map.of(EcdcProperties.BITRATE, 48_000, EcdcProperties.MODEL, "encodec_48khz");
        IOException thrown = assertThrows(IOException.class, () -> AudioSystem.write(
                WriterTests.stream(samples, WriterTests.withProperties(pcm, tooHigh)), EcdcFileFormatType.ECDC, out));
        report("48 kbps on the 48 kHz model: " + thrown.getMessage());
        Map<String, Object> conflict = Map.of(EcdcProperties.BR, 6, EcdcProperties.MODEL, "encodec_24khz");
        thrown = assertThrows(IOException.class, () -> AudioSystem.write(
                WriterTests.stream(samples, WriterTests.withProperties(pcm, conflict)), EcdcFileFormatType.ECDC, out));
        report("ecdc.br 6 with encodec_24khz: " + thrown.getMessage());
        assertFalse(out.exists());
    }

    /** {@code ecdc.model} picks the model, by the reference's rule, whatever the input. */
    @Test
    void modelProperty() throws Exception {
        float[] samples = WriterTests.sine(48_000, 2, 9600, 440, 0.5, 1.0 / 32768);
        AudioFormat format = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 2, false,
                Map.of(EcdcProperties.BITRATE, 6000, EcdcProperties.MODEL, "encodec_24khz"));
        EcdcHeader header = EcdcBytes.read(WriterTests.write(WriterTests.stream(samples, format)));
        assertEquals(0, header.version());
        assertEquals(ModelFamily.ENCODEC_24KHZ, header.family());
        assertEquals(8, header.metadata().codebooks());
        assertEquals(4800, header.metadata().audioLength());
    }
}
