package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.store.ModelStore.ModelFile;
import io.github.encodecstream.store.ModelStore.ModelNotFoundException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of checkpoints in the cache: full hashes pinned by the library or recorded on first
 * use, stamps believed only in owner-only folders, https mirrors. A two-digit prefix stands for the
 * eight digits of the official names, so that a file with a forged prefix takes ~256 tries.
 */
class CheckpointTrustTest {
    private static final String NAME = "encodec_24khz";

    @TempDir
    Path tmp;

    private Path cache;
    private TestHttpServer server;
    private String retryDelay;

    /** The genuine file, and one of the same length whose SHA-256 starts with the same two digits. */
    private final byte[] genuine = random(20_000, 42);
    private final byte[] forged = forge(genuine);
    private final ModelFile entry = new ModelFile(NAME, NAME + "-" + sha256(genuine).substring(0, 2) + ".th",
            sha256(genuine).substring(0, 2));

    @BeforeEach
    void start() throws Exception {
        retryDelay = System.setProperty(Settings.HTTP_RETRY_DELAY_PROPERTY, "0.01");
        cache = Files.createDirectories(tmp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        server = new TestHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
        if (retryDelay == null) {
            System.clearProperty(Settings.HTTP_RETRY_DELAY_PROPERTY);
        } else {
            System.setProperty(Settings.HTTP_RETRY_DELAY_PROPERTY, retryDelay);
        }
    }

    private ModelStore.Builder store() {
        return ModelStore.builder().cacheDirectory(cache).baseUri(server.uri("/files/")).allowHttp(true)
                .models(List.of(entry)).pins(CheckpointPins.from(null));
    }

    private Path cached() {
        return cache.resolve(entry.fileName());
    }

    /** Puts {@code data} in the cache as a different file than before (a later modification time). */
    private Path replaceCached(byte[] data) throws Exception {
        Files.write(cached(), data);
        Files.setLastModifiedTime(cached(), FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        return cached();
    }

    private URL pinsResource(String text) throws Exception {
        return Files.writeString(tmp.resolve("pins.sha256"), text).toUri().toURL();
    }

    @Test
    void theFirstUseIsRecordedAndALaterFileWithTheSamePrefixIsRefusedAndFetchedAgain() throws Exception {
        server.put(entry.fileName(), genuine);
        ModelStore store = store().build();
        assertEquals(cached(), store.locate(NAME));
        assertTrue(Files.readString(CacheLayout.of(cache).firstUsePins())
                .contains(sha256(genuine) + " " + genuine.length + " " + entry.fileName() + "\n"));

        assertTrue(sha256(forged).startsWith(entry.sha256Prefix()), "the prefix alone would accept it");
        replaceCached(forged);
        assertEquals(cached(), store.locate(NAME));
        assertArrayEquals(genuine, Files.readAllBytes(cached()), "refused, deleted and downloaded again");
        assertEquals(2, server.requests().size());
    }

    @Test
    void aMirrorServingAnotherFileThanTheOneFirstSeenIsRefused() throws Exception {
        server.put(entry.fileName(), genuine);
        store().build().locate(NAME);
        Files.delete(cached());
        server.put(entry.fileName(), forged);
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store().build().locate(NAME));
        assertTrue(e.getMessage().contains(sha256(genuine)) && e.getMessage().contains(sha256(forged)), e.getMessage());
        assertTrue(e.getMessage().contains(CacheLayout.of(cache).firstUsePins().toString()), e.getMessage());
        assertFalse(Files.exists(cached()));
    }

    @Test
    void aHandWrittenStampInAGroupWritableCacheIsIgnoredAndTheFileHashedAndRefused() throws Exception {
        // the official table: a stamp claiming the official prefix beside a file that does not have it
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxr-x"));
        ModelFile official = ModelStore.officialModels().get(0);
        Path planted = Files.write(cache.resolve(official.fileName()), genuine);
        Files.writeString(CacheLayout.stampOf(planted),
                FileIdentity.of(planted) + " " + official.sha256Prefix() + "0".repeat(56) + "\n");
        ModelStore store = ModelStore.builder().cacheDirectory(cache).offline(true).build();
        assertThrows(ModelNotFoundException.class, () -> store.locate(official.name()));
        assertFalse(Files.exists(planted), "hashed, refused and deleted");
        assertFalse(Files.exists(CacheLayout.of(cache).firstUsePins()), "nothing recorded in a shared cache");
    }

    @Test
    void theSameStampInAnOwnerOnlyCacheIsBelieved() throws Exception {
        // the contrast to the test above: there the stamp, not the file, is what is refused
        Path file = Files.write(cached(), forged);
        Files.writeString(CacheLayout.stampOf(file), FileIdentity.of(file) + " " + sha256(genuine) + "\n");
        assertEquals(file, store().offline(true).build().locate(NAME));
    }

    @Test
    void aStampInAnOwnerOnlyCacheThatDisagreesWithTheRecordedHashIsRefused() throws Exception {
        server.put(entry.fileName(), genuine);
        ModelStore store = store().build();
        store.locate(NAME); // recorded on first use
        // another file of the same size and prefix, with a stamp that fits it
        Path file = replaceCached(forged);
        Files.writeString(CacheLayout.stampOf(file), FileIdentity.of(file) + " " + sha256(forged) + "\n");
        assertThrows(ModelNotFoundException.class, () -> store().offline(true).build().locate(NAME));
        assertFalse(Files.exists(file));
        // and a stamp naming the recorded hash beside another file is stale: hashed, refused
        file = Files.write(cached(), forged);
        String stale = FileIdentity.of(file);
        replaceCached(forged);
        Files.writeString(CacheLayout.stampOf(file), stale + " " + sha256(genuine) + "\n");
        assertThrows(ModelNotFoundException.class, () -> store().offline(true).build().locate(NAME));
        assertFalse(Files.exists(file));
    }

    @Test
    void thePinsOfTheLibraryComeFirst() throws Exception {
        CheckpointPins pins = CheckpointPins.from(pinsResource("# synthetic\n" + sha256(genuine) + " "
                + genuine.length + " " + entry.fileName() + "\n"));
        // a record of first use that contradicts them does not count
        Files.writeString(CacheLayout.of(cache).firstUsePins(), sha256(forged) + " " + forged.length + " "
                + entry.fileName() + "\n");
        Files.write(cached(), genuine);
        assertEquals(cached(), store().pins(pins).offline(true).build().locate(NAME));
        // a file with the right prefix is not enough, in the cache or from the mirror
        replaceCached(forged);
        server.put(entry.fileName(), forged);
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store().pins(pins).build().locate(NAME));
        assertTrue(e.getMessage().contains("expected SHA-256 " + sha256(genuine)), e.getMessage());
        assertFalse(Files.exists(cached()));
        server.put(entry.fileName(), genuine);
        assertArrayEquals(genuine, Files.readAllBytes(store().pins(pins).build().locate(NAME)));
    }

