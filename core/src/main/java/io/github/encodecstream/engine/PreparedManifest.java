package io.github.encodecstream.engine;

import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.graph.StateSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A prepared model's {@code manifest.properties} ({@link ModelCache}): the graphs, their states, the
 * codebooks' shape, each file's size and CRC-32C.
 */
final class PreparedManifest {
    List<String> graphs = List.of();
    List<StateSpec> states = List.of();
    int[] codebooks;
    private final Properties files = new Properties();

    /** Writes the manifest, with the size and CRC of every other file in {@code dir}. */
    void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", Integer.toString(ModelCache.FORMAT));
        p.setProperty("graphs", String.join(",", graphs));
        p.setProperty("codebooks", codebooks[0] + "," + codebooks[1] + "," + codebooks[2]);
        List<String> s = new ArrayList<>();
        for (StateSpec spec : states) {
            s.add(spec.name() + "|" + spec.channels() + "|" + spec.length());
        }
        p.setProperty("states", String.join(";", s));
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (!name.equals(ModelCache.MANIFEST)) {
                    p.setProperty("file." + name, Files.size(f) + " " + crc(f));
                }
            }
        }
        try (AtomicWrite write = AtomicWrite.file(dir.resolve(ModelCache.MANIFEST))) {
            try (OutputStream out = write.newOutputStream()) {
                p.store(out, "encodec-stream prepared model");
            }
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

    /** Checks every listed file's size and CRC; returns this manifest. */
    PreparedManifest verify(Path dir) throws IOException {
        for (String name : files.stringPropertyNames()) {
            String[] expected = files.getProperty(name).split(" ");
            Path f = dir.resolve(name);
            long size = Files.size(f);
            if (expected.length != 2 || size != Long.parseLong(expected[0])) {
                throw new IOException(name + " has " + size + " bytes, the manifest says " + files.getProperty(name));
            }
            String crc = crc(f);
            if (!crc.equals(expected[1])) {
                throw new IOException(name + " has CRC-32C " + crc + ", the manifest says " + expected[1]);
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

    /** The CRC-32C of a file, in hex. */
    static String crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            for (long pos = 0; pos < size; pos += 1 << 30) {
                crc.update(in.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(1 << 30, size - pos)));
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
