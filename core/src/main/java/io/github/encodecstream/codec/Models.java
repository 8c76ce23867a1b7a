package io.github.encodecstream.codec;

import ai.onnxruntime.OrtEnvironment;
import io.github.encodecstream.engine.DecoderModel;
import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.engine.ModelCache;
import io.github.encodecstream.engine.NetworkSessions;
import io.github.encodecstream.engine.RunLimit;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.runtime.OrtNatives;
import io.github.encodecstream.runtime.SessionFactory;
import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.runtime.StartupTrace;
import io.github.encodecstream.store.CacheLayout;
import io.github.encodecstream.store.ModelStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where the networks come from and where they run: the {@link ModelStore} that finds Meta's
 * checkpoints, the device ({@code cpu}, {@code cuda}, {@code cuda:N}, {@code auto}) and the
 * number of ONNX Runtime threads. Each model's decoder (and, when asked, encoder) is loaded once,
 * on first use, and shared by every stream using this object. Thread-safe.
 *
 * <p>{@link #shared()} gives the models that {@link DecoderOptions#defaults()},
 * {@link EncoderOptions}' factories and the Java Sound plugin use: those of the settings in force
 * ({@code encodec.models}, {@code encodec.cache}, {@code encodec.modelsUrl}, {@code encodec.offline},
 * {@code encodec.device}, {@code encodec.threads}, or {@code ENCODEC_*}; README.md, "Settings"),
 * built when first needed under those settings and kept for the life of the process, so that the
 * streams opened under the same settings share their networks.
 *
 * <p>The first load of a network builds its ONNX graphs from the checkpoint and keeps them, with
 * the codebooks, as a prepared model in the store's cache directory ({@code prepared/}); later
 * loads, in any process, use that and do not read the checkpoint. {@code -Dencodec.prepared=false}
 * turns prepared models off.
 *
 * <p>Models the caller built ({@link #builder()}, {@link #of(ModelStore)}) are closed by the caller
 * when no longer needed: {@link #close()} frees their ONNX Runtime sessions and the native memory
 * they hold. Streams still using closed models fail with an {@link IllegalStateException} at
 * their next network run, and loading a network from them throws one ({@code "models closed"}).
 * {@link #shared()}'s models belong to the library and cannot be closed.
 *
 * <p>The library changes nothing JVM-wide: it never calls {@code System.gc()} nor sets a system
 * property. What the command line does there, a host application may opt into:
 * {@link Builder#afterBuild(Runnable)} (a full collection after a network is built or an LM read,
 * so that the heap the checkpoint took is given back before decoding starts) and
 * {@link #cachedNativeLibraries(ModelStore)} (ONNX Runtime's native libraries extracted once
 * into the cache instead of a temporary directory at every start).
 */
public final class Models implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Models.class.getName());
    /** The process-wide models, by the store and the inference settings they were built from. */
    private static final Map<Key, Models> SHARED = new ConcurrentHashMap<>();
    /** How long {@link #close()} waits for the network runs in flight to end before it returns. */
    static final long CLOSE_WAIT_MILLIS = 1500;

    private final ModelStore store;
    private final InferenceSettings settings;
    private SessionFactory sessions;
    /** ONNX Runtime's start and the device's choice, under way until {@link #sessions} is set (loads hold {@link #loading}). */
    private Future<SessionFactory> starting;
    private ModelCache cache;
    private final Map<ModelFamily, DecoderModel> loaded = new EnumMap<>(ModelFamily.class);
    private final Map<ModelFamily, EncoderModel> encoders = new EnumMap<>(ModelFamily.class);
    private final Map<ModelFamily, Lm> lms = new EnumMap<>(ModelFamily.class);
    /** The CPU budget across all streams of these models. */
    private final RunLimit runLimit;
    /** Run after a load that made much garbage (see {@link Builder#afterBuild}). */
    private final Runnable afterBuild;
    /** Told the line logged for each load (see {@link Builder#onLoad}). */
    private final Consumer<String> onLoad;
    /** Whether these are {@link #shared()} models, which cannot be closed. */
    private final boolean library;
    /** Serialises loads, so that a network is loaded once; {@link #close()} does not wait for it. */
    private final Object loading = new Object();
    /** Serialises LM loads, apart from the networks' (an LM file's LM and network load at once). */
    private final Object loadingLm = new Object();
    /** Guarded by this. */
    private boolean closed;

    /**
     * A family's entropy-coding LM: its weights and the first 8 hex digits of its checkpoint's
     * SHA-256 ({@code lmh}), and the checkpoint's file name (for messages).
     */
    record Lm(io.github.encodecstream.entropy.LmWeights weights, String checksum, String fileName) {}

    private Models(ModelStore store, InferenceSettings settings, Runnable afterBuild, Consumer<String> onLoad,
            boolean library) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runLimit = new RunLimit(threads());
        this.afterBuild = afterBuild;
        this.onLoad = onLoad;
        this.library = library;
    }

    /**
     * Models from {@code store}, with the device and threads of system properties and the
     * environment; nothing is loaded before a stream needs it.
     *
     * @throws IllegalArgumentException when {@code encodec.device} or {@code encodec.threads} is invalid
     */
    public static Models of(ModelStore store) {
        return builder().store(store).build();
    }

    /** A builder; what it is not told comes from system properties and the environment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The process-wide models of the settings in force (system properties, else environment
     * variables: README.md, "Settings"): built on the first call under those settings, then the
     * same instance for every call under them. Settings changed later give other models to the
     * streams opened afterwards; those already open keep theirs.
     *
     * @throws IllegalArgumentException when a setting is invalid (naming it)
     */
    public static Models shared() {
        return builder().shared();
    }

    /**
     * ONNX Runtime's native libraries in {@code store}'s cache directory
     * ({@code onnxruntime/VERSION-PLATFORM-HASH/}, extracted there on the first call), for an
     * application that wants ONNX Runtime to load them from there instead of extracting them into
     * a new temporary directory at every start (the command line does):
     *
     * <pre>{@code
     * Path natives = Models.cachedNativeLibraries(store);
     * if (natives != null) {
     *     System.setProperty("onnxruntime.native.path", natives.toString());   // before the first network loads
     * }
     * }</pre>
     *
     * The system property is JVM-wide, so the library never sets it. The cache is used only when its
     * folders are private to the user and each library has the SHA-256 the build recorded (see
     * docs/RELIABILITY.md, "Threat model"). Never throws.
     *
     * @return the directory, or null when {@code onnxruntime.native.path} is set already, the jar
     *     has no libraries for this platform (or others than the build's), or the cache cannot be
     *     used or trusted (ONNX Runtime then extracts its libraries itself)
     */
    public static Path cachedNativeLibraries(ModelStore store) {
        return OrtNatives.cachedLibraries(CacheLayout.of(store.cacheDirectory()).nativeLibraries(), store.cacheDirectory());
    }

    /** The store checkpoints are found in. */
    public ModelStore store() {
        return store;
    }

    /** The device asked for: {@code cpu}, {@code cuda:N} or {@code auto}. */
    public String device() {
        return settings.device().toString();
    }

    /**
     * The CPU budget: how many threads one decoder or encoder runs its networks on at once (each
     * network run uses one thread), and how many network runs go at once across all the streams
     * that use these models (more wait their turn, in order); the available processors unless set.
     */
    public int threads() {
        return settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
    }

    /** The limit on network runs at once (for tests). */
    RunLimit runLimit() {
        return runLimit;
    }

    /**
     * The decoder of a model family, loading it on first use.
     *
     * @throws IllegalStateException when these models are closed
     */
    DecoderModel decoder(ModelFamily family) throws IOException {
        return loadOnce(loading, loaded, family,
                () -> new DecoderModel(family, load(family, ModelCache.Part.DECODER), runLimit));
    }

    /**
     * The encoder of a model family, loading it on first use (from the same checkpoint, store and
     * session settings as the decoders).
     *
     * @throws IllegalStateException when these models are closed
     */
    EncoderModel encoder(ModelFamily family) throws IOException {
        return loadOnce(loading, encoders, family,
                () -> new EncoderModel(family, load(family, ModelCache.Part.ENCODER), sessions, runLimit));
    }

    /** Loads a family's value (an LM, a network). */
    private interface Loader<T> {
        T load() throws IOException;
    }

    /**
     * A family's value in {@code map}, loaded on first use. Loads under one {@code lock} run one at
     * a time, outside this object's lock, so that {@link #close()} does not wait for one; a network
     * loaded while the models were closed is closed again.
     */
    private <T> T loadOnce(Object lock, Map<ModelFamily, T> map, ModelFamily family, Loader<T> loader)
            throws IOException {
        return loadOnce(lock, map, family, value -> true, loader);
    }

    /** {@link #loadOnce(Object, Map, ModelFamily, Loader)}, loading again when the value held is not {@code enough}. */
    private <T> T loadOnce(Object lock, Map<ModelFamily, T> map, ModelFamily family, Predicate<T> enough,
            Loader<T> loader) throws IOException {
        T value = loadedOrNull(map, family);
        if (value != null && enough.test(value)) {
            return value;
        }
        synchronized (lock) {
            value = loadedOrNull(map, family);
            if (value != null && enough.test(value)) {
                return value;
            }
            value = loader.load();
            synchronized (this) {
                if (!closed) {
                    map.put(family, value);
                    return value;
                }
            }
            if (value instanceof AutoCloseable network) {
                release(List.of(network));
            }
            throw RunLimit.closedException();
        }
    }

    private synchronized <T> T loadedOrNull(Map<ModelFamily, T> map, ModelFamily family) {
        if (closed) {
            throw RunLimit.closedException();
        }
        return map.get(family);
    }

    /** The model store's name of a family's LM checkpoint ({@code encodec_lm_48khz}, {@code encodec_lm_24khz}). */
    static String lmName(ModelFamily family) {
        return family.fileName().replace("encodec_", "encodec_lm_");
    }

    /**
     * The entropy-coding LM of a family for streams of {@code codebooks} codebooks, loaded (and its
     * checkpoint's SHA-256 computed) on first use, only when an LM file is met or written; shared.
     * The first load reads only the codebooks asked for (most of an LM's weights are per codebook); a
     * stream of more codebooks then loads the LM again with all of them, in place of the one held.
     *
     * @throws IllegalStateException when these models are closed
     */
    Lm lm(ModelFamily family, int codebooks) throws IOException {
        return loadOnce(loadingLm, lms, family, held -> held.weights().covers(codebooks), () -> {
            // decided here, under the load's lock: streams of several codebook counts at once load at most twice
            int count = loadedOrNull(lms, family) == null ? codebooks : Integer.MAX_VALUE;
            Path file = store.locate(lmName(family));
            long t0 = System.nanoTime();
            String checksum = modelCache().checkpointSha256(file).substring(0, 8);
            Lm lm = new Lm(io.github.encodecstream.entropy.LmWeights.read(file, count), checksum,
                    file.getFileName().toString());
            // reading the checkpoint makes ~80 MB of garbage in a burst, which makes G1 grow the heap
            // (to ~900 MB here) and later fill it: the command line collects here (afterBuild), so
            // that the decode's resident memory stays flat
            afterBuild.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            loaded(String.format("loaded the LM %s (sha256 %s) in %.1f s", file, checksum, seconds));
            return lm;
        });
    }

    /** For tests: uses {@code weights} as a family's LM, with the given checksum, instead of a checkpoint. */
    synchronized void useLm(ModelFamily family, io.github.encodecstream.entropy.LmWeights weights, String checksum) {
        lms.put(family, new Lm(weights, checksum, lmName(family) + " (injected)"));
    }

    /**
     * The session factory, once ONNX Runtime has started (waiting for it); a start that failed is
     * tried again by the next load.
     */
    private SessionFactory sessionFactory() throws IOException {
        if (sessions == null) {
            Future<SessionFactory> start = starting;
            starting = null;
            sessions = Workers.await(start);
        }
        return sessions;
    }

    /** Logs a load's line at {@code DEBUG} and tells {@link Builder#onLoad}. */
    private void loaded(String line) {
        LOG.log(Level.DEBUG, line);
        onLoad.accept(line);
    }

    /** The prepared models' cache, made on first use (by a network's or an LM's load). */
    private synchronized ModelCache modelCache() {
        if (cache == null) {
            cache = ModelCache.of(store, afterBuild);
        }
        return cache;
    }

    /**
     * Loads one network of a family: from its prepared model in the cache when there is one, else
     * built from the checkpoint (and prepared for next time). The first load points ONNX Runtime
     * at its libraries in the cache before it initialises, and resolves the device.
     */
    private NetworkSessions load(ModelFamily family, ModelCache.Part part) throws IOException {
        StartupTrace.mark("load " + part.label() + " " + family.fileName());
        long t0 = System.nanoTime();
        Path file = StartupTrace.time("locate", () -> store.locate(family.fileName()));
        if (sessions == null) {
            // ONNX Runtime starts while the prepared model's key is made; never left running past this load
            starting = new Workers(1, "onnxruntime").submit(() -> {
                StartupTrace.time("onnxruntime init", OrtEnvironment::getEnvironment);
                return StartupTrace.time("device", () -> new SessionFactory(settings)); // resolves the device once
            });
        }
        NetworkSessions network;
        try {
            network = modelCache().open(family, part, file, this::sessionFactory);
        } finally {
            if (starting != null) { // not asked for: the load failed before its first session
                Workers.awaitEnd(starting);
                starting = null;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        loaded(String.format("loaded the %s of %s from %s on %s in %.2f s", part.label(),
                family.fileName(), file, sessions.device(), seconds));
        return network;
    }

    /**
     * Closes these models: loading a network from them throws an {@link IllegalStateException}
     * from now on, and so does every network run of the streams still using them (a reading
     * {@link EcdcDecoder}, a writing {@link EcdcEncoder}), at once or, for a run in flight, when
     * it ends. The ONNX Runtime sessions and their native memory are freed once no run is in
     * flight: this waits up to 1.5 s for the runs in flight, and, past that, leaves the freeing to
     * the last of them. Closing again does nothing.
     *
     * @throws UnsupportedOperationException for {@link #shared()} models
     */
    @Override
    public void close() {
        if (library) {
            throw new UnsupportedOperationException("the process-wide models cannot be closed");
        }
        List<AutoCloseable> networks = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            networks.addAll(loaded.values());
            networks.addAll(encoders.values());
            loaded.clear();
            encoders.clear();
            lms.clear();
        }
        runLimit.close(CLOSE_WAIT_MILLIS, () -> release(networks));
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes networks, logging what fails. */
    private static void release(List<AutoCloseable> networks) {
        for (AutoCloseable network : networks) {
            try {
                network.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing a network failed: " + e, e);
            }
        }
    }

    /** Builds {@link Models}; unset values come from system properties and the environment. */
    public static final class Builder {
        private ModelStore store;
        private Device device;
        private Integer threads;
        private Runnable afterBuild = () -> { };
        private Consumer<String> onLoad = line -> { };

        private Builder() {}

        /** The store to find checkpoints in (default: {@link ModelStore#fromEnvironment()}). */
        public Builder store(ModelStore value) {
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * The device: {@code cpu}, {@code cuda}, {@code cuda:N}, a GPU number ({@code -1}: the
         * CPU) or {@code auto} (a GPU when ONNX Runtime's CUDA provider loads, else the CPU).
         *
         * @throws IllegalArgumentException for anything else
         */
        public Builder device(String spec) {
            device = Device.parse(spec);
            return this;
        }

        /** The CPU budget of a decoder or encoder ({@link Models#threads()}); 0: the available processors. */
        public Builder threads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + n);
            }
            threads = n;
            return this;
        }

        /**
         * What to run, on the loading thread, after a load that made much garbage (an LM file's LM and
         * network may load on two threads at once, so the hook must be thread-safe): a network built
         * from its checkpoint (the first load of a model on a machine; later ones read the prepared
         * model) or an LM checkpoint read. The command line passes {@code System::gc}, so that the
         * heap the checkpoint took (100 MB and more) is given back before decoding starts; by
         * default nothing.
         */
        public Builder afterBuild(Runnable hook) {
            afterBuild = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * What to tell, on the loading thread (possibly two at once, as for {@link #afterBuild}), after
         * each network or LM loaded: the line logged at
         * {@code DEBUG} (which model, from where, on which device, how long). The Spark functions
         * log it at {@code INFO} in the executor's own log. By default nothing.
         */
        public Builder onLoad(Consumer<String> listener) {
            onLoad = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The models; nothing is loaded yet.
         *
         * @throws IllegalArgumentException when a setting taken from the environment is invalid
         */
        public Models build() {
            Key key = key();
            return new Models(key.store(), key.inference(), afterBuild, onLoad, false);
        }

        /**
         * The process-wide models of these settings, as {@link Models#shared()} gives them: every
         * call with an equal store ({@link ModelStore#equals}), device and threads gets the same
         * instance, built (nothing loaded yet) by the first such call, with its
         * {@link #afterBuild} hook. They belong to the library and cannot be closed.
         *
         * @throws IllegalArgumentException when a setting taken from the environment is invalid
         */
        public Models shared() {
            return SHARED.computeIfAbsent(key(), k -> new Models(k.store(), k.inference(), afterBuild, onLoad, true));
        }

        /** The store and inference settings: what was set, the rest from one snapshot of the environment. */
        private Key key() {
            Settings environment = store == null || device == null || threads == null ? Settings.fromSystem() : null;
            InferenceSettings settings = device != null && threads != null
                    ? new InferenceSettings(device, threads) : InferenceSettings.from(environment);
            if (device != null) {
                settings = settings.withDevice(device);
            }
            if (threads != null) {
                settings = settings.withThreads(threads);
            }
            ModelStore s = store != null ? store
                    : ModelStore.fromEnvironment(environment.properties(), environment.environment());
            return new Key(s, settings);
        }
    }

    /** What tells the process-wide models apart: the store (by its configuration) and the inference settings. */
    private record Key(ModelStore store, InferenceSettings inference) {}
}
