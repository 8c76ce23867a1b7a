package io.github.encodecstream.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.NamedPipe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OutputFile}: regular files (through links) replaced whole keeping mode and owner, hard
 * links broken, pipes, devices and {@code /proc/self/fd} paths written in place, directories refused.
 */
public class OutputFileTest {
    private static final byte[] OLD = "old".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW = "new content".getBytes(StandardCharsets.US_ASCII);

    static void write(Path path, byte[] bytes) throws IOException {
        try (OutputFile out = OutputFile.open(path)) {
            out.stream().write(bytes);
            out.commit();
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Whether this process may give files away (root): then the owner test uses another user. */
    static boolean isRoot() throws IOException {
        return "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
    }

    @Test
    void aSymbolicLinksTargetIsReplacedKeepingModeAndOwner(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real")).resolve("song.wav");
        Files.write(real, OLD);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        PosixFileAttributeView view = Files.getFileAttributeView(real, PosixFileAttributeView.class);
        if (isRoot()) { // another user's file, written by root (sudo): it stays that user's
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            view.setOwner(users.lookupPrincipalByName("nobody"));
        }
        String owner = view.readAttributes().owner().getName();
        Path link = Files.createSymbolicLink(dir.resolve("link.wav"), Path.of("real/song.wav"));
        Path chain = Files.createSymbolicLink(dir.resolve("chain.wav"), link.getFileName());
        write(chain, NEW);
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(chain), "the links stay links");
        assertArrayEquals(NEW, Files.readAllBytes(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(owner, Files.getOwner(real).getName());
        assertEquals(List.of("song.wav"), names(real.getParent()), "no temporary left");
    }

    @Test
    void aHardLinkedFileIsReplacedUnderTheNameWrittenOnly(@TempDir Path dir) throws Exception {
        Path other = Files.write(dir.resolve("other.wav"), OLD);
        Path name = Files.createLink(dir.resolve("name.wav"), other);
        write(name, NEW);
        assertArrayEquals(NEW, Files.readAllBytes(name));
        assertArrayEquals(OLD, Files.readAllBytes(other), "the other name keeps the old content");
        assertFalse(Files.isSameFile(name, other));
    }

    @Test
    void withoutCommitAnExistingFileIsLeftAlone(@TempDir Path dir) throws Exception {
        Path out = Files.write(dir.resolve("x.wav"), OLD);
        try (OutputFile file = OutputFile.open(out)) {
            assertFalse(file.inPlace());
            file.stream().write(NEW);
        }
        assertArrayEquals(OLD, Files.readAllBytes(out));
        assertEquals(List.of("x.wav"), names(dir));
    }

    @Test
    void patchRewritesTheStart(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("x.wav");
        try (OutputFile file = OutputFile.open(out)) {
            assertTrue(file.seekable());
            file.stream().write(NEW);
            file.patch(0, "NEW".getBytes(StandardCharsets.US_ASCII));
            file.stream().write('!');
            file.commit();
        }
        assertEquals("NEW content!", Files.readString(out));
    }

    /**
     * A file the user may write in a folder that takes no new files (no temporary possible): written
     * in place, as sox would. As root (who may create anything) the writer is a child JVM run as
     * {@code nobody}, the file given to it.
     */
    @Test
    void aWritableFileInAFolderThatTakesNoNewFilesIsWrittenInPlace(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("fixed"));
        Path file = Files.write(dir.resolve("x.wav"), OLD);
        Object inode = Files.getAttribute(file, "unix:ino");
        String printed;
        if (isRoot()) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // root's: nobody may not add
            Files.setOwner(file, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            String classes = Path.of(OutputFile.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + ":"
                    + Path.of(OutputFileProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes,
                    OutputFileProbe.class.getName(), file.toString(), "new content")
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe still running");
            printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), printed);
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
            try (OutputFile o = OutputFile.open(file)) {
                o.stream().write(NEW);
                o.commit();
                printed = o.inPlace() ? "in place" : "replaced";
            } finally {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        assertEquals("in place", printed);
        assertArrayEquals(NEW, Files.readAllBytes(file));
        assertEquals(inode, Files.getAttribute(file, "unix:ino"));
        assertEquals(List.of("x.wav"), names(dir));
    }

    /** {@code /proc/self/fd/N} (as {@code /dev/stdout}, {@code /dev/fd/N}) names an open file: written in place, never replaced. */
    @Test
    void openFileAliasesAreWrittenInPlace(@TempDir Path dir) throws Exception {
        Path sink = Files.write(dir.resolve("sink.raw"), OLD);
        Object key = Files.readAttributes(sink, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        try (FileChannel open = FileChannel.open(sink, StandardOpenOption.READ)) {
            Path alias = procFd(sink);
            assertTrue(OutputFile.writtenInPlace(alias));
            for (String name : List.of("/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/1")) {
                assertTrue(OutputFile.writtenInPlace(Path.of(name)), name);
            }
            assertFalse(OutputFile.writtenInPlace(Path.of("/dev/shm/x" + System.nanoTime() + ".wav")),
                    "an ordinary folder under /dev");
            assertFalse(OutputFile.writtenInPlace(Path.of("/dev/stdout.wav")));
            try (OutputFile file = OutputFile.open(alias)) {
                assertTrue(file.inPlace());
                assertTrue(file.seekable(), "a regular file behind the alias");
                file.stream().write(NEW);
                file.commit();
            }
            assertEquals(key, Files.readAttributes(sink, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "the same file, not a new one");
            assertArrayEquals(NEW, Files.readAllBytes(sink));
            assertEquals(List.of("sink.raw"), names(dir));
        }
    }

    @Test
    void aNamedPipeIsWrittenInPlace(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        CompletableFuture<byte[]> read = NamedPipe.createAndRead(fifo);
        try (OutputFile file = OutputFile.open(fifo)) {
            assertTrue(file.inPlace());
            assertFalse(file.seekable());
            assertThrows(IOException.class, () -> file.patch(0, OLD));
            file.stream().write(NEW);
            file.commit();
        }
        assertArrayEquals(NEW, read.get(5, TimeUnit.SECONDS));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still a pipe");
        assertEquals(List.of("pipe"), names(dir));
    }

    @Test
    void devNullStaysADeviceAndDirectoriesAreRefused(@TempDir Path dir) throws Exception {
        write(Path.of("/dev/null"), NEW);
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
        FileSystemException e = assertThrows(FileSystemException.class, () -> OutputFile.open(dir));
        assertEquals("is a directory", e.getReason());
    }

    /** {@code /proc/self/fd/N} for a file this process holds open. */
    public static Path procFd(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        return fd;
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        }
        throw new IOException("not open: " + file);
    }
}