    @Test
    void aFileLargerThanAnyCheckpointIsRefusedWithoutBeingRead() throws Exception {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(cached().toFile(), "rw")) {
            f.setLength(64L << 30); // sparse: reading it would take minutes
        }
        long start = System.nanoTime();
        assertThrows(ModelNotFoundException.class, () -> store().offline(true).build().locate(NAME));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5000, millis + " ms");
        assertFalse(Files.exists(cached()));
    }

    @Test
    void theShippedPinsParseAndNameOnlyOfficialFiles() throws Exception {
        CheckpointPins shipped = CheckpointPins.bundled();
        List<String> official = ModelStore.officialModels().stream().map(ModelFile::fileName).toList();
        assertTrue(official.containsAll(shipped.names()), shipped.names().toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CheckpointPins.from(pinsResource("abc 12 x.th\n")));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aPlainHttpMirrorNeedsTheUserToAllowIt() throws Exception {
        server.put(entry.fileName(), genuine);
        ModelDownloadException e = assertThrows(ModelDownloadException.class,
                () -> store().allowHttp(false).build().locate(NAME));
        assertTrue(e.getMessage().contains(Settings.MODELS_ALLOW_HTTP_PROPERTY)
                && e.getMessage().contains(Settings.MODELS_ALLOW_HTTP_ENV), e.getMessage());
        assertEquals(0, server.requests().size());

        Map<String, String> props = Map.of("encodec.modelsUrl", server.uri("/files/").toString(),
                "encodec.cache", cache.toString());
        assertFalse(ModelStore.fromEnvironment(Settings.of(props, Map.of())).build().allowsHttp());
        assertTrue(ModelStore.fromEnvironment(Settings.of(props, Map.of("ENCODEC_MODELS_ALLOW_HTTP", "1"))).build()
                .allowsHttp());
        ModelStore allowed = ModelStore.fromEnvironment(Settings.of(Map.of("encodec.modelsUrl", props.get(
                "encodec.modelsUrl"), "encodec.cache", cache.toString(), "encodec.models.allowHttp", "true"), Map.of()))
                .models(List.of(entry)).pins(CheckpointPins.from(null)).build();
        assertArrayEquals(genuine, Files.readAllBytes(allowed.locate(NAME)));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Another file of {@code genuine}'s length whose SHA-256 starts with the same two hex digits. */
    static byte[] forge(byte[] genuine) {
        String prefix = sha256(genuine).substring(0, 2);
        byte[] f = random(genuine.length, 7);
        for (long i = 0;; i++) {
            ByteBuffer.wrap(f).putLong(i);
            if (sha256(f).startsWith(prefix) && !sha256(f).equals(sha256(genuine))) {
                return f;
            }
        }
    }
}
