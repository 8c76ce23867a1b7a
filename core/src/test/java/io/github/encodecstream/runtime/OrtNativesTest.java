package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.FileIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's libraries extracted once into the cache, checked against the SHA-256 values the build recorded. */
class OrtNativesTest {
    private static final String JNI = System.mapLibraryName("onnxruntime4j_jni").replace("jnilib", "dylib");
    private static final String ORT = System.mapLibraryName("onnxruntime").replace("jnilib", "dylib");

    @TempDir
    Path cache;

    private static byte[] resource(String fileName) throws IOException {
        try (InputStream in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream(
                "/ai/onnxruntime/native/" + OrtNatives.platform() + "/" + fileName)) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theBuildRecordedTheJarsLibraries() throws Exception {
        Map<String, String> digests = OrtNatives.digests();
        for (String lib : List.of(JNI, ORT)) {
            assertEquals(sha256(resource(lib)), digests.get(OrtNatives.platform() + "/" + lib), lib);
        }
    }

    @Test
    void aCacheThatDoesNotExistYetIsCreatedPrivateAndUsed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path fresh = tmp.resolve("new/cache");
        Path dir = OrtNatives.prepare(fresh.resolve("onnxruntime"), fresh, OrtNatives.platform());
        assertNotNull(dir, "a missing cache is created, not refused");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void extractsOncePrivatelyAndRepairs() throws Exception {
        Path root = cache.resolve("onnxruntime");
        Path dir = OrtNatives.prepare(root, cache, OrtNatives.platform());
        assertNotNull(dir, "this platform's jar carries libraries");
        assertTrue(dir.startsWith(root), dir.toString());
        for (String lib : List.of(JNI, ORT)) {
            assertEquals(sha256(resource(lib)), DigestStamp.sha256(dir.resolve(lib)), lib);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        String identity = FileIdentity.of(dir.resolve(ORT));
        assertEquals(dir, OrtNatives.prepare(root, cache, OrtNatives.platform()));
        assertEquals(identity, FileIdentity.of(dir.resolve(ORT)), "not extracted again");

        try (FileChannel f = FileChannel.open(dir.resolve(ORT), StandardOpenOption.WRITE)) {
            f.truncate(1000);
        }
        assertEquals(dir, OrtNatives.prepare(root, cache, OrtNatives.platform()));
        assertEquals(sha256(resource(ORT)), DigestStamp.sha256(dir.resolve(ORT)), "a truncated library is extracted again");
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(List.of(dir), left.toList(), "no temporary directories left");
        }
    }

    @Test
    void aLibraryTheBuildDidNotRecordMeansNoCache() throws Exception {
        Map<String, String> digests = new HashMap<>(OrtNatives.digests());
        digests.remove(OrtNatives.platform() + "/" + ORT);
        assertNull(OrtNatives.prepare(cache.resolve("onnxruntime"), cache, OrtNatives.platform(), digests));
        assertTrue(Files.notExists(cache.resolve("onnxruntime")), "nothing extracted");

        digests = new HashMap<>(OrtNatives.digests());
        digests.put(OrtNatives.platform() + "/" + ORT, "0".repeat(64));
        Map<String, String> other = digests;
        assertThrows(IOException.class,
                () -> OrtNatives.prepare(cache.resolve("onnxruntime"), cache, OrtNatives.platform(), other));
        try (Stream<Path> left = Files.list(cache.resolve("onnxruntime"))) {
            assertEquals(List.of(), left.toList(), "a library the build did not record is not kept");
        }
    }

    @Test
    void aCacheOthersMayWriteIsNotUsed() throws Exception {
        Path root = cache.resolve("onnxruntime");
        Path dir = OrtNatives.prepare(root, cache, OrtNatives.platform());
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwx---"));
        assertThrows(OrtNatives.Untrusted.class, () -> OrtNatives.prepare(root, cache, OrtNatives.platform()));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir.resolve(JNI), PosixFilePermissions.fromString("rwxrw-r--"));
        String before = FileIdentity.of(dir.resolve(JNI));
        assertEquals(dir, OrtNatives.prepare(root, cache, OrtNatives.platform()));
        assertNotEquals(before, FileIdentity.of(dir.resolve(JNI)), "a library its group may write is extracted again");
    }

    @Test
    void platformWithoutLibraries() throws IOException {
        assertNull(OrtNatives.prepare(cache.resolve("onnxruntime"), cache, "android-x86"));
    }

    @Test
    void userPropertyWins() {
        String saved = System.getProperty(OrtNatives.PROPERTY);
        System.setProperty(OrtNatives.PROPERTY, "/somewhere/else");
        try {
            assertNull(OrtNatives.cachedLibraries(cache.resolve("onnxruntime"), cache));
            assertEquals("/somewhere/else", System.getProperty(OrtNatives.PROPERTY));
        } finally {
            if (saved == null) {
                System.clearProperty(OrtNatives.PROPERTY);
            } else {
                System.setProperty(OrtNatives.PROPERTY, saved);
            }
        }
    }

    @Test
    void unwritableCacheFallsBack() throws IOException {
        Path file = Files.writeString(cache.resolve("a-file"), "not a directory");
        assertNull(System.getProperty(OrtNatives.PROPERTY), "the test JVM names no libraries");
        assertNull(OrtNatives.cachedLibraries(file.resolve("below"), file));
        assertNull(System.getProperty(OrtNatives.PROPERTY));
    }
}
