package io.github.encodecstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.CacheFiles;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.PrivateFolders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * ONNX Runtime's native libraries, extracted once into the per-user cache instead of into a new
 * temporary directory on every start, and trusted from there only as the build knew them.
 *
 * <p>ONNX Runtime's Java binding copies its libraries (about 23 MB on linux-x64) out of its jar
 * into a fresh temporary directory each time it initialises, unless the system property
 * {@value #PROPERTY} names a directory that holds them. {@link #cachedLibraries} copies them, the
 * first time, into {@code ROOT/VERSION-PLATFORM-HASH/} (ROOT: the cache's {@code onnxruntime/};
 * HASH: of the libraries' names, sizes and SHA-256 values, so another build of ONNX Runtime gets
 * another directory), written as a temporary directory that is then renamed, and returns that
 * directory. The trust rules:
 * <ul>
 *   <li>Every library must be listed, with its SHA-256, in {@value #DIGESTS}, which the build
 *       writes from the ONNX Runtime artifact it packs; a library the list does not know (another
 *       ONNX Runtime on the class path) means no cache.</li>
 *   <li>{@code ROOT}, the library directory and each folder up to the cache root must be
 *       {@linkplain PrivateFolders#isPrivate private} (new ones are made {@code 0700}); a shared
 *       cache is not used.</li>
 *   <li>Each library is hashed while it is extracted and must match the list; its
 *       {@link DigestStamp} (identity and SHA-256) goes into {@value #STAMP} in the directory, so
 *       that later starts check identities only, not 20+ MB of code.</li>
 *   <li>Anything that does not fit (a folder others may write, a library changed, replaced or
 *       linked, a missing or forged stamp) is never handed to ONNX Runtime: one WARNING, and the
 *       libraries are extracted again (private cache) or left to ONNX Runtime's own temporary
 *       directory.</li>
 * </ul>
 * Setting the property is JVM-wide, so it is the application's to do (the command line does),
 * before ONNX Runtime's classes initialise (the first session, environment or tensor); later, the
 * property is read no more.
 */
public final class OrtNatives {
    /** ONNX Runtime's system property: a directory holding its native libraries. */
    public static final String PROPERTY = "onnxruntime.native.path";
    /** The libraries ONNX Runtime's jars may carry, by their short names. */
    static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared",
            "onnxruntime_providers_cuda", "onnxruntime_providers_rocm", "onnxruntime_providers_dnnl",
            "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt", "onnxruntime_providers_qnn",
            "webgpu_dawn", "dxil", "dxcompiler");
    /** The resource, beside this class, that lists each packed library's SHA-256 ({@code SHA256 PLATFORM/FILE} lines). */
    static final String DIGESTS = "onnxruntime-natives.sha256";
    /** The stamp in a library directory: a line {@code FILE IDENTITY SHA256} per library. */
    static final String STAMP = ".stamp";

    private static final System.Logger LOG = System.getLogger(OrtNatives.class.getName());

    private OrtNatives() {}

    /**
     * ONNX Runtime's libraries for this platform under {@code root} (the cache's
     * {@code onnxruntime/} directory, which the caller names, inside the cache directory
     * {@code cacheRoot}), extracted there first if needed: the directory to name in
     * {@value #PROPERTY}. Never throws; logs one WARNING when the cache is not trustworthy, one
     * DEBUG line on other failures.
     *
     * @return the directory, or null when the property is set already (by the user, or an earlier
     *     call), the jar has no libraries for this platform, the build does not know them, or the
     *     cache cannot be used or trusted
     */
    public static synchronized Path cachedLibraries(Path root, Path cacheRoot) {
        if (System.getProperty(PROPERTY) != null) {
            return null;
        }
        try {
            return StartupTrace.time("onnxruntime natives cache", () -> prepare(root, cacheRoot, platform()));
        } catch (Untrusted e) {
            LOG.log(Level.WARNING, () -> "ONNX Runtime's libraries are not loaded from the cache: " + e.getMessage()
                    + "; ONNX Runtime extracts them to a temporary directory");
            return null;
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

    /** A library found in ONNX Runtime's jar: its file name, resource, size and the SHA-256 the build recorded. */
    private record Library(String fileName, URL url, long size, String sha256) {}

    /** Why the cache is not used: a folder others may write, or libraries that are not the build's. */
    static final class Untrusted extends IOException {
        private static final long serialVersionUID = 1L;

        Untrusted(String message) {
            super(message);
        }
    }

    /**
     * The cache directory holding this platform's libraries, extracted if needed; null when the
     * jar has none for this platform (the libraries then come from the library path) or the build
     * did not record them.
     *
     * @throws Untrusted when the cache's folders or libraries cannot be trusted and are not used
     */
    static Path prepare(Path root, Path cacheRoot, String platform) throws IOException {
        return prepare(root, cacheRoot, platform, digests());
    }

    /** The same with the SHA-256 values the build recorded, by {@code PLATFORM/FILE}. */
    static Path prepare(Path root, Path cacheRoot, String platform, Map<String, String> digests) throws IOException {
        List<Library> libraries = new ArrayList<>();
        for (String name : LIBRARIES) {
            String fileName = System.mapLibraryName(name).replace("jnilib", "dylib");
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform + "/" + fileName);
            if (url != null) {
                String sha256 = digests.get(platform + "/" + fileName);
                if (sha256 == null) {
                    LOG.log(Level.DEBUG, () -> "the build did not record " + url + "; not cached");
                    return null;
                }
                libraries.add(new Library(fileName, url, size(url), sha256));
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
            identity.append('\n').append(l.fileName()).append(' ').append(l.size()).append(' ').append(l.sha256());
        }
        Path dir = root.resolve((version != null ? version.replaceAll("[^0-9A-Za-z._-]", "_") : "onnxruntime")
                + "-" + platform + "-" + hash64(identity.toString()));
        Optional<String> shared = PrivateFolders.createIfTrusted(root, cacheRoot);
        if (shared.isPresent()) {
            throw new Untrusted(shared.get());
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Optional<String> unfit = unfit(dir, cacheRoot, libraries);
            if (unfit.isEmpty()) {
                return dir;
            }
            LOG.log(Level.WARNING, () -> "ONNX Runtime's libraries in the cache are not loaded: " + unfit.get()
                    + "; extracting them again");
            CacheFiles.deleteTree(dir);
        }
        CacheFiles.deleteOldTemporaries(root, Duration.ofDays(1)); // an extraction a process died in
        extract(dir, libraries);
        Optional<String> unfit = unfit(dir, cacheRoot, libraries);
        if (unfit.isPresent()) { // another process's directory, moved in first
            throw new Untrusted(unfit.get());
        }
        LOG.log(Level.DEBUG, () -> "extracted ONNX Runtime's libraries into " + dir);
        return dir;
    }

    /** Extracts the libraries into {@code dir} ({@code 0700}), hashing each, with the stamp. */
    private static void extract(Path dir, List<Library> libraries) throws IOException {
        try (AtomicWrite write = AtomicWrite.directory(dir)) {
            Path tmp = PrivateFolders.makePrivate(write.temporary());
            StringBuilder stamp = new StringBuilder();
            for (Library l : libraries) {
                DigestStamp written;
                try (InputStream in = l.url().openStream()) {
                    written = DigestStamp.write(in, tmp.resolve(l.fileName()));
                }
                if (!written.sha256().equals(l.sha256())) {
                    // another ONNX Runtime than the build's on the class path, with the same file names
                    throw new IOException(l.url() + " has SHA-256 " + written.sha256() + ", not the " + l.sha256()
                            + " the build recorded");
                }
                stamp.append(l.fileName()).append(' ').append(written).append('\n');
            }
            Files.writeString(tmp.resolve(STAMP), stamp, StandardCharsets.US_ASCII);
            DigestStamp.restrict(tmp.resolve(STAMP));
            write.commit(); // false: another process was quicker (checked by the caller)
        }
    }

    /**
     * Why the libraries in {@code dir} may not be loaded without hashing; empty when the folders are
     * private, the stamp is owner-only and vouches for every library with the SHA-256 the build
     * recorded.
     */
    private static Optional<String> unfit(Path dir, Path cacheRoot, List<Library> libraries) {
        Optional<String> shared = PrivateFolders.whyNotPrivate(dir, cacheRoot);
        if (shared.isPresent()) {
            return shared;
        }
        Path stampFile = dir.resolve(STAMP);
        Map<String, DigestStamp> stamps = new HashMap<>();
        try {
            if (!PrivateFolders.isOwnerOnlyFile(stampFile)) {
                return Optional.of(stampFile + " may be written by others");
            }
            for (String line : Files.readAllLines(stampFile, StandardCharsets.US_ASCII)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    stamps.put(line.substring(0, space), DigestStamp.parse(line.substring(space + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("no usable stamp in " + dir + " (" + e + ")");
        }
        for (Library l : libraries) {
            DigestStamp stamp = stamps.get(l.fileName());
            Path file = dir.resolve(l.fileName());
            if (stamp == null || !stamp.sha256().equals(l.sha256())) {
                return Optional.of(file + " is not stamped with the SHA-256 the build recorded");
            }
            if (!stamp.vouchesFor(file)) {
                return Optional.of(file + " was changed or replaced since it was extracted, or others may write it");
            }
        }
        return Optional.empty();
    }

    /** The SHA-256 values the build recorded, by {@code PLATFORM/FILE}; empty when the resource is missing. */
    static Map<String, String> digests() throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (InputStream in = OrtNatives.class.getResourceAsStream(DIGESTS)) {
            if (in == null) {
                return digests;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && DigestStamp.SHA256.matcher(f[0]).matches()) {
                    digests.put(f[1], f[0]);
                }
            }
        }
        return digests;
    }

    /** A library's size in the jar (or in a class-path directory), without reading it. */
    private static long size(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry.getSize() < 0) {
                throw new IOException("size of " + url + " unknown");
            }
            return entry.getSize();
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Files.size(Paths.get(url.toURI()));
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
