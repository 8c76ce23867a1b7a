package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library planted in the natives cache is never loaded: a real shared library whose constructor
 * writes a marker file, padded to the size of ONNX Runtime's own, replaces it in the cache; a child
 * JVM then does what the command line does (names the cache's libraries to ONNX Runtime when
 * {@link Models#cachedNativeLibraries} gives them) and decodes a reference file. The marker must
 * not appear and the samples must be the reference's. The control shows that loading the planted
 * library does write the marker.
 */
class PlantedNativesTest {
    private static final String ORT = System.mapLibraryName("onnxruntime");
    private static final Case CASE = ReferenceCases.named("48k_bw6");

    @TempDir
    Path tmp;

    private Path cache;
    private Path marker;

    @BeforeEach
    void cache() throws IOException {
        cache = PrivateFolders.create(tmp.resolve("cache"));
        marker = tmp.resolve("marker");
    }

    /** A shared library whose constructor writes {@link #marker}, zero-padded to {@code size} bytes. */
    private Path plantedLibrary(long size) throws Exception {
        Path source = Files.writeString(tmp.resolve("planted.c"), """
                #include <stdio.h>
                __attribute__((constructor)) static void planted(void) {
                    FILE *f = fopen(MARKER, "w");
                    if (f) { fputs("loaded", f); fclose(f); }
                }
                """);
        Path library = tmp.resolve("planted.so");
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-DMARKER=\"" + marker + "\"", "-o",
                library.toString(), source.toString()).redirectErrorStream(true).start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc ran too long");
        assertEquals(0, gcc.exitValue(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        long compiled = Files.size(library);
        assertTrue(compiled < size, compiled + " bytes");
        Files.write(library, new byte[(int) (size - compiled)], StandardOpenOption.APPEND);
        assertEquals(size, Files.size(library));
        return library;
    }

    /** ONNX Runtime's libraries extracted into the cache, as an earlier run left them. */
    private Path extracted() throws IOException {
        Path dir = OrtNatives.prepare(cache.resolve("onnxruntime"), cache, OrtNatives.platform());
        assertNotNull(dir, "this platform's jar carries libraries");
        return dir;
    }

    private ChildJvm.Result decodeInChild() throws Exception {
        return ChildJvm.run(ChildJvm.builder(DecodeWithCachedNatives.class.getName(), cache.toString()), 120);
    }

    @Test
    void control_theMarkerLibraryWritesItsMarkerWhenLoaded() throws Exception {
        Path planted = plantedLibrary(100_000);
        ChildJvm.Result run = ChildJvm.run(ChildJvm.builder(Load.class.getName(), planted.toString()), 60);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("loaded", Files.readString(marker));
    }

    @Test
    void aSameSizeLibraryInAGroupWritableCacheIsNotLoaded() throws Exception {
        Path dir = extracted();
        Path library = dir.resolve(ORT);
        Files.copy(plantedLibrary(Files.size(library)), library, StandardCopyOption.REPLACE_EXISTING);
        // a stamp forged to fit the planted file: only the folder rule stands in the way
        String genuine = Files.readAllLines(dir.resolve(OrtNatives.STAMP)).stream()
                .filter(l -> l.startsWith(ORT + " ")).findFirst().orElseThrow().split(" ")[2];
        String forgedLine = ORT + " " + new DigestStamp(FileIdentity.of(library), genuine);
        List<String> forged = Files.readAllLines(dir.resolve(OrtNatives.STAMP)).stream()
                .map(l -> l.startsWith(ORT + " ") ? forgedLine : l).toList();
        Files.write(dir.resolve(OrtNatives.STAMP), forged);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxr-x"));

        ChildJvm.Result run = decodeInChild();
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(Files.exists(marker), "the planted library was loaded: " + run);
        String out = new String(run.stdout(), StandardCharsets.UTF_8);
        assertTrue(out.contains("natives null\n"), out);
        assertFalse(out.contains(library.toString()), "mapped from the cache: " + out);
        assertTrue(out.contains("samples ok\n"), out);
        assertEquals(1, warnings(run), run.stderr());
    }

    @Test
    void aWrongHashLibraryInAPrivateCacheIsNotLoaded() throws Exception {
        Path dir = extracted();
        Path library = dir.resolve(ORT);
        String genuine = DigestStamp.sha256(library);
        Files.copy(plantedLibrary(Files.size(library)), library, StandardCopyOption.REPLACE_EXISTING);

        ChildJvm.Result run = decodeInChild();
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(Files.exists(marker), "the planted library was loaded: " + run);
        String out = new String(run.stdout(), StandardCharsets.UTF_8);
        assertTrue(out.contains("natives " + dir + "\n"), "extracted again into the private cache: " + out);
        assertTrue(out.contains("mapped " + library + "\n"), "ONNX Runtime loaded the cache's library: " + out);
        assertEquals(genuine, DigestStamp.sha256(library), "the genuine library is back");
        assertTrue(out.contains("samples ok\n"), out);
        assertEquals(1, warnings(run), run.stderr());
    }

    private static long warnings(ChildJvm.Result run) {
        return run.stderr().lines().filter(l -> l.startsWith("WARNING") && l.contains("ONNX Runtime's libraries")).count();
    }

    /** Child: {@code System.load} of a library. */
    public static final class Load {
        public static void main(String[] args) {
            System.load(args[0]);
        }
    }

    /**
     * Child: what the command line does with the cache {@code args[0]}, then decodes {@link #CASE};
     * prints {@code natives DIR}, the ONNX Runtime libraries mapped ({@code mapped FILE}) and
     * {@code samples ok} when the samples are the reference's.
     */
    public static final class DecodeWithCachedNatives {
        public static void main(String[] args) throws Exception {
            ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).cacheDirectory(Path.of(args[0]))
                    .offline(true).build();
            Path natives = Models.cachedNativeLibraries(store);
            System.out.println("natives " + natives);
            if (natives != null) {
                System.setProperty(OrtNatives.PROPERTY, natives.toString()); // the application's to do; this JVM is ours
            }
            Models models = Models.builder().store(store).device("cpu").threads(1).build();
            float[] out;
            try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(CASE.file(".ecdc")),
                    DecoderOptions.defaults().withModels(models))) {
                out = Samples.drain(decoder);
            }
            for (String mapped : Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("libonnxruntime")).map(l -> l.substring(l.indexOf('/')))
                    .collect(Collectors.toCollection(java.util.TreeSet::new))) {
                System.out.println("mapped " + mapped);
            }
            float[] reference = ReferenceData.readF32(CASE.file(".out.f32"));
            double error = Samples.maxError(reference, 0, out);
            System.out.println(out.length == reference.length && error <= 1e-4 ? "samples ok"
                    : "samples differ: " + out.length + " of " + reference.length + ", max error " + error);
        }
    }
}
