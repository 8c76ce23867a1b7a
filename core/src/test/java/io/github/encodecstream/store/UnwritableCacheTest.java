package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.store.ModelStore.ModelFile;
import io.github.encodecstream.store.ModelStore.ModelNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches the store cannot (or should not) write: a valid checkpoint there is used, and what the
 * checks would write (stamps, first-use records, the lock) is best-effort. The tests run as root,
 * for whom permission bits do not stop a write: they use a cache owned by another user ({@code nobody}),
 * where the store writes nothing, and paths that nobody can write (a folder where a file must go).
 */
class UnwritableCacheTest {
    private static final String NAME = "encodec_48khz";

    @TempDir
    Path tmp;

    private final byte[] data = CheckpointTrustTest.random(30_000, 3);
    private final ModelFile entry = new ModelFile(NAME, NAME + "-" + CheckpointTrustTest.sha256(data).substring(0, 8)
            + ".th", CheckpointTrustTest.sha256(data).substring(0, 8));

    private ModelStore store(Path cache) {
        return ModelStore.builder().cacheDirectory(cache).offline(true).models(List.of(entry))
                .pins(CheckpointPins.from(null)).build();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aValidCheckpointInACacheOwnedByAnotherUserIsUsedAndNothingIsWrittenThere() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path file = Files.write(cache.resolve(entry.fileName()), data);
        UserPrincipal nobody = cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        Files.setOwner(cache, nobody);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        ModelStore store = store(cache);
        assertEquals(file, store.locate(NAME));
        assertEquals(file, store.locate(NAME)); // hashed each time: no stamp to spare it
        assertEquals(List.of(entry.fileName()), names(cache), "no stamp, record or lock written");
        // and a damaged one there is refused all the same
        Files.write(file, new byte[data.length]);
        assertThrows(ModelNotFoundException.class, () -> store.locate(NAME));
    }

    @Test
    void aValidCheckpointIsUsedWhereNeitherItsStampNorTheFirstUseRecordCanBeWritten() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        Path file = Files.write(cache.resolve(entry.fileName()), data);
        // folders, not empty, where the files would go: no one can write those paths, root included
        Path stamp = Files.createDirectories(CacheLayout.stampOf(file).resolve("x"));
        Path record = Files.createDirectories(CacheLayout.of(cache).firstUsePins().resolve("x"));
        ModelStore store = store(cache);
        assertEquals(file, store.locate(NAME));
        assertEquals(file, store.locate(NAME));
        assertArrayEquals(data, Files.readAllBytes(file));
        assertTrue(Files.isDirectory(stamp) && Files.isDirectory(record));
    }

    @Test
    void aDownloadIntoACacheThatCannotBeMadeFailsNamingTheSetting() throws Exception {
        Path cache = Files.writeString(tmp.resolve("file"), "not a folder").resolve("cache");
        try (TestHttpServer server = new TestHttpServer()) {
            server.put(entry.fileName(), data);
            ModelStore store = ModelStore.builder().cacheDirectory(cache).baseUri(server.uri("/files/")).allowHttp(true)
                    .models(List.of(entry)).build();
            ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> store.locate(NAME));
            assertTrue(e.getMessage().contains("cannot be written") && e.getMessage().contains("ENCODEC_CACHE"),
                    e.getMessage());
            assertEquals(0, server.requests().size());
        }
    }

    @Test
    void aDownloadWorksThroughAPlantedLockLinkWithoutFollowingIt() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
        Path lock = Files.createSymbolicLink(CacheLayout.of(cache).downloadLock(entry), victim);
        try (TestHttpServer server = new TestHttpServer()) {
            server.put(entry.fileName(), data);
            Path file = ModelStore.builder().cacheDirectory(cache).baseUri(server.uri("/files/")).allowHttp(true)
                    .models(List.of(entry)).build().locate(NAME);
            assertArrayEquals(data, Files.readAllBytes(file));
        }
        assertTrue(Files.isSymbolicLink(lock));
        assertEquals("keep me", Files.readString(victim));
    }

    @Test
    void aDownloadIntoASharedCacheIsReadableByItsOtherUsers() throws Exception {
        Path file = Files.writeString(tmp.resolve("part"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        new ModelDownloader(null, System.getLogger("test"), "").readableByAll(file);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), mode);
        assertFalse(mode.contains(PosixFilePermission.OTHERS_WRITE));
    }
}
