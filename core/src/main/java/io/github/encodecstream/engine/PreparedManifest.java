package io.github.encodecstream.engine;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.graph.StateSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A prepared model's {@code manifest.properties} ({@link ModelCache}): the graphs, their states, the
 * codebooks' shape, and each file's size and {@link DigestStamp} ({@code file.NAME=SIZE IDENTITY SHA256}).
 */
final class PreparedManifest {
    private static final System.Logger LOG = System.getLogger(PreparedManifest.class.getName());

    List<String> graphs = List.of();
    List<StateSpec> states = List.of();
    int[] codebooks;
    private final Properties files = new Properties();

    /** Writes the manifest, with the size and stamp (hashing it) of every other file in {@code dir}. */
    void write(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (!name.equals(ModelCache.MANIFEST)) {
                    files.setProperty(name, Files.size(f) + " " + DigestStamp.take(f));
                }
            }
        }
        store(dir);
    }

    /** Writes the manifest of {@link #files} (owner-only). */
    private void store(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", Integer.toString(ModelCache.FORMAT));
        p.setProperty("graphs", String.join(",", graphs));
        p.setProperty("codebooks", codebooks[0] + "," + codebooks[1] + "," + codebooks[2]);
        List<String> s = new ArrayList<>();
        for (StateSpec spec : states) {
            s.add(spec.name() + "|" + spec.channels() + "|" + spec.length());
        }
        p.setProperty("states", String.join(";", s));
        for (String name : files.stringPropertyNames()) {
            p.setProperty("file." + name, files.getProperty(name));
        }
        try (AtomicWrite write = AtomicWrite.file(dir.resolve(ModelCache.MANIFEST))) {
            try (OutputStream out = write.newOutputStream()) {
                p.store(out, "encodec-stream prepared model");
            }
            DigestStamp.restrict(write.temporary());
            write.commit();
        }
    }

    static PreparedManifest read(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(ModelCache.MANIFEST))) {
            p.load(in);
        }
        if (!Integer.toString(ModelCache.FORMAT).equals(p.getProperty("format"))) {
            throw new IOException("manifest format " + p.getProperty("format"));
        }
        PreparedManifest m = new PreparedManifest();
        m.graphs = List.of(required(p, "graphs").split(","));
        String[] books = required(p, "codebooks").split(",");
        if (books.length != 3) {
            throw new IOException("bad codebooks " + p.getProperty("codebooks"));
        }
        m.codebooks = new int[3];
        for (int i = 0; i < 3; i++) {
            m.codebooks[i] = Integer.parseInt(books[i]);
            if (m.codebooks[i] <= 0) {
                throw new IOException("bad codebooks " + p.getProperty("codebooks"));
            }
        }
        List<StateSpec> states = new ArrayList<>();
        String s = p.getProperty("states", "");
        if (!s.isEmpty()) {
            for (String spec : s.split(";")) {
                String[] f = spec.split("\\|");
                if (f.length != 3) {
                    throw new IOException("bad state " + spec);
                }
                states.add(new StateSpec(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        m.states = List.copyOf(states);
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("file.")) {
                m.files.setProperty(key.substring(5), p.getProperty(key));
            }
        }
        for (String graph : m.graphs) {
            if (m.files.getProperty(graph + ".onnx") == null) {
                throw new IOException("the manifest lists no " + graph + ".onnx");
            }
        }
        if (m.files.getProperty(ModelCache.CODEBOOKS) == null) {
            throw new IOException("the manifest lists no " + ModelCache.CODEBOOKS);
        }
        return m;
    }

    /**
     * Checks every listed file, and the manifest itself, before use: each must be owner-only, and
     * have the identity its stamp recorded, or else (a copied or touched cache) its size and the
     * recorded SHA-256, hashed; the manifest is then stamped again (best effort) so that the next
     * start need not hash. Returns this manifest.
     *
     * @throws IOException naming the first file that does not fit
     */
    PreparedManifest verify(Path dir) throws IOException {
        Path manifest = dir.resolve(ModelCache.MANIFEST);
        if (!PrivateFolders.isOwnerOnlyFile(manifest)) {
            throw new IOException(manifest + " may be written by others");
        }
        boolean restamp = false;
        for (String name : files.stringPropertyNames()) {
            String value = files.getProperty(name);
            int space = value.indexOf(' ');
            DigestStamp stamp = DigestStamp.parse(space < 0 ? "" : value.substring(space + 1));
            Path f = dir.resolve(name);
            if (stamp.vouchesFor(f)) {
                continue;
            }
            if (!PrivateFolders.isOwnerOnlyFile(f)) {
                throw new IOException(name + " is not a file of this user's only");
            }
            long size = Files.size(f);
            if (size != Long.parseLong(value.substring(0, space))) {
                throw new IOException(name + " has " + size + " bytes, the manifest says " + value);
            }
            DigestStamp now = DigestStamp.take(f);
            if (!now.sha256().equals(stamp.sha256())) {
                throw new IOException(name + " has SHA-256 " + now.sha256() + ", the manifest says " + stamp.sha256());
            }
            files.setProperty(name, size + " " + now);
            restamp = true;
        }
        if (restamp) {
            try {
                store(dir);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "cannot stamp " + dir + " again (" + e + ")");
            }
        }
        return this;
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isEmpty()) {
            throw new IOException("the manifest has no " + key);
        }
        return v;
    }
}
