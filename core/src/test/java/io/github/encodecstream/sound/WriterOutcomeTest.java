package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceCases;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code AudioSystem.write(pcm, ECDC, File)} on awkward input: NaN and infinities refused naming the
 * sample, too long refused before reading, a partial last frame dropped; never a partial file, an
 * existing file untouched on failure (docs/RELIABILITY.md, "Encoder input").
 */
class WriterOutcomeTest {
    private static final byte[] OLD = "old output".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void useReferenceModels() {
        WriterTests.useReferenceModels();
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void nonFiniteSampleFailsAndLeavesTheFileAlone(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_FLOAT, 24_000, 32, 1, false, Map.of());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = WriterTests.sine(24_000, 1, 24_000, 440, 0.5, 0);
            x[12_345] = bad;
            File out = Files.write(dir.resolve("x.ecdc"), OLD).toFile();
            PcmEncoder.InputException e = assertThrows(PcmEncoder.InputException.class,
                    () -> AudioSystem.write(WriterTests.stream(x, f), EcdcFileFormatType.ECDC, out));
            assertEquals(12_345, e.frame());
            assertTrue(e.getMessage().startsWith("sample 12345 (0.514 s) of channel 1 of 1 is " + bad), e.getMessage());
            assertArrayEquals(OLD, Files.readAllBytes(out.toPath()));
            assertEquals(List.of("x.ecdc"), files(dir), "no temporary file left");
        }
    }

    @Test
    void successReplacesTheFileWithNoTemporaryLeft(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_FLOAT, 24_000, 32, 1, false, Map.of());
        float[] loud = WriterTests.sine(24_000, 1, 2400, 440, 3, 0); // beyond full scale: encoded as it is
        File out = Files.write(dir.resolve("x.ecdc"), OLD).toFile();
        int n = AudioSystem.write(WriterTests.stream(loud, f), EcdcFileFormatType.ECDC, out);
        assertEquals(n, out.length());
        assertEquals(2400, EcdcBytes.read(Files.readAllBytes(out.toPath())).metadata().audioLength());
        assertEquals(List.of("x.ecdc"), files(dir));
    }

    /**
     * Through a symbolic link: the link's target gets the file, with its permissions, and the link
     * stays a link; a {@code /proc/self/fd/N} alias of an open file is written in place, the same file.
     */
    @Test
    void symbolicLinksAndOpenFileAliases(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_FLOAT, 24_000, 32, 1, false, Map.of());
        float[] x = WriterTests.sine(24_000, 1, 2400, 440, 0.5, 0);
        Path target = Files.write(Files.createDirectories(dir.resolve("real")).resolve("x.ecdc"), OLD);
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("link.ecdc"), Path.of("real/x.ecdc"));
        AudioSystem.write(WriterTests.stream(x, f), EcdcFileFormatType.ECDC, link.toFile());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2400, EcdcBytes.read(Files.readAllBytes(target)).metadata().audioLength());
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(target)));
        assertEquals(List.of("x.ecdc"), files(target.getParent()));

        Path sink = Files.write(dir.resolve("sink.ecdc"), OLD);
        Object key = Files.getAttribute(sink, "unix:ino");
        try (java.nio.channels.FileChannel open = java.nio.channels.FileChannel.open(sink)) {
            Path alias = io.github.encodecstream.files.OutputFileTest.procFd(sink);
            AudioSystem.write(WriterTests.stream(x, f), EcdcFileFormatType.ECDC, alias.toFile());
        }
        assertEquals(key, Files.getAttribute(sink, "unix:ino"), "written in place");
        assertEquals(2400, EcdcBytes.read(Files.readAllBytes(sink)).metadata().audioLength());
    }

    /** A frame length over a week: refused before a byte is read (and before the model loads). */
    @Test
    void tooLongIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 2, false, Map.of());
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        long weekPlusOne = 7L * 24 * 3600 * 48_000 + 1;
        File out = dir.resolve("x.ecdc").toFile();
        PcmEncoder.InputException e = assertThrows(PcmEncoder.InputException.class,
                () -> AudioSystem.write(new AudioInputStream(unread, f, weekPlusOne), EcdcFileFormatType.ECDC, out));
        assertTrue(e.getMessage().startsWith("longer than an .ecdc file holds: 29030400001 samples per channel"),
                e.getMessage());
        assertEquals(List.of(), files(dir));
    }

    /** A stream ending inside a frame: the partial frame is dropped. */
    @Test
    void partialLastFrameIsDropped(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 2, false, Map.of());
        byte[] bytes = new byte[4 * 4800 + 3];
        File out = dir.resolve("x.ecdc").toFile();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(bytes), f, AudioSystem.NOT_SPECIFIED),
                EcdcFileFormatType.ECDC, out);
        assertEquals(4800, EcdcBytes.read(Files.readAllBytes(out.toPath())).metadata().audioLength());
    }

    /** An empty stream (through a writer given its models): a valid file of no audio. */
    @Test
    void emptyStreamGivesAnEmptyFile(@TempDir Path dir) throws Exception {
        AudioFormat f = WriterTests.format(Encoding.PCM_SIGNED, 24_000, 16, 1, false, Map.of());
        File out = dir.resolve("x.ecdc").toFile();
        new EcdcAudioFileWriter(ReferenceCases.models()).write(
                new AudioInputStream(new ByteArrayInputStream(new byte[0]), f, 0), EcdcFileFormatType.ECDC, out);
        assertEquals(0, EcdcBytes.read(Files.readAllBytes(out.toPath())).metadata().audioLength());
        assertEquals(List.of("x.ecdc"), files(dir));
    }
}
