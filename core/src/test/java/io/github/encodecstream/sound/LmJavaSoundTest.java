package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AudioSystem.write} with {@code ecdc.lm}, and reading the entropy-coded file back through Java Sound. */
class LmJavaSoundTest {
    @BeforeAll
    static void models() {
        WriterTests.useReferenceModels();
    }

    @Test
    void writesAndReadsAnLmFile(@TempDir Path dir) throws Exception {
        byte[] plain = WriterTests.write(WriterTests.wav("test_48k.wav", 60_000, Map.of("bitrate", 6000)));
        byte[] coded = WriterTests.write(WriterTests.wav("test_48k.wav", 60_000, Map.of("bitrate", 6000, "ecdc.lm", true)));
        EcdcMetadata m = EcdcHeader.read(new ByteArrayInputStream(coded)).metadata();
        assertTrue(m.lm());
        assertEquals(EcdcMetadata.LM_VERSION, m.lmVersion());
        Path p = dir.resolve("plain.ecdc");
        Path c = dir.resolve("lm.ecdc");
        Files.write(p, plain);
        Files.write(c, coded);
        AudioFileFormat f = AudioSystem.getAudioFileFormat(c.toFile());
        assertEquals(true, f.getProperty("ecdc.lm"));
        assertEquals(EcdcMetadata.LM_VERSION, f.getProperty("ecdc.lmVersion"));
        byte[] a;
        byte[] b;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(p.toFile())) {
            a = in.readAllBytes();
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(c.toFile())) {
            b = in.readAllBytes();
        }
        assertEquals(60_000 * 4, b.length);
        assertArrayEquals(a, b);
    }

    @Test
    void lmPropertyMustBeABoolean() {
        assertThrows(IOException.class, () -> WriterTests.write(
                WriterTests.wav("test_48k.wav", 1000, Map.of("ecdc.lm", "yes"))));
    }
}
