package io.github.encodecstream.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.checkpoint.TorchCheckpoint;
import io.github.encodecstream.files.AtomicWrite;
import io.github.encodecstream.files.CacheFiles;
import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.BuiltGraph;
import io.github.encodecstream.graph.DecoderGraph;
import io.github.encodecstream.graph.EncoderGraph;
import io.github.encodecstream.graph.ExternalData;
import io.github.encodecstream.graph.GraphMode;
import io.github.encodecstream.graph.StateSpec;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.model.DecoderArchitecture;
import io.github.encodecstream.model.EncoderArchitecture;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.runtime.OrtNatives;
import io.github.encodecstream.runtime.SessionFactory;
import io.github.encodecstream.runtime.StartupTrace;
import io.github.encodecstream.store.CacheLayout;
import io.github.encodecstream.store.ModelStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Prepared models: the ONNX graphs of a checkpoint's decoder or encoder, built once and kept in
 * the cache directory, so that later processes load them without reading the checkpoint or
 * building graphs.
 *
 * <p>A prepared network is a directory {@code CACHE/prepared/STEM.PART.KEY/} ({@code STEM}: the
 * checkpoint's file name without {@code .th}; {@code PART}: {@code decoder} or {@code encoder})
 * holding
 * <ul>
 *   <li>the graphs as ONNX models, {@code segment.onnx} or {@code start.onnx} and
 *       {@code step.onnx}, exactly as {@link DecoderGraph}/{@link EncoderGraph} build them (no
 *       ONNX Runtime optimisation is saved: sessions optimise at load as they always did, so the
 *       files depend on neither ONNX Runtime's version, the device, nor the CPU);</li>
 *   <li>their weights as ONNX external data in one file, {@code weights.bin} (page-aligned, each
 *       tensor once even when both streaming graphs use it), which ONNX Runtime reads without the
 *       Java heap;</li>
 *   <li>the codebooks, {@code codebooks.f32} (little-endian floats);</li>
 *   <li>{@code manifest.properties}: what the graphs' states are, and each file's size and
 *       {@link io.github.encodecstream.files.DigestStamp} (SHA-256 taken when it was written, and
 *       identity), checked before every use.</li>
 * </ul>
 * {@code KEY} hashes everything the files depend on: the checkpoint's identity (real path, size,
 * modification time and file key; the file is not read), the network, and a fingerprint of the
 * code that builds the graphs (its class files and {@link #FORMAT}). A network is built into a
 * temporary directory beside its final place and renamed into it, so that a reader sees a
 * complete directory or none.
 *
 * <p>Trust: an entry is loaded only from folders {@linkplain PrivateFolders#isPrivate private} up
 * to the cache root (new ones are made {@code 0700}), and only when every file is owner-only and
 * its identity is the one its stamp recorded (no hashing), or, the identity changed (a copied or
 * touched cache), its SHA-256 is still the recorded one (hashed once, then stamped again). Anything
 * else (a file missing, truncated or changed, a graph ONNX Runtime rejects, folders others may
 * write) is never loaded: one WARNING, and the entry is deleted and built again, or, when the
 * prepared models' folder itself is not private or cannot be written, the network is built into
 * a private temporary directory that is deleted after loading. Entries of other
 * keys for the same checkpoint and part that were not used for {@link #STALE} are deleted when a
 * new one is built.
 *
 * <p>Beside the entries, {@link #checkpointSha256} keeps a checkpoint's SHA-256 under the same kind of
 * identity key ({@code STEM.sha256.KEY}: the hash and the identity), so that an LM checkpoint found in a models folder
 * (whose {@code lmh} every entropy-coded file is checked against) is hashed once, not at every start.
 *
 * <p>The system property {@value #PROPERTY}{@code =false} turns the cache off (every load builds
 * the graphs, into a temporary directory).
 */
public final class ModelCache {
    /** System property: {@code false} turns prepared models off. */
    static final String PROPERTY = "encodec.prepared";
    /** The version of the layout; part of every key. */
    static final int FORMAT = 2;
    /** How long an entry of an older key lives unused before a new build deletes it. */
    static final Duration STALE = Duration.ofDays(7);

    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());
    static final String MANIFEST = "manifest.properties";
    private static final String WEIGHTS = "weights.bin";
    static final String CODEBOOKS = "codebooks.f32";
    /** The classes whose code decides the prepared files, fingerprinted into the key. */
    private static final List<Class<?>> BUILDERS = List.of(ModelCache.class, TorchCheckpoint.class, Tensor.class,
            DecoderGraph.class, EncoderGraph.class, ExternalData.class, io.github.encodecstream.graph.OnnxGraphBuilder.class,
            DecoderArchitecture.class, EncoderArchitecture.class, Layer.class, Codebooks.class,
            io.github.encodecstream.model.WeightNorm.class);
    private static volatile String fingerprint;

    /** Which network of a model: how its layers are read from a checkpoint and its graphs built. */
    public enum Part {
        DECODER(DecoderArchitecture::read, DecoderGraph::build),
        ENCODER(EncoderArchitecture::read, EncoderGraph::build);

        private final BiFunction<Map<String, Tensor>, Boolean, List<Layer>> layers;
        private final BiFunction<List<Layer>, GraphMode, BuiltGraph> graph;

        Part(BiFunction<Map<String, Tensor>, Boolean, List<Layer>> layers,
                BiFunction<List<Layer>, GraphMode, BuiltGraph> graph) {
            this.layers = layers;
            this.graph = graph;
        }

        /** {@code decoder} or {@code encoder}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The network's layers; {@code groupNorm}: the 48 kHz model's GroupNorm after each convolution. */
        List<Layer> layers(Map<String, Tensor> tensors, boolean groupNorm) {
            return layers.apply(tensors, groupNorm);
        }

        /** The network's graph in one mode. */
        BuiltGraph graph(List<Layer> layers, GraphMode mode) {
            return graph.apply(layers, mode);
        }
    }

    private final Path root;
    private final Path cacheRoot;
    private final boolean enabled;
    private final AtomicBoolean warnedShared = new AtomicBoolean();
    private final Runnable afterBuild;

    /**
     * The cache in {@code cacheDirectory}'s {@link CacheLayout#preparedModels()}; {@code enabled}
     * false builds every time.
     */
    ModelCache(Path cacheDirectory, boolean enabled) {
        this(cacheDirectory, enabled, () -> { });
    }

    /** The same, running {@code afterBuild} after each build (see {@link io.github.encodecstream.codec.Models.Builder#afterBuild}). */
    ModelCache(Path cacheDirectory, boolean enabled, Runnable afterBuild) {
        this.root = CacheLayout.of(cacheDirectory).preparedModels();
        this.cacheRoot = cacheDirectory;
        this.enabled = enabled;
        this.afterBuild = afterBuild;
    }

    /** The cache of a store, on unless the system property {@value #PROPERTY} is {@code false}. */
    public static ModelCache of(ModelStore store, Runnable afterBuild) {
        return new ModelCache(store.cacheDirectory(), io.github.encodecstream.runtime.Settings.fromSystem().prepared(),
                afterBuild);
    }

    /** Where the cache's entries are. */
    Path root() {
        return root;
    }

    /**
     * The network {@code part} of the checkpoint {@code checkpoint} of {@code family}, loaded
     * into sessions: from its prepared directory when that is there and sound, else built (and
     * kept, when the cache is on and writable).
     */
    public NetworkSessions open(ModelFamily family, Part part, Path checkpoint, SessionFactory sessions) throws IOException {
        Objects.requireNonNull(sessions, "sessions");
        return open(family, part, checkpoint, () -> sessions);
    }

    /**
     * {@link #open(ModelFamily, Part, Path, SessionFactory)} with the session factory asked for
     * once the prepared entry's key is known: computing the key (which fingerprints the graph
     * code) overlaps whatever makes the factory (ONNX Runtime's start, in
     * {@link io.github.encodecstream.codec.Models}). A failure of {@code source} fails the open as
     * it was thrown, and leaves the prepared entry alone.
     */
    public NetworkSessions open(ModelFamily family, Part part, Path checkpoint, SessionSource source)
            throws IOException {
        String name = family.fileName() + " " + part.label();
        if (!enabled) {
            return buildTemporary(family, part, checkpoint, source.get(), name);
        }
        Path dir = StartupTrace.time("prepared key", () -> entry(family, part, checkpoint));
        Optional<String> shared = privateRoot();
        // asked for here, not where the first session is made: a factory that failed must not look like a damaged entry
        SessionFactory sessions = source.get();
        if (shared.isPresent()) {
            return buildTemporary(family, part, checkpoint, sessions, name);
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                NetworkSessions loaded = loadTrusted(dir, sessions, name);
                touch(dir);
                return loaded;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, () -> "the prepared " + name + " in " + dir + " is not used (" + e.getMessage()
                        + "); building it again");
                CacheFiles.deleteTree(dir);
            }
        }
        AtomicWrite write;
        try {
            write = AtomicWrite.directory(dir);
            PrivateFolders.makePrivate(write.temporary());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, () -> "cannot write prepared models into " + root + " (" + e + ")");
            return buildTemporary(family, part, checkpoint, sessions, name);
        }
        try (write) {
            build(family, part, checkpoint, write.temporary());
            if (write.commit()) { // else another process was quicker to move its own
                LOG.log(Level.DEBUG, () -> "prepared " + name + " in " + dir);
            }
        }
        deleteStale(dir);
        releaseBuildMemory();
        try {
            return loadTrusted(dir, sessions, name);
        } catch (IOException | RuntimeException e) { // e.g. a damaged entry another process holds open (Windows)
            LOG.log(Level.WARNING, () -> "the prepared " + name + " in " + dir + " is not used (" + e.getMessage()
                    + "); using a temporary copy");
            return buildTemporary(family, part, checkpoint, sessions, name);
        }
    }

    /**
     * The SHA-256 of a checkpoint (64 lower-case hex digits), remembered in this cache under the
     * checkpoint's identity as a prepared network's key is ({@link #entry}: real path, size,
     * modification time and file key; the file is not read), so that only the first use hashes it:
     * {@code CACHE/prepared/STEM.sha256.KEY}, an owner-only file in the private folder holding the
     * hash and the identity it stands for. As for the cache's stamps ({@code DigestStamp}), a record
     * is written and believed only for a checkpoint that only this user may change (a regular file
     * of theirs, not writable by group or others): one that others may rewrite in place, keeping its
     * size and time, is hashed at every use; so it is with the cache off, or its folder not private
     * or not writable. A file that changes while it is hashed is not recorded.
     */
    public String checkpointSha256(Path checkpoint) throws IOException {
        Path real = checkpoint.toRealPath();
        if (!enabled || !PrivateFolders.isOwnerOnlyFile(real) || privateRoot().isPresent()) {
            return CacheLayout.knownSha256(checkpoint);
        }
        String identity = identity(real);
        Path record = digestRecord(real, identity);
        try {
            if (PrivateFolders.isOwnerOnlyFile(record)) {
                String[] lines = Files.readString(record, StandardCharsets.US_ASCII).split("\n", 2);
                if (lines.length == 2 && io.github.encodecstream.files.DigestStamp.SHA256.matcher(lines[0]).matches()
                        && lines[1].equals(identity + "\n")) {
                    touch(record);
                    return lines[0];
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // none yet, or not one to trust: hashed again below
        }
        String sha256 = CacheLayout.knownSha256(real);
        if (identity.equals(identity(real))) {
            try (AtomicWrite write = AtomicWrite.file(record)) {
                Files.writeString(write.temporary(), sha256 + "\n" + identity + "\n", StandardCharsets.US_ASCII);
                io.github.encodecstream.files.DigestStamp.restrict(write.temporary());
                write.commit();
                io.github.encodecstream.files.DigestStamp.restrict(record); // over an older record's mode
                deleteStale(record); // the records of the file's earlier identities
            } catch (IOException | UnsupportedOperationException e) {
                LOG.log(Level.DEBUG, () -> "cannot record the SHA-256 of " + checkpoint + " in " + root + " (" + e + ")");
            }
        }
        return sha256;
    }

    /** Where {@link #checkpointSha256} records a checkpoint's hash (for tests). */
    Path digestRecord(Path checkpoint) throws IOException {
        Path real = checkpoint.toRealPath();
        return digestRecord(real, identity(real));
    }

    private Path digestRecord(Path real, String identity) {
        return root.resolve(stem(real) + ".sha256." + OrtNatives.hash64(identity));
    }

    /** A file's identity for {@link #checkpointSha256}: {@link #fileIdentity} under this record's own header. */
    private static String identity(Path real) throws IOException {
        return String.join("\n", "format " + FORMAT, "digest sha256", fileIdentity(real));
    }

    /**
     * Creates the prepared models' folder ({@code 0700}) when missing and the folders above it are
     * private (nothing is created in a cache that others may write or that belongs to someone
     * else); why it may not be trusted (one WARNING per cache when the cache exists but others may
     * write it or a folder in it), or empty.
     */
    private Optional<String> privateRoot() {
        Optional<String> why = PrivateFolders.createIfTrusted(root, cacheRoot);
        if (why.isPresent() && Files.isDirectory(root.toAbsolutePath().getParent()) && !warnedShared.getAndSet(true)) {
            String reason = why.get();
            LOG.log(Level.WARNING, () -> "prepared models in " + root + " are not used: " + reason
                    + "; building them in a private temporary folder each time");
        }
        return why;
    }

    /** {@link #load} of a cache entry, which must lie in private folders up to the cache root. */
    private NetworkSessions loadTrusted(Path dir, SessionFactory sessions, String name) throws IOException {
        Optional<String> shared = PrivateFolders.whyNotPrivate(dir, cacheRoot);
        if (shared.isPresent()) {
            throw new IOException(shared.get());
        }
        return load(dir, sessions, name, true);
    }

    /**
     * After a build (once per model and cache): the models' hook, the command line's full
     * collection, so that the heap the weights took and the checkpoint's mapping are given back
     * before ONNX Runtime loads the sessions and decoding starts; without it they stay resident,
     * some 100 MB of peak memory on the first run.
     */
    private void releaseBuildMemory() {
        StartupTrace.time("release build memory", () -> {
            afterBuild.run();
            return null;
        });
    }

    /** Builds into a temporary directory, loads every session from it, and deletes it. */
    private NetworkSessions buildTemporary(ModelFamily family, Part part, Path checkpoint, SessionFactory sessions,
            String name) throws IOException {
        Path tmp = Files.createTempDirectory("encodec-prepared");
        try {
            build(family, part, checkpoint, tmp);
            releaseBuildMemory();
            return load(tmp, sessions, name, false);
        } finally {
            CacheFiles.deleteTree(tmp);
        }
    }

    /**
     * Loads a prepared directory, checking every file against the manifest first. With
     * {@code lazyStep}, a causal network's step session is loaded when first used (the directory
     * must stay until then). The codebooks are read on another thread while the sessions are made.
     */
    private static NetworkSessions load(Path dir, SessionFactory sessions, String name, boolean lazyStep)
            throws IOException {
        PreparedManifest manifest = StartupTrace.time("prepared check " + name, () -> PreparedManifest.read(dir).verify(dir));
        // awaited on every path below, so the read never outlives this call (Workers.close would interrupt it)
        Future<Codebooks> books = new Workers(1, "codebooks").submit(() -> StartupTrace.time("codebooks " + name,
                () -> CodebooksFile.read(dir.resolve(CODEBOOKS), manifest)));
        Sessions made;
        try {
            made = sessions(dir, manifest, sessions, name, lazyStep);
        } catch (IOException | RuntimeException | Error e) {
            Workers.awaitEnd(books);
            throw e;
        }
        try {
            return made.with(Workers.await(books));
        } catch (IOException | RuntimeException | Error e) {
            made.close(e);
            throw e;
        }
    }

    /** The sessions of a prepared directory, before the codebooks join them. */
    private record Sessions(String name, OrtSession segment, OrtSession start, OrtSession step, Path stepFile,
            List<StateSpec> states, SessionFactory factory) {
        NetworkSessions with(Codebooks books) {
            if (segment != null) {
                return NetworkSessions.segment(name, books, segment);
            }
            return step != null ? NetworkSessions.causal(name, books, start, step, states)
                    : NetworkSessions.causal(name, books, start, stepFile, states, factory);
        }

        void close(Throwable failure) {
            for (OrtSession s : new OrtSession[] {segment, start, step}) {
                if (s != null) {
                    closeQuietly(s, failure);
                }
            }
        }
    }

    private static Sessions sessions(Path dir, PreparedManifest manifest, SessionFactory sessions, String name,
            boolean lazyStep) throws IOException {
        if (manifest.graphs.equals(List.of("segment"))) {
            OrtSession segment = StartupTrace.time("session " + name + " segment",
                    () -> sessions.create(dir.resolve("segment.onnx")));
            return new Sessions(name, segment, null, null, null, List.of(), sessions);
        }
        if (!manifest.graphs.equals(List.of("start", "step"))) {
            throw new IOException("unknown graphs " + manifest.graphs);
        }
        OrtSession start = StartupTrace.time("session " + name + " start", () -> sessions.create(dir.resolve("start.onnx")));
        if (lazyStep) {
            return new Sessions(name, null, start, null, dir.resolve("step.onnx"), manifest.states, sessions);
        }
        try {
            OrtSession step = StartupTrace.time("session " + name + " step", () -> sessions.create(dir.resolve("step.onnx")));
            return new Sessions(name, null, start, step, null, manifest.states, sessions);
        } catch (IOException | RuntimeException e) {
            closeQuietly(start, e);
            throw e;
        }
    }

    /** Where {@link #open} gets the session factory from, when it first needs it. */
    @FunctionalInterface
    public interface SessionSource {
        /** The factory; may wait for it to be made. */
        SessionFactory get() throws IOException;
    }

    /**
     * Reads the checkpoint and writes the prepared files of one network into {@code dir}. The
     * checkpoint is mapped, not read; the heap holds one network's weights at a time (and, before
     * them, the codebooks while they are written).
     */
    static void build(ModelFamily family, Part part, Path checkpoint, Path dir) throws IOException {
        Map<String, Tensor> tensors = StartupTrace.time("checkpoint " + family.fileName(), () -> TorchCheckpoint.read(checkpoint));
        PreparedManifest manifest = new PreparedManifest();
        Codebooks codebooks = Codebooks.read(tensors);
        manifest.codebooks = new int[] {codebooks.count(), codebooks.bins(), codebooks.dimension()};
        CodebooksFile.write(codebooks, dir.resolve(CODEBOOKS));
        codebooks = null; // read back from the file when loading: the heap need not hold them and the weights at once
        List<Layer> layers = StartupTrace.time("layers " + part.label(), () -> part.layers(tensors, family.hasScale()));
        try (ExternalData weights = new ExternalData(dir.resolve(WEIGHTS))) {
            if (family.hasScale()) {
                manifest.graphs = List.of("segment");
                writeGraph(part.graph(layers, GraphMode.SEGMENT), dir, "segment", weights);
            } else {
                manifest.graphs = List.of("start", "step");
                writeGraph(part.graph(layers, GraphMode.STREAM_START), dir, "start", weights);
                BuiltGraph step = part.graph(layers, GraphMode.STREAM_STEP);
                writeGraph(step, dir, "step", weights);
                manifest.states = step.states();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        manifest.write(dir);
    }

    private static void writeGraph(BuiltGraph built, Path dir, String name, ExternalData weights)
            throws IOException {
        StartupTrace.time("graph " + name, () -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(name + ".onnx")), 1 << 16)) {
                built.graph().write(out, weights);
            }
            return null;
        });
    }

    /** The entry directory of a network: its key from the checkpoint's identity, the part and the builders. */
    Path entry(ModelFamily family, Part part, Path checkpoint) throws IOException {
        Path real = checkpoint.toRealPath();
        String identity = String.join("\n", "format " + FORMAT, "builders " + fingerprint(), "family " + family.fileName(),
                "part " + part.label(), fileIdentity(real));
        return root.resolve(stem(real) + "." + part.label() + "." + OrtNatives.hash64(identity));
    }

    /**
     * What a key holds of a checkpoint (read with {@code stat}, the file is not read): its real path,
     * size, modification time and file key, one per line.
     */
    private static String fileIdentity(Path real) throws IOException {
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return String.join("\n", "file " + real, "size " + a.size(),
                "modified " + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), "key " + a.fileKey());
    }

    /** A checkpoint's file name without {@code .th}, in the characters a cache name may hold. */
    private static String stem(Path real) {
        return real.getFileName().toString().replaceFirst("\\.th$", "").replaceAll("[^0-9A-Za-z._-]", "_");
    }

    /** A hash of the class files of the code that builds prepared models. */
    static String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            try {
                CRC32 crc = new CRC32();
                CRC32C crcC = new CRC32C();
                for (Class<?> c : BUILDERS) {
                    byte[] name = c.getName().getBytes(StandardCharsets.UTF_8);
                    crc.update(name);
                    crcC.update(name);
                    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                        if (in != null) {
                            byte[] code = in.readAllBytes();
                            crc.update(code);
                            crcC.update(code);
                        }
                    }
                }
                f = String.format(Locale.ROOT, "%08x%08x", crc.getValue(), crcC.getValue());
            } catch (IOException e) {
                f = "unknown";
            }
            fingerprint = f;
        }
        return f;
    }

    /** Marks an entry as used (its modification time), at most once a day. */
    private static void touch(Path dir) {
        try {
            FileTime now = FileTime.from(Instant.now());
            if (Files.getLastModifiedTime(dir).toInstant().isBefore(now.toInstant().minus(Duration.ofDays(1)))) {
                Files.setLastModifiedTime(dir, now);
            }
        } catch (IOException | RuntimeException e) {
            // only the clean-up's clock
        }
    }

    /**
     * Deletes the entries of other keys for the same checkpoint and part that were not used for
     * {@link #STALE}, and the temporaries a day old that a process left when it died writing (a
     * build's directory, a record's file: {@link CacheFiles#deleteOldTemporaries}).
     */
    private void deleteStale(Path current) {
        String name = current.getFileName().toString();
        String prefix = name.substring(0, name.lastIndexOf('.') + 1);
        Instant now = Instant.now();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && !n.equals(name);
        })) {
            for (Path p : entries) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(now.minus(STALE))) {
                    LOG.log(Level.DEBUG, () -> "deleting the stale prepared model " + p);
                    CacheFiles.deleteTree(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for next time
        }
        CacheFiles.deleteOldTemporaries(root, Duration.ofDays(1));
    }

    private static void closeQuietly(OrtSession session, Throwable failure) {
        try {
            session.close();
        } catch (OrtException e) {
            failure.addSuppressed(e);
        }
    }
}
