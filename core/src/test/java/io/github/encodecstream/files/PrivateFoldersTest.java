package io.github.encodecstream.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrivateFolders}: the OpenSSH rule for what the cache trusts. */
class PrivateFoldersTest {
    @Test
    void createdFoldersAreOwnerOnlyAndTrusted(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("cache");
        Path dir = PrivateFolders.create(root.resolve("onnxruntime/1.2-linux-x64"));
        assertTrue(Files.isDirectory(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(PrivateFolders.isPrivate(dir, root), PrivateFolders.whyNotPrivate(dir, root).toString());
        assertTrue(PrivateFolders.isPrivate(root, root));
    }

    @Test
    void aGroupOrOtherWritableFolderOnTheWayIsNotTrusted(@TempDir Path tmp) throws Exception {
        Path root = PrivateFolders.create(tmp.resolve("cache"));
        Path mid = PrivateFolders.create(root.resolve("onnxruntime"));
        Path dir = PrivateFolders.create(mid.resolve("v"));
        Files.setPosixFilePermissions(mid, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertFalse(PrivateFolders.isPrivate(dir, root));
        assertTrue(PrivateFolders.whyNotPrivate(dir, root).orElseThrow().contains("its group"));
        Files.setPosixFilePermissions(mid, PosixFilePermissions.fromString("rwx---rwx"));
        assertTrue(PrivateFolders.whyNotPrivate(dir, root).orElseThrow().contains("others"));
        Files.setPosixFilePermissions(mid, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(PrivateFolders.isPrivate(dir, root), "read and execute for others are fine");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(PrivateFolders.isPrivate(dir, root), "the root itself counts");
    }

    @Test
    void aSymbolicLinkBelowTheRootOrAMissingFolderIsNotTrusted(@TempDir Path tmp) throws Exception {
        Path root = PrivateFolders.create(tmp.resolve("cache"));
        Path elsewhere = PrivateFolders.create(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(root.resolve("onnxruntime"), elsewhere);
        assertTrue(PrivateFolders.whyNotPrivate(link, root).orElseThrow().contains("symbolic link"));
        assertFalse(PrivateFolders.isPrivate(root.resolve("missing"), root));
        assertFalse(PrivateFolders.isPrivate(elsewhere, root), "outside the root");
        Path rootLink = Files.createSymbolicLink(tmp.resolve("cache-link"), root);
        assertTrue(PrivateFolders.isPrivate(rootLink.resolve("x").getParent(), rootLink), "the root's own link is resolved");
    }

    @Test
    void aFolderOfAnotherUserIsNotTrusted(@TempDir Path tmp) throws Exception {
        Path root = PrivateFolders.create(tmp.resolve("cache"));
        Path dir = PrivateFolders.create(root.resolve("prepared"));
        try {
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } catch (java.io.IOException notRoot) {
            dir = Path.of("/"); // owned by root, and this process is not root
            root = dir;
        }
        assertTrue(PrivateFolders.whyNotPrivate(dir, root).orElseThrow().contains("owned by"));
    }

    @Test
    void createIfTrustedMakesNothingInACacheOthersMayWrite(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("cache");
        assertTrue(PrivateFolders.createIfTrusted(root.resolve("prepared"), root).isEmpty(), "a missing root is made");
        assertTrue(Files.isDirectory(root.resolve("prepared")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertTrue(PrivateFolders.createIfTrusted(root.resolve("onnxruntime"), root).orElseThrow().contains("its group"));
        assertFalse(Files.exists(root.resolve("onnxruntime")), "nothing created there");
    }
}
