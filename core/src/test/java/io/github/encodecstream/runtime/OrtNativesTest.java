package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's libraries extracted once into the cache. */
class OrtNativesTest {
    @TempDir
    Path cache;

    private static long resourceSize(String fileName) throws IOException {
        try (InputStream in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream(
                "/ai/onnxruntime/native/" + OrtNatives.platform() + "/" + fileName)) {
            return in.readAllBytes().length;
        }
    }

    @Test
    void extractsOnceAndRepairs() throws IOException {
        Path root = cache.resolve("onnxruntime");
        Path dir = OrtNatives.prepare(root, OrtNatives.platform());
        assertNotNull(dir, "this platform's jar carries libraries");
        assertTrue(dir.startsWith(root), dir.toString());
        String jni = System.mapLibraryName("onnxruntime4j_jni").replace("jnilib", "dylib");
        String ort = System.mapLibraryName("onnxruntime").replace("jnilib", "dylib");
        for (String lib : List.of(jni, ort)) {
            assertEquals(resourceSize(lib), Files.size(dir.resolve(lib)), lib);
        }
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(dir.resolve(ort), written);
        assertEquals(dir, OrtNatives.prepare(root, OrtNatives.platform()));
        assertEquals(written, Files.getLastModifiedTime(dir.resolve(ort)), "not extracted again");

        try (FileChannel f = FileChannel.open(dir.resolve(ort), StandardOpenOption.WRITE)) {
            f.truncate(1000);
        }
        assertEquals(dir, OrtNatives.prepare(root, OrtNatives.platform()));
        assertEquals(resourceSize(ort), Files.size(dir.resolve(ort)), "a truncated library is extracted again");
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(List.of(dir), left.toList(), "no temporary directories left");
        }
    }

    @Test
    void platformWithoutLibraries() throws IOException {
        assertNull(OrtNatives.prepare(cache, "android-x86"));
    }

    @Test
    void userPropertyWins() {
        String saved = System.getProperty(OrtNatives.PROPERTY);
        System.setProperty(OrtNatives.PROPERTY, "/somewhere/else");
        try {
            assertNull(OrtNatives.cachedLibraries(cache));
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
        String saved = System.getProperty(OrtNatives.PROPERTY);
        if (saved != null) {
            return; // set by the user or an earlier test: cachedLibraries does nothing
        }
        assertNull(OrtNatives.cachedLibraries(file.resolve("below")));
        assertNull(System.getProperty(OrtNatives.PROPERTY));
    }
}
