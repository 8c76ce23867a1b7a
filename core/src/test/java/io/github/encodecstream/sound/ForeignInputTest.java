package io.github.encodecstream.sound;

import io.github.encodecstream.testing.EcdcBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceData;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.AudioFileReader;
import javax.sound.sampled.spi.FormatConversionProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is not an {@code .ecdc} file: the reader throws {@link UnsupportedAudioFileException}
 * (nothing else, so AudioSystem tries its other readers), leaves streams where they were, and
 * the JDK still opens its own formats with this plugin installed.
 */
class ForeignInputTest {
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() throws IOException {
        SoundTests.useReferenceModels();
        FILES.put("wav", written(AudioFileFormat.Type.WAVE));
        FILES.put("aiff", written(AudioFileFormat.Type.AIFF));
        FILES.put("au", written(AudioFileFormat.Type.AU));
        byte[] random = new byte[1024];
        new Random(20261126).nextBytes(random);
        FILES.put("random", random);
        FILES.put("mp3", mp3Like());
        FILES.put("empty", new byte[0]);
        FILES.put("two bytes of the magic", "EC".getBytes(StandardCharsets.US_ASCII));
        FILES.put("magic only", "ECDC".getBytes(StandardCharsets.US_ASCII));
        FILES.put("unknown version", EcdcBytes.header(7, "{}"));
        FILES.put("cut in the metadata", Arrays.copyOf(EcdcBytes.header(0, "{\"m\": \"encodec_24khz\"}"), 15));
        FILES.put("bad metadata", EcdcBytes.header(0, "{\"m\": \"encodec_96khz\", \"al\": 1, \"nc\": 1, \"lm\": false}"));
        FILES.put("huge metadata length", new byte[] {'E', 'C', 'D', 'C', 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            Files.write(file(e.getKey()), e.getValue());
        }
    }

    /** A second of a 440 Hz tone, 16-bit stereo at 44.1 kHz, written by the JDK's writer of {@code type}. */
    private static byte[] written(AudioFileFormat.Type type) throws IOException {
        AudioFormat format = new AudioFormat(44_100, 16, 2, true, type != AudioFileFormat.Type.WAVE);
        byte[] pcm = new byte[44_100 * 4];
        for (int i = 0; i < 44_100; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 44_100.0));
            for (int ch = 0; ch < 2; ch++) {
                int at = 4 * i + 2 * ch;
                pcm[at + (format.isBigEndian() ? 0 : 1)] = (byte) (v >> 8);
                pcm[at + (format.isBigEndian() ? 1 : 0)] = (byte) v;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), format, 44_100), type, out);
        return out.toByteArray();
    }

    /** An ID3v2 tag followed by MPEG-1 layer III frame headers. */
    private static byte[] mp3Like() {
        byte[] b = new byte[2048];
        byte[] id3 = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 10};
        System.arraycopy(id3, 0, b, 0, id3.length);
        for (int at = 20; at + 4 < b.length; at += 418) {
            b[at] = (byte) 0xFF;
            b[at + 1] = (byte) 0xFB;
            b[at + 2] = (byte) 0x90;
            b[at + 3] = 0x64;
        }
        return b;
    }

    private static Path file(String name) {
        return dir.resolve(name.replace(' ', '_'));
    }

    static Stream<String> foreign() {
        return Stream.of("wav", "aiff", "au", "random", "mp3", "empty", "two bytes of the magic", "magic only",
                "unknown version", "cut in the metadata", "bad metadata", "huge metadata length");
    }

    @ParameterizedTest
    @MethodSource("foreign")
    void declinedAndStreamLeftWhereItWas(String name) throws Exception {
        byte[] bytes = FILES.get(name);
        EcdcAudioFileReader reader = new EcdcAudioFileReader();
        for (int call = 0; call < 2; call++) {
            try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(bytes), 64)) {
                if (call == 0) {
                    assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioFileFormat(in));
                } else {
                    assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioInputStream(in));
                }
                assertEquals(bytes.length == 0 ? -1 : bytes[0] & 0xFF, in.read(), "the stream's first byte");
                byte[] rest = in.readAllBytes();
                assertEquals(Math.max(0, bytes.length - 1), rest.length);
            }
        }
        assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioFileFormat(file(name).toFile()));
        assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioInputStream(file(name).toFile()));
        assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioFileFormat(file(name).toUri().toURL()));
        assertThrows(UnsupportedAudioFileException.class, () -> reader.getAudioInputStream(file(name).toUri().toURL()));
        try (SoundTests.FileServer server = new SoundTests.FileServer(dir)) {
            assertThrows(UnsupportedAudioFileException.class,
                    () -> reader.getAudioInputStream(server.url(file(name).getFileName().toString())));
        }
    }

    /** A stream without mark/reset is declined before a byte is read. */
    @ParameterizedTest
    @MethodSource("foreign")
    void notMarkableDeclinedUnread(String name) throws Exception {
        byte[] bytes = FILES.get(name);
        try (InputStream in = new NotMarkable(new ByteArrayInputStream(bytes))) {
            assertThrows(UnsupportedAudioFileException.class, () -> new EcdcAudioFileReader().getAudioInputStream(in));
            assertThrows(UnsupportedAudioFileException.class, () -> new EcdcAudioFileReader().getAudioFileFormat(in));
            assertEquals(bytes.length == 0 ? -1 : bytes[0] & 0xFF, in.read());
        }
    }

    @Test
    void notMarkableEcdcDeclinedToo() throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("vectors/24k_short.ecdc"));
        try (InputStream in = new NotMarkable(new ByteArrayInputStream(bytes))) {
            assertThrows(UnsupportedAudioFileException.class, () -> new EcdcAudioFileReader().getAudioInputStream(in));
            assertEquals('E', in.read());
        }
    }

    /** With this plugin on the class path, AudioSystem still opens the JDK's own formats. */
    @Test
    void jdkFormatsStillOpen() throws Exception {
        assertTrue(ServiceLoader.load(AudioFileReader.class).stream().anyMatch(p -> p.type() == EcdcAudioFileReader.class),
                "the plugin is registered");
        assertTrue(ServiceLoader.load(FormatConversionProvider.class).stream()
                .anyMatch(p -> p.type() == EcdcFormatConversionProvider.class), "the converter is registered");
        Map<String, AudioFileFormat.Type> types = Map.of("wav", AudioFileFormat.Type.WAVE, "aiff", AudioFileFormat.Type.AIFF,
                "au", AudioFileFormat.Type.AU);
        for (Map.Entry<String, AudioFileFormat.Type> e : types.entrySet()) {
            byte[] bytes = FILES.get(e.getKey());
            assertEquals(e.getValue(), AudioSystem.getAudioFileFormat(file(e.getKey()).toFile()).getType());
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file(e.getKey()).toFile())) {
                assertEquals(44_100, in.getFrameLength(), e.getKey());
                assertEquals(44_100 * 4, in.readAllBytes().length);
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(new ByteArrayInputStream(bytes)))) {
                assertEquals(44_100, in.getFrameLength(), e.getKey());
                byte[] pcm = in.readAllBytes();
                assertEquals(44_100 * 4, pcm.length);
                assertNotEquals(0, pcm[1000] | pcm[1001], "audio, not silence");
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file(e.getKey()).toUri().toURL())) {
                assertEquals(44_100 * 4, in.readAllBytes().length);
            }
        }
    }

    /** The ECDC header of a valid file is read and the stream reset for the next reader: the same stream opens twice. */
    @Test
    void fileFormatLeavesStreamAtTheStart() throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("vectors/48k_bw6.ecdc"));
        try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(bytes), 16)) {
            AudioFileFormat a = AudioSystem.getAudioFileFormat(in);
            AudioFileFormat b = AudioSystem.getAudioFileFormat(in);
            assertEquals(a.properties(), b.properties());
            byte[] start = new byte[4];
            assertEquals(4, in.read(start));
            assertArrayEquals(EcdcHeader.MAGIC, start);
        }
    }

    /** Hides mark/reset. */
    private static final class NotMarkable extends FilterInputStream {
        NotMarkable(InputStream in) {
            super(in);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public synchronized void mark(int readlimit) {}

        @Override
        public synchronized void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }
    }
}
