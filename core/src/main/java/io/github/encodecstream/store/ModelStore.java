package io.github.encodecstream.store;

import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.runtime.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the checkpoint file ({@code .th}) of an EnCodec model, downloading it when needed.
 *
 * <p>{@link #locate(String)} looks, in order:
 * <ol>
 *   <li>in the models directory ({@code -Dencodec.models} / {@code ENCODEC_MODELS}) for the
 *       official file name, else for any {@code <model>-*.th} / {@code <model>_*.th} /
 *       {@code <model>.*.th} / {@code <model>.th} (the first in sorted order). Files found there are
 *       trusted, not hash-checked;</li>
 *   <li>in the cache directory ({@code -Dencodec.cache} / {@code ENCODEC_CACHE}, else
 *       {@code $XDG_CACHE_HOME/encodec-stream}, {@code ~/.cache/encodec-stream}, or
 *       {@code %LOCALAPPDATA%\encodec-stream} on Windows) for the official file name, used only
 *       when it passes the check below (else deleted and downloaded again);</li>
 *   <li>unless offline ({@code -Dencodec.offline=true} / {@code ENCODEC_OFFLINE=1}), by downloading
 *       the official file from {@code -Dencodec.modelsUrl} (default {@value #DEFAULT_BASE_URL}; plain
 *       {@code http} only with {@code -Dencodec.models.allowHttp=true} /
 *       {@code ENCODEC_MODELS_ALLOW_HTTP=1}) into the cache.</li>
 * </ol>
 * The check of a cached or downloaded checkpoint: the full SHA-256 and size pinned for its name by
 * the library, else the ones recorded on its first use in an owner-only cache (trust on first
 * use), else the SHA-256 prefix in its name; a download longer than the pinned size (or a bound) is
 * cut. A cache that is read-only, shared or someone else's works too: its checkpoints are hashed on
 * each check, and nothing the check would write there (pins, stamps) is needed.
 *
 * <p>Instances are immutable and thread-safe. Concurrent downloads of one file are serialized
 * across threads and processes (a lock file in the cache while one downloads), with a bounded wait
 * ({@link Builder#lockWait}) after which a waiter downloads on its own; {@link CacheLayout} says
 * where each file goes.
 */
public final class ModelStore {

    /** Where Meta publishes the EnCodec checkpoints. */
    public static final String DEFAULT_BASE_URL = "https://dl.fbaipublicfiles.com/encodec/v0/";

    /** Default connect timeout of the HTTP client the store builds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Default time a download may go without receiving data (and wait for the response headers). */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(ModelStore.class.getName());
    /** How a failed download's message ends. */
    private static final String HINT = "To use a local copy instead, put the file in a directory given by"
            + " -Dencodec.models=DIR or ENCODEC_MODELS=DIR (use -Dencodec.offline=true or ENCODEC_OFFLINE=1 to never download).";

    /** Default of {@link Builder#lockWait}: how long a download waits for another one of the same file. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(5);

    private static final List<ModelFile> OFFICIAL = List.of(
            new ModelFile("encodec_24khz", "encodec_24khz-d7cc33bc.th", "d7cc33bc"),
            new ModelFile("encodec_48khz", "encodec_48khz-7e698e3e.th", "7e698e3e"),
            new ModelFile("encodec_lm_24khz", "encodec_lm_24khz-1608e3c0.th", "1608e3c0"),
            new ModelFile("encodec_lm_48khz", "encodec_lm_48khz-7add9fc3.th", "7add9fc3"));

    /**
     * One downloadable checkpoint: the model name, the published file name and the expected
     * prefix of the file's SHA-256 (lower-case hex, as in the file name).
     *
     * @param name         model name, e.g. {@code encodec_24khz}
     * @param fileName     file name, e.g. {@code encodec_24khz-d7cc33bc.th}
     * @param sha256Prefix expected hex prefix of the file's SHA-256
     */
    public record ModelFile(String name, String fileName, String sha256Prefix) {
        /** Validates the fields. */
        public ModelFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(sha256Prefix, "sha256Prefix");
            if (fileName.contains("/") || fileName.contains("\\")) {
                throw new IllegalArgumentException("not a plain file name: " + fileName);
            }
            if (!sha256Prefix.matches("[0-9a-f]*")) {
                throw new IllegalArgumentException("not lower-case hex: " + sha256Prefix);
            }
        }

        /** The file's URL at Meta's download site. */
        public URI officialUrl() {
            return URI.create(DEFAULT_BASE_URL).resolve(fileName);
        }
    }

    /**
     * Thrown when a model's checkpoint is not available locally and could not be obtained:
     * downloads are off, or the download failed ({@link ModelDownloadException}).
     */
    public static class ModelNotFoundException extends IOException {
        private static final long serialVersionUID = 1L;
        /** The model asked for. */
        private final String modelName;
        /** Its checkpoint's file name. */
        private final String fileName;
        /** Where it would be downloaded from. */
        private final URI url;

        /** Creates the exception for the given model, file name and download URL. */
        public ModelNotFoundException(String message, String modelName, String fileName, URI url, Throwable cause) {
            super(message, cause);
            this.modelName = modelName;
            this.fileName = fileName;
            this.url = url;
        }

        /** The model name asked for. */
        public String modelName() {
            return modelName;
        }

        /** The expected (official) checkpoint file name. */
        public String fileName() {
            return fileName;
        }

        /** The URL the checkpoint is (or would be) downloaded from. */
        public URI url() {
            return url;
        }
    }

    private final Path modelsDirectory;
    private final Path cacheDirectory;
    private final CacheLayout layout;
    private final URI baseUri;
    private final boolean offline;
    private final boolean allowHttp;
    private final Duration lockWait;
    /** The pins given to the builder (tests), or null for the library's. */
    private final CheckpointPins pins;
    private final CheckpointVerifier verifier;
    /** The client given to the builder (its proxies and connect timeout are used), or null. */
    private final HttpClient httpClient;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Map<String, ModelFile> models;

    private ModelStore(Builder b) {
        this.modelsDirectory = b.modelsDirectory;
        this.cacheDirectory = b.cacheDirectory != null ? b.cacheDirectory : Settings.fromSystem().cacheDirectory();
        this.layout = CacheLayout.of(cacheDirectory);
        this.baseUri = withTrailingSlash(b.baseUri != null ? b.baseUri : URI.create(DEFAULT_BASE_URL));
        this.offline = b.offline;
        this.allowHttp = b.allowHttp;
        this.lockWait = b.lockWait;
        this.pins = b.pins;
        this.verifier = new CheckpointVerifier(cacheDirectory, pins != null ? pins : CheckpointPins.bundled());
        this.readTimeout = b.readTimeout;
        this.httpClient = b.httpClient;
        this.connectTimeout = b.connectTimeout;
        Map<String, ModelFile> table = new LinkedHashMap<>();
        for (ModelFile m : b.models) {
            table.put(m.name(), m);
        }
        this.models = Map.copyOf(table);
    }

    /** A builder with no models directory, the default cache directory and URL, downloads on. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A store configured from system properties, else environment variables:
     * {@code encodec.models}/{@code ENCODEC_MODELS}, {@code encodec.cache}/{@code ENCODEC_CACHE},
     * {@code encodec.modelsUrl}/{@code ENCODEC_MODELS_URL},
     * {@code encodec.offline=true}/{@code ENCODEC_OFFLINE=1} (README.md, "Settings").
     */
    public static ModelStore fromEnvironment() {
        return fromEnvironment(Settings.fromSystem()).build();
    }

    /**
     * A store configured as {@link #fromEnvironment()} configures it, from the given system
     * properties and environment variables instead of the process's (a host's configuration, or
     * one snapshot of the process's shared with other readers).
     */
    public static ModelStore fromEnvironment(Map<String, String> properties, Map<String, String> environment) {
        return fromEnvironment(Settings.of(properties, environment)).build();
    }

    /** A builder configured from {@code settings}. */
    static Builder fromEnvironment(Settings settings) {
        Builder b = builder();
        settings.modelsDirectory().ifPresent(b::modelsDirectory);
        b.cacheDirectory(settings.cacheDirectory());
        settings.modelsUrl().ifPresent(b::baseUri);
        b.offline(settings.offline());
        b.allowHttp(settings.modelsAllowHttp());
        return b;
    }

    /**
     * What to tell users about the weights they run: Meta's checkpoint, licensed separately
     * (CC-BY-NC 4.0), not part of encodec-stream.
     */
    public static String weightsNotice(String modelName) {
        String fileName = officialModels().stream().filter(m -> m.name().equals(modelName)).map(ModelFile::fileName)
                .findFirst().orElse(modelName);
        return "Meta's EnCodec checkpoint " + fileName + ", licensed CC-BY-NC 4.0 (non-commercial), separately from"
                + " encodec-stream and not part of it";
    }

    /** The official checkpoints, in a fixed order. */
    public static List<ModelFile> officialModels() {
        return OFFICIAL;
    }

    /** The models directory searched first, if any. */
    public Optional<Path> modelsDirectory() {
        return Optional.ofNullable(modelsDirectory);
    }

    /** The cache directory that downloads go to. */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** The base URL downloads are resolved against (ends with {@code /}). */
    public URI baseUri() {
        return baseUri;
    }

    /** Whether downloads are disabled. */
    public boolean isOffline() {
        return offline;
    }

    /** Whether downloads from a plain {@code http} {@link #baseUri()} are allowed. */
    public boolean allowsHttp() {
        return allowHttp;
    }

    /**
     * Whether {@code o} is a store configured alike: the same folders, URL, modes, lock wait,
     * timeouts, client and models, so that what is made for one (its {@code Models}) serves both.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelStore other && configuration().equals(other.configuration());
    }

    @Override
    public int hashCode() {
        return configuration().hashCode();
    }

    private List<Object> configuration() {
        return Arrays.asList(modelsDirectory, cacheDirectory, baseUri, offline, allowHttp, lockWait, pins, httpClient,
                connectTimeout, readTimeout, models);
    }

    /** The model names this store knows. */
    public List<String> modelNames() {
        return models.keySet().stream().sorted().toList();
    }

    /** The download URL of a model's checkpoint. */
    public URI url(String modelName) {
        return baseUri.resolve(model(modelName).fileName());
    }

    /**
     * The checkpoint file of a model, downloading it into the cache when it is not found locally
     * and the store is not offline.
     *
     * @throws IllegalArgumentException if the model name is unknown
     * @throws ModelNotFoundException   if the file is not found and cannot be downloaded
     *                                  ({@link ModelDownloadException} when a download failed or
     *                                  was refused), also when the cache cannot be written
     * @throws java.io.InterruptedIOException if the thread is interrupted while it waits or downloads
     * @throws IOException              if a directory or a cached file cannot be read
     */
    public Path locate(String modelName) throws IOException {
        ModelFile model = model(modelName);
        Optional<Path> local = findLocal(model);
        if (local.isPresent()) {
            return local.get();
        }
        URI url = baseUri.resolve(model.fileName());
        if (offline) {
            throw new ModelNotFoundException("Model " + model.name() + " not found: no " + model.fileName()
                    + " in " + searched() + ", and downloads are off (offline mode: -Dencodec.offline / ENCODEC_OFFLINE). "
                    + "Download " + url + " and put it in a directory given by -Dencodec.models=DIR or ENCODEC_MODELS=DIR, "
                    + "or turn offline mode off to download it into the cache.",
                    model.name(), model.fileName(), url, null);
        }
        if ("http".equalsIgnoreCase(url.getScheme()) && !allowHttp) {
            throw new ModelDownloadException("Refusing to download " + model.fileName() + " over plain http from " + url
                    + ": anyone on the way could change it. Use an https mirror, or allow http with -D"
                    + Settings.MODELS_ALLOW_HTTP_PROPERTY + "=true or " + Settings.MODELS_ALLOW_HTTP_ENV + "=1.",
                    model.name(), model.fileName(), url, -1, null);
        }
        Path target = layout.checkpoint(model);
        try {
            PrivateFolders.create(cacheDirectory);
        } catch (IOException e) {
            throw ModelDownloader.notWritable(model, url, cacheDirectory, e);
        }
        // one thread of one process downloads, the others wait (bounded) and then find the file
        try (DownloadLock lock = DownloadLock.acquire(layout.downloadLock(model), lockWait,
                () -> Files.isRegularFile(target))) {
            if (Files.isRegularFile(target) && usable(target, model)) {
                return target; // another thread or process downloaded it meanwhile
            }
            CheckpointPins.Pin pin = new ModelDownloader(ModelDownloader.settings(connectTimeout, readTimeout, httpClient), LOG, HINT)
                    .download(model, url, target, verifier.expected(model), !verifier.isPrivate(cacheDirectory));
            verifier.downloaded(target, model, pin);
        }
        return target;
    }

    /**
     * The checkpoint file of a model if it is already in the models directory or the cache;
     * never downloads.
     *
     * @throws IllegalArgumentException if the model name is unknown
     */
    public Optional<Path> findLocal(String modelName) throws IOException {
        return findLocal(model(modelName));
    }

    private Optional<Path> findLocal(ModelFile model) throws IOException {
        if (modelsDirectory != null) {
            if (Files.isDirectory(modelsDirectory)) {
                Optional<Path> found = ModelsDirectory.find(modelsDirectory, model);
                if (found.isPresent()) {
                    return found;
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "models directory {0} does not exist", modelsDirectory);
            }
        }
        Path cached = layout.checkpoint(model);
        if (Files.isRegularFile(cached) && usable(cached, model)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: using cached {1}", model.name(), cached);
            return Optional.of(cached);
        }
        return Optional.empty();
    }

    /** Whether the cache's {@code file} passes the check; a file that fails is deleted where it can be. */
    private boolean usable(Path file, ModelFile model) throws IOException {
        Optional<String> problem = verifier.problem(file, model);
        if (problem.isEmpty()) {
            return true;
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: the cached {1} is refused ({2}): deleted, to be downloaded again",
                model.name(), file, problem.get());
        try {
            CachedCheckpoint.delete(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} cannot be deleted ({2})", model.name(), file, e);
        }
        return false;
    }

    private ModelFile model(String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        ModelFile model = models.get(modelName);
        if (model == null) {
            throw new IllegalArgumentException("unknown model '" + modelName + "'; known models: "
                    + String.join(", ", modelNames()));
        }
        return model;
    }

    private String searched() {
        return (modelsDirectory != null ? "the models directory " + modelsDirectory + " or " : "")
                + "the cache " + cacheDirectory;
    }

    private static URI withTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }

    /** Settings for a {@link ModelStore}; every setting is optional. */
    public static final class Builder {
        private Path modelsDirectory;
        private Path cacheDirectory;
        private URI baseUri;
        private boolean offline;
        private boolean allowHttp;
        private Duration lockWait = DEFAULT_LOCK_WAIT;
        private CheckpointPins pins;
        private HttpClient httpClient;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private List<ModelFile> models = OFFICIAL;

        private Builder() {}

        /** A directory of user-provided checkpoints, searched first and trusted ({@code null}: none). */
        public Builder modelsDirectory(Path dir) {
            this.modelsDirectory = dir;
            return this;
        }

        /** The download cache ({@code null}: the per-user default). */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = dir;
            return this;
        }

        /** The URL the official file names are resolved against ({@code null}: Meta's site). */
        public Builder baseUri(URI uri) {
            this.baseUri = uri;
            return this;
        }

        /** Disables downloads. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Whether a plain {@code http} {@link #baseUri} may be used (default false: downloads from
         * it are refused, as anyone on the way could change the file).
         */
        public Builder allowHttp(boolean allow) {
            this.allowHttp = allow;
            return this;
        }

        /**
         * How long a download waits for another thread or process that downloads the same file
         * (default {@link #DEFAULT_LOCK_WAIT}) before it goes ahead with its own.
         */
        public Builder lockWait(Duration wait) {
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("lock wait must be >= 0: " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /** Replaces the pins shipped with the library (for tests). */
        Builder pins(CheckpointPins bundled) {
            this.pins = bundled;
            return this;
        }

        /**
         * A client whose proxies and connect timeout downloads use (they are made by the library's
         * http engine, which follows redirects itself); default: the system's proxies.
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /** Connect timeout of downloads (a {@link #httpClient} with a connect timeout of its own overrides it). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout);
            return this;
        }

        /** How long to wait for the response headers, and at most between two pieces of the body. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = requirePositive(timeout);
            return this;
        }

        /** Replaces the table of known models (for tests). */
        Builder models(List<ModelFile> table) {
            this.models = List.copyOf(table);
            return this;
        }

        /** The store. */
        public ModelStore build() {
            return new ModelStore(this);
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }
    }
}
