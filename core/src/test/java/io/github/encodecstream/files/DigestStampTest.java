package io.github.encodecstream.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's SHA-256 with its identity: vouches for the same owner-only file only. */
class DigestStampTest {
    /** SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void hashesOnWriteAndVouchesForTheSameFile() throws IOException {
        Path file = dir.resolve("f");
        DigestStamp written = DigestStamp.write(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)), file);
        assertEquals(ABC, written.sha256());
        assertEquals(ABC, DigestStamp.sha256(file));
        assertEquals(written, DigestStamp.parse(written.toString()));
        assertTrue(written.vouchesFor(file));
        assertEquals(written, DigestStamp.take(file));
    }

    @Test
    void doesNotVouchForAChangedLinkedOrSharedFile() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "abc");
        DigestStamp stamp = DigestStamp.take(file);
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertFalse(new DigestStamp(FileIdentity.of(link), ABC).vouchesFor(link), "a link");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertFalse(stamp.vouchesFor(file), "writable by its group");
        DigestStamp.restrict(file);
        assertTrue(stamp.vouchesFor(file), "restricted again");
        Files.writeString(dir.resolve("g"), "abd");
        Files.move(dir.resolve("g"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFalse(stamp.vouchesFor(file), "replaced by another file of the same size");
    }

    @Test
    void hashesAFileNoFurtherThanTheLimitOrItsSize() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "abcdef");
        try (FileChannel in = FileChannel.open(file)) {
            assertEquals(ABC, DigestStamp.sha256(in, 3));
            assertEquals(DigestStamp.sha256(Files.writeString(dir.resolve("g"), "abcdef")), DigestStamp.sha256(in, 1 << 20));
        }
        MessageDigest digest = DigestStamp.newDigest();
        digest.update("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ABC, DigestStamp.hex(digest));
    }

    @Test
    void malformedStampsAreRefused() {
        for (String text : new String[] {"", "1:2:3", "1:2:3 " + ABC.toUpperCase(), "1:2;3 " + ABC, "1:2:3 " + ABC + " x"}) {
            assertThrows(IOException.class, () -> DigestStamp.parse(text), text);
        }
    }
}
