package io.github.encodecstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.CacheFiles;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * ONNX Runtime's native libraries, extracted once into the per-user cache instead of into a new
 * temporary directory on every start.
 *
 * <p>ONNX Runtime's Java binding copies its libraries (about 23 MB on linux-x64) out of its jar
 * into a fresh temporary directory each time it initialises, unless the system property
 * {@value #PROPERTY} names a directory that holds them. {@link #cachedLibraries} copies them, the
 * first time, into {@code ROOT/VERSION-PLATFORM-HASH/} (ROOT: the cache's {@code onnxruntime/};
 * HASH: of the libraries' names, sizes and CRCs as the jar lists them, so another build of ONNX
 * Runtime gets another directory),
 * written as a temporary directory that is then renamed, and returns that directory. Setting the
 * property is JVM-wide, so it is the application's to do (the command line does), before ONNX
 * Runtime's classes initialise (the first session, environment or tensor); later, the property is
 * read no more.
 */
public final class OrtNatives {
    /** ONNX Runtime's system property: a directory holding its native libraries. */
    public static final String PROPERTY = "onnxruntime.native.path";
    /** The libraries ONNX Runtime's jars may carry, by their short names. */
    static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared",
            "onnxruntime_providers_cuda", "onnxruntime_providers_rocm", "onnxruntime_providers_dnnl",
            "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt", "onnxruntime_providers_qnn",
            "webgpu_dawn", "dxil", "dxcompiler");

    private static final System.Logger LOG = System.getLogger(OrtNatives.class.getName());

    private OrtNatives() {}

    /**
     * ONNX Runtime's libraries for this platform under {@code root} (the cache's
     * {@code onnxruntime/} directory, which the caller names), extracted there first
     * if needed: the directory to name in {@value #PROPERTY}. Never throws; on any failure logs one
     * DEBUG line.
     *
     * @return the directory, or null when the property is set already (by the user, or an earlier
     *     call), the jar has no libraries for this platform, or the cache cannot be used
     */
    public static synchronized Path cachedLibraries(Path root) {
        if (System.getProperty(PROPERTY) != null) {
            return null;
        }
        try {
            return StartupTrace.time("onnxruntime natives cache", () -> prepare(root, platform()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "ONNX Runtime's libraries are not cached (" + e
                    + "); ONNX Runtime extracts them to a temporary directory");
            return null;
        }
    }

    /** ONNX Runtime's name for this platform ({@code linux-x64}, {@code osx-aarch64}, ...), as its loader forms it. */
    static String platform() {
        String os = System.getProperty("os.name", "generic").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "generic").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
                : arch.startsWith("x86") ? "x86" : arch.startsWith("aarch64") ? "aarch64"
                : arch.startsWith("ppc64") ? "ppc64" : arch.startsWith("loongarch64") ? "loongarch64" : null;
        if (o == null || a == null) {
            throw new IllegalStateException("no ONNX Runtime libraries for " + os + " on " + arch);
        }
        return o + "-" + a;
    }

    /** A library found in ONNX Runtime's jar: its file name and resource. */
    private record Library(String fileName, URL url, long size, String identity) {}

    /**
     * The cache directory holding this platform's libraries, extracted if needed; null when the
     * jar has none for this platform (the libraries then come from the library path).
     */
    static Path prepare(Path root, String platform) throws IOException {
        List<Library> libraries = new ArrayList<>();
        for (String name : LIBRARIES) {
            String fileName = System.mapLibraryName(name).replace("jnilib", "dylib");
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform + "/" + fileName);
            if (url != null) {
                libraries.add(describe(fileName, url));
            }
        }
        if (libraries.stream().noneMatch(l -> l.fileName().equals(System.mapLibraryName("onnxruntime4j_jni")
                .replace("jnilib", "dylib")))) {
            return null;
        }
        Package ort = OrtEnvironment.class.getPackage();
        // Trusted only from ONNX Runtime's own jar: a fat jar's manifest gives every package the application's version.
        String version = "onnxruntime".equals(ort.getImplementationTitle()) ? ort.getImplementationVersion() : null;
        StringBuilder identity = new StringBuilder(platform);
        for (Library l : libraries) {
            identity.append('\n').append(l.fileName()).append(' ').append(l.size()).append(' ').append(l.identity());
        }
        String hash = hash64(identity.toString());
        Path dir = root.resolve((version != null ? version.replaceAll("[^0-9A-Za-z._-]", "_") : "onnxruntime")
                + "-" + platform + "-" + hash);
        if (complete(dir, libraries)) {
            return dir;
        }
        try (AtomicWrite write = AtomicWrite.directory(dir)) {
            Path tmp = write.temporary();
            for (Library l : libraries) {
                try (InputStream in = l.url().openStream()) {
                    Files.copy(in, tmp.resolve(l.fileName()));
                }
                if (Files.size(tmp.resolve(l.fileName())) != l.size()) {
                    throw new IOException(l.fileName() + ": extracted " + Files.size(tmp.resolve(l.fileName()))
                            + " bytes, expected " + l.size());
                }
            }
            if (Files.isDirectory(dir)) { // damaged: make way
                CacheFiles.deleteTree(dir);
            }
            write.commit(); // false: another process was quicker (checked below)
        }
        if (!complete(dir, libraries)) {
            throw new IOException("the extracted libraries in " + dir + " are incomplete");
        }
        LOG.log(Level.DEBUG, () -> "extracted ONNX Runtime's libraries into " + dir);
        return dir;
    }

    /** Whether {@code dir} holds every library with its size. */
    private static boolean complete(Path dir, List<Library> libraries) {
        try {
            for (Library l : libraries) {
                Path f = dir.resolve(l.fileName());
                if (!Files.isRegularFile(f) || Files.size(f) != l.size()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A library's size and identity (its CRC in the jar, else its file's modification time), without reading it. */
    private static Library describe(String fileName, URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry.getSize() < 0) {
                throw new IOException("size of " + url + " unknown");
            }
            return new Library(fileName, url, entry.getSize(), "crc " + Long.toHexString(entry.getCrc()));
        }
        if ("file".equals(url.getProtocol())) {
            try {
                Path file = Paths.get(url.toURI());
                return new Library(fileName, url, Files.size(file), "mtime " + Files.getLastModifiedTime(file).toMillis());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        throw new IOException("cannot describe " + url);
    }

    /**
     * A 64-bit hash of the text, 16 hex digits: two CRC-32s of it (the text names files, it is not
     * adversarial; a cryptographic digest costs its providers' start-up, some 10 ms).
     */
    public static String hash64(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        CRC32C crcC = new CRC32C();
        crcC.update(bytes);
        return String.format(Locale.ROOT, "%08x%08x", crc.getValue(), crcC.getValue());
    }

}
