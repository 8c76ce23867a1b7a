package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AudioSystem.getAudioFileFormat}: the type, format and the properties of {@link EcdcProperties}. */
class FileFormatTest {
    @Test
    void referenceFile() throws Exception {
        AudioFileFormat f = AudioSystem.getAudioFileFormat(ReferenceData.file("vectors/48k_bw6.ecdc").toFile());
        assertEquals(EcdcFileFormatType.ECDC, f.getType());
        assertEquals(350_003, f.getFrameLength());
        AudioFormat format = f.getFormat();
        assertEquals(EcdcEncoding.ECDC, format.getEncoding());
        assertEquals(48_000f, format.getSampleRate());
        assertEquals(2, format.getChannels());
        assertEquals(Map.of("bitrate", 6000, "vbr", false), format.properties());
        assertEquals(Map.of("duration", 7_291_729L, "ecdc.version", 0, "ecdc.model", "encodec_48khz",
                "ecdc.modelSampleRate", 48_000, "ecdc.codebooks", 4, "ecdc.bandwidth", 6.0, "ecdc.lm", false),
                f.properties());
    }

    @Test
    void encodecStreamFile() throws Exception {
        AudioFileFormat f = AudioSystem.getAudioFileFormat(ReferenceData.file("seed/seed_b6.ecdc").toFile());
        assertEquals(336_000, f.getFrameLength());
        assertEquals(48_000f, f.getFormat().getSampleRate());
        Map<String, Object> p = f.properties();
        assertEquals(7_000_000L, p.get("duration"));
        assertEquals("Test Song", p.get("title"));
        assertEquals(193, p.get("ecdc.version"));
        assertEquals("https://example.com/test", p.get("ecdc.source"));
        assertEquals("https://example.com/thumb.jpg", p.get("ecdc.thumbnail"));
        assertEquals(48_000, p.get("ecdc.sampleRate"));
        assertEquals(6.0, p.get("ecdc.br"));
        assertEquals(6.0, p.get("ecdc.bandwidth"));
        assertEquals(6000, f.getFormat().getProperty("bitrate"));

        AudioFileFormat named = AudioSystem.getAudioFileFormat(ReferenceData.file("seed/seed_b4.5.ecdc").toFile());
        assertEquals("\u00dcber Lied \u2713", named.getProperty("title"));
        assertEquals(72_000f, named.getFormat().getSampleRate());
        assertEquals(4500, named.getFormat().getProperty("bitrate"));
        assertEquals(7_000_000L, named.getProperty("duration"));
    }

    /** A 24 kHz model file played at 12 kHz: 84000 frames are 7 s (not 3.5 s, nor the 14 s the seed tool prints). */
    @Test
    void shiftedRateDuration() throws Exception {
        AudioFileFormat f = AudioSystem.getAudioFileFormat(ReferenceData.file("seed/seed_b0.75.ecdc").toFile());
        assertEquals(12_000f, f.getFormat().getSampleRate());
        assertEquals(12_000f, f.getFormat().getFrameRate());
        assertEquals(1, f.getFormat().getChannels());
        assertEquals(84_000, f.getFrameLength());
        assertEquals(7_000_000L, f.getProperty("duration"));
        assertEquals(12_000, f.getProperty("ecdc.sampleRate"));
        assertEquals(24_000, f.getProperty("ecdc.modelSampleRate"));
        assertEquals(750, f.getFormat().getProperty("bitrate"));
        assertEquals(0.75, f.getProperty("ecdc.bandwidth"));
    }

    @Test
    void entropyCodedFileHasAFormatButNoStream() throws Exception {
        Path lm = ReferenceData.file("vectors/48k_bw6_lm.ecdc");
        AudioFileFormat f = AudioSystem.getAudioFileFormat(lm.toFile());
        assertEquals(true, f.getProperty("ecdc.lm"));
        assertEquals(true, f.getFormat().getProperty("vbr"));
        UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class,
                () -> new EcdcAudioFileReader().getAudioInputStream(lm.toFile()));
        assertTrue(e.getMessage().contains("floating-point arithmetic"), e.getMessage());
    }

    @Test
    void unknownKeys(@TempDir Path dir) throws Exception {
        byte[] original = Files.readAllBytes(ReferenceData.file("vectors/24k_short.ecdc"));
        EcdcHeader header = EcdcHeader.read(new java.io.ByteArrayInputStream(original));
        JsonNodeFactory json = JsonNodeFactory.instance;
        EcdcMetadata m = header.metadata().toBuilder()
                .putExtra("artist", json.textNode("Someone"))
                .putExtra("year", json.numberNode(1999))
                .putExtra("gain", json.numberNode(0.5))
                .putExtra("live", json.booleanNode(true))
                .putExtra("tags", json.arrayNode().add("a").add(1))
                .putExtra("nothing", json.nullNode())
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcHeader.of(193, m).write(out);
        out.write(original, (int) header.frameDataOffset(), original.length - (int) header.frameDataOffset());
        Path file = dir.resolve("extra.ecdc");
        Files.write(file, out.toByteArray());

        AudioFileFormat f = AudioSystem.getAudioFileFormat(file.toFile());
        assertEquals("Someone", f.getProperty("ecdc.extra.artist"));
        assertEquals(1999L, f.getProperty("ecdc.extra.year"));
        assertEquals(0.5, f.getProperty("ecdc.extra.gain"));
        assertEquals(true, f.getProperty("ecdc.extra.live"));
        assertEquals("[\"a\",1]", f.getProperty("ecdc.extra.tags"));
        assertEquals("null", f.getProperty("ecdc.extra.nothing"));
        assertNull(f.getProperty("title"));
        assertFalse(f.properties().containsKey("ecdc.br"));
        assertEquals(100, f.getFrameLength());
    }

    @Test
    void microsecondsRound() {
        assertEquals(7_291_729L, EcdcProperties.microseconds(350_003, 48_000)); // 7291729.17
        assertEquals(1L, EcdcProperties.microseconds(1, 1_000_000));
        assertEquals(21L, EcdcProperties.microseconds(1, 48_000)); // 20.83
        assertEquals(EcdcMetadata.MAX_AUDIO_LENGTH / 48 * 1000, EcdcProperties.microseconds(EcdcMetadata.MAX_AUDIO_LENGTH, 48_000));
    }
}
