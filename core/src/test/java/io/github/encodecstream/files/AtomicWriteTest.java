package io.github.encodecstream.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicWrite}: all or nothing, beside the target, through symbolic links, keeping the mode. */
class AtomicWriteTest {
    @Test
    void commitReplacesAndCloseWithoutCommitLeavesTheTarget(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("song.ecdc");
        Files.writeString(target, "old");
        try (AtomicWrite w = AtomicWrite.file(target)) {
            assertEquals(dir, w.temporary().getParent());
            assertTrue(w.temporary().getFileName().toString().matches("\\.song\\.ecdc\\.[0-9a-z]+\\.tmp"),
                    w.temporary().toString());
            try (OutputStream out = w.newOutputStream()) {
                out.write("half".getBytes(StandardCharsets.US_ASCII));
            }
        } // not committed
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), list(dir), "the temporary is gone");

        try (AtomicWrite w = AtomicWrite.file(target)) {
            Files.writeString(w.temporary(), "new");
            assertTrue(w.commit());
            assertThrows(IOException.class, w::commit, "once");
        }
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void symbolicLinksAreFollowedAndTheModeKept(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real")).resolve("model.th");
        Files.writeString(real, "old");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("link.th"), Path.of("real/model.th"));
        Path second = Files.createSymbolicLink(dir.resolve("second.th"), link.getFileName()); // a chain
        AtomicWrite.writeAscii(second, "new");
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(second), "the links stay links");
        assertEquals("new", Files.readString(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        assertEquals(List.of(real), list(real.getParent()), "written beside the link's target");

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("real/made.th"));
        AtomicWrite.writeAscii(dangling, "made");
        assertEquals("made", Files.readString(real.resolveSibling("made.th")));
        assertTrue(Files.isSymbolicLink(dangling));
    }

    @Test
    void directoriesMoveWholeAndNeverReplaceAnother(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("cache").resolve("prepared");
        try (AtomicWrite w = AtomicWrite.directory(target)) {
            assertTrue(w.temporary().getFileName().toString().startsWith(".tmp-prepared."));
            Files.writeString(w.temporary().resolve("a"), "1");
            assertTrue(w.commit());
        }
        try (AtomicWrite w = AtomicWrite.directory(target)) {
            Files.writeString(w.temporary().resolve("a"), "2");
            assertFalse(w.commit(), "another one is in place");
        }
        assertEquals("1", Files.readString(target.resolve("a")));
        assertEquals(List.of(target), list(target.getParent()), "the losing temporary is deleted");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
