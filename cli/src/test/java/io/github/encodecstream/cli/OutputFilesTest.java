package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.files.OutputFileTest;
import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.NamedPipe;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs of {@code decode} and {@code encode}: never the command's own input (exit 2, the
 * input intact), never a WAV header that claims more audio than the file holds, and symbolic
 * links, hard links, pipes and open-file aliases written as documented ({@link FileOutput}).
 */
@ExtendWith(ReferenceModels.class)
class OutputFilesTest {
    private static final byte[] OLD = "old output".getBytes(StandardCharsets.US_ASCII);

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static void assertRefused(CliRun run, Path input, byte[] bytes) throws IOException {
        assertEquals(Main.USAGE, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().contains(": it is the input"), run.stderr());
        assertArrayEquals(bytes, Files.readAllBytes(input), "the input is intact");
    }

    /** {@code decode x -o x}, and the same file through a symbolic link, a hard link, /dev/fd and /proc/self/fd. */
    @Test
    void decodeNeverWritesOverItsInput(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"));
        Path x = Files.write(dir.resolve("x.ecdc"), bytes);
        Path symbolic = Files.createSymbolicLink(dir.resolve("link.wav"), x.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.wav"), x);
        try (FileChannel open = FileChannel.open(x)) {
            Path procFd = OutputFileTest.procFd(x);
            List<String> outputs = List.of(x.toString(), dir.resolve(".").resolve("x.ecdc").toString(), symbolic.toString(),
                    hard.toString(), procFd.toString(), "/dev/fd/" + procFd.getFileName());
            for (String out : outputs) {
                assertRefused(CliRun.of("decode", x.toString(), "-o", out), x, bytes);
                assertRefused(CliRun.of("decode", "-f", "wav", "-o", out, symbolic.toString()), x, bytes);
            }
        }
        assertEquals(List.of("hard.wav", "link.wav", "x.ecdc"), names(dir), "nothing else written");
    }

    /** {@code encode} refuses the same way, by the same check. */
    @Test
    void encodeNeverWritesOverItsInput(@TempDir Path dir) throws Exception {
        byte[] wav = Files.readAllBytes(ReferenceData.file("audio/test_24k.wav"));
        Path in = Files.write(dir.resolve("in.wav"), wav);
        Path link = Files.createSymbolicLink(dir.resolve("out.ecdc"), in.getFileName());
        assertRefused(CliRun.of("encode", "-o", in.toString(), in.toString()), in, wav);
        assertRefused(CliRun.of("encode", "-o", link.toString(), in.toString()), in, wav);
    }

    /** {@code decode x >> x} (standard output appended to the input, a separate JVM): refused. */
    @Test
    void standardOutputThatIsTheInputIsRefused(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"));
        Path x = Files.write(dir.resolve("x.ecdc"), bytes);
        for (String[] args : new String[][] {{"decode", x.toString()}, {"-d", x.toString()}}) {
            ProcessBuilder b = ChildJvm.builder(Main.class.getName(), args)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(x.toFile()))
                    .redirectError(dir.resolve("err.txt").toFile());
            Process p = b.start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running");
            } finally {
                p.destroyForcibly();
            }
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(Main.USAGE, p.exitValue(), err);
            assertTrue(err.contains("cannot write standard output: it is the input"), err);
            assertArrayEquals(bytes, Files.readAllBytes(x));
        }
    }

    /** A WAV file's data size and RIFF size agree with its length: frames of 16-bit stereo. */
    static long honestWavFrames(Path wav) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(b.length - 8, h.getInt(4), "RIFF size");
        assertEquals(b.length - 44, h.getInt(40), "data size");
        return (b.length - 44) / 4;
    }

    /** A truncated input: the audio before the cut, with a WAV header of its true length; exit 3. */
    @Test
    void aTruncatedInputLeavesAnHonestWav(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc")); // 7 s
        Path cut = Files.write(dir.resolve("cut.ecdc"), Arrays.copyOf(bytes, bytes.length * 6 / 10));
        Path wav = Files.write(dir.resolve("cut.wav"), OLD);
        CliRun run = CliRun.of("decode", "-f", "wav", "-o", wav.toString(), cut.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        long frames = honestWavFrames(wav);
        CliRun raw = CliRun.of("decode", cut.toString());
        assertEquals(raw.stdout().length / 4, frames, "the audio before the cut");
        assertTrue(frames > 48_000 && frames < 7 * 48_000, "partial: " + frames);
        assertArrayEquals(raw.stdout(), Arrays.copyOfRange(Files.readAllBytes(wav), 44, 44 + raw.stdout().length));
        try (javax.sound.sampled.AudioInputStream in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(frames, in.getFrameLength());
        }
        assertEquals(List.of("cut.ecdc", "cut.wav"), names(dir), "no temporary left");
    }

    /** A server that drops the connection part-way (no retries): the same, an honest WAV of what came; exit 3. */
    @Test
    void aFailureMidDecodeLeavesAnHonestWav(@TempDir Path dir) throws Exception {
        try (TestHttpServer server = new TestHttpServer()) {
            server.put("x.ecdc", Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"))).dropAfter(4000, -1);
            Path wav = dir.resolve("x.wav");
            CliRun run = CliRun.of("decode", "--retries", "0", "-f", "wav", "-o", wav.toString(),
                    server.uri("/files/x.ecdc").toString());
            assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
            assertTrue(run.stderr().contains("closed early"), run.stderr());
            long frames = honestWavFrames(wav);
            assertTrue(frames > 48_000 && frames < 7 * 48_000, "partial: " + frames);
            assertEquals(List.of("x.wav"), names(dir));
        }
    }

    /**
     * Ctrl-C in the middle of a decode (a separate JVM reading a pipe that stays open): exit 130,
     * no file left, an existing output untouched.
     */
    @Test
    void ctrlCLeavesNothing(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"));
        Path out = Files.write(dir.resolve("out.wav"), OLD);
        // working once the temporary file is there: the model is loaded, decoding runs
        CtrlC.interrupt(dir, Arrays.copyOf(bytes, bytes.length / 2), () -> names(dir).size() >= 3, out, OLD,
                "decode", "-f", "wav", "-o", out.toString(), "-");
        assertEquals(List.of("err.txt", "out.wav"), names(dir));
    }

    /**
     * Through a symbolic link the target gets the output with its permissions, the link stays a
     * link (decode and encode); a hard-linked output is replaced under the name written only.
     */
    @Test
    void linksAreWrittenAsDocumented(@TempDir Path dir) throws Exception {
        String ecdc = ReferenceData.file("vectors/24k_short.ecdc").toString();
        byte[] expected = CliRun.of("decode", ecdc).stdout();
        Path real = Files.write(Files.createDirectories(dir.resolve("real")).resolve("a.raw"), OLD);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("a.raw"), Path.of("real/a.raw"));
        assertEquals(Main.OK, CliRun.of("decode", "-o", link.toString(), ecdc).exitCode());
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(expected, Files.readAllBytes(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(List.of("a.raw"), names(real.getParent()));

        Path encoded = Files.write(dir.resolve("real").resolve("e.ecdc"), OLD);
        Files.setPosixFilePermissions(encoded, PosixFilePermissions.fromString("rw-------"));
        Path encodedLink = Files.createSymbolicLink(dir.resolve("e.ecdc"), Path.of("real/e.ecdc"));
        CliRun encode = CliRun.of("encode", "-b", "3", "-o", encodedLink.toString(),
                ReferenceData.file("audio/test_24k.wav").toString());
        assertEquals(Main.OK, encode.exitCode(), encode.toString());
        assertTrue(Files.isSymbolicLink(encodedLink));
        assertTrue(Files.readAllBytes(encoded).length > OLD.length && Files.readString(encoded,
                StandardCharsets.ISO_8859_1).startsWith("ECDC"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(encoded)));

        Path other = Files.write(dir.resolve("other.raw"), OLD);
        Path hard = Files.createLink(dir.resolve("hard.raw"), other);
        assertEquals(Main.OK, CliRun.of("decode", "-o", hard.toString(), ecdc).exitCode());
        assertArrayEquals(expected, Files.readAllBytes(hard));
        assertArrayEquals(OLD, Files.readAllBytes(other), "the other name keeps the old content");
    }

    /** A named pipe and an open file's /proc/self/fd alias are written in place, not replaced. */
    @Test
    void pipesAndOpenFilesAreWrittenInPlace(@TempDir Path dir) throws Exception {
        String ecdc = ReferenceData.file("vectors/24k_short.ecdc").toString();
        byte[] expected = CliRun.of("decode", "-f", "wav", ecdc).stdout();

        Path fifo = dir.resolve("pipe");
        CompletableFuture<byte[]> read = NamedPipe.createAndRead(fifo);
        CliRun toPipe = CliRun.of("decode", "-f", "wav", "-o", fifo.toString(), ecdc);
        assertEquals(Main.OK, toPipe.exitCode(), toPipe.toString());
        assertArrayEquals(expected, read.get(10, TimeUnit.SECONDS));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still a pipe");

        Path sink = Files.write(dir.resolve("sink.wav"), OLD);
        Object inode = Files.getAttribute(sink, "unix:ino");
        try (OutputStream held = Files.newOutputStream(sink, java.nio.file.StandardOpenOption.APPEND)) {
            CliRun toAlias = CliRun.of("decode", "-f", "wav", "-o", OutputFileTest.procFd(sink).toString(), ecdc);
            assertEquals(Main.OK, toAlias.exitCode(), toAlias.toString());
        }
        assertEquals(inode, Files.getAttribute(sink, "unix:ino"), "the same file");
        assertArrayEquals(expected, Files.readAllBytes(sink));
        List<String> left = new ArrayList<>(names(dir));
        assertEquals(List.of("pipe", "sink.wav"), left);
    }
}
