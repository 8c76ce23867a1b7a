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

    /** A stream probe marks the header with its LM index (a strict stream: a mark read past its limit is gone). */
    @Test
    void probeOfAStreamMarksTheIndexToo() throws Exception {
        byte[] coded = WriterTests.write(WriterTests.wav("test_48k.wav", 150_000, Map.of("bitrate", 6000, "ecdc.lm", true)));
        StrictMarkStream in = new StrictMarkStream(coded);
        AudioFileFormat f = AudioSystem.getAudioFileFormat(in);
        assertEquals(true, f.getProperty("ecdc.lmIndex"));
        assertEquals(null, f.getProperty("ecdc.lmChunkSteps"));
        assertArrayEquals(coded, in.readAllBytes(), "the stream is back at its start");
    }

    /** Marks that hold exactly their read limit. */
    private static final class StrictMarkStream extends java.io.InputStream {
        private final byte[] data;
        private int pos;
        private int mark = -1;
        private int limit;

        StrictMarkStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            if (pos >= data.length) {
                return -1;
            }
            if (mark >= 0 && pos - mark >= limit) {
                mark = -1;
            }
            return data[pos++] & 0xFF;
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = pos;
            limit = readLimit;
        }

        @Override
        public synchronized void reset() throws IOException {
            if (mark < 0) {
                throw new IOException("mark invalid");
            }
            pos = mark;
        }
    }

    @Test
    void lmPropertyMustBeABoolean() {
        assertThrows(IOException.class, () -> WriterTests.write(
                WriterTests.wav("test_48k.wav", 1000, Map.of("ecdc.lm", "yes"))));
    }
}
