package io.github.encodecstream.runtime;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every {@code encodec.*} system property and {@code ENCODEC_*} environment variable, read in this
 * one place: an immutable snapshot of the values, typed and checked by its accessors. A property
 * wins over its environment variable; a blank value counts as unset. An accessor throws an
 * {@link IllegalArgumentException} naming the key when the value is invalid, so a bad value only
 * fails the part that uses it. README.md ("Settings") lists the keys.
 *
 * <p>{@link #fromSystem()} reads the JVM's properties and environment at the moment it is called:
 * callers take a snapshot where they read their settings (each Java Sound open, each
 * {@code ModelStore.fromEnvironment()}, ...). {@link #of(Map, Map)} makes one from maps (tests).
 */
public final class Settings {
    /** A directory searched for checkpoints first. */
    public static final String MODELS_PROPERTY = "encodec.models";
    /** {@link #MODELS_PROPERTY} as an environment variable. */
    public static final String MODELS_ENV = "ENCODEC_MODELS";
    /** Where checkpoints are downloaded from. */
    public static final String MODELS_URL_PROPERTY = "encodec.modelsUrl";
    /** {@link #MODELS_URL_PROPERTY} as an environment variable. */
    public static final String MODELS_URL_ENV = "ENCODEC_MODELS_URL";
    /** {@code true}, {@code 1} or {@code yes}: a plain {@code http} {@link #MODELS_URL_PROPERTY} may be used. */
    public static final String MODELS_ALLOW_HTTP_PROPERTY = "encodec.models.allowHttp";
    /** {@link #MODELS_ALLOW_HTTP_PROPERTY} as an environment variable. */
    public static final String MODELS_ALLOW_HTTP_ENV = "ENCODEC_MODELS_ALLOW_HTTP";
    /** The per-user cache directory. */
    public static final String CACHE_PROPERTY = "encodec.cache";
    /** {@link #CACHE_PROPERTY} as an environment variable. */
    public static final String CACHE_ENV = "ENCODEC_CACHE";
    /** {@code true}, {@code 1} or {@code yes}: never download. */
    public static final String OFFLINE_PROPERTY = "encodec.offline";
    /** {@link #OFFLINE_PROPERTY} as an environment variable. */
    public static final String OFFLINE_ENV = "ENCODEC_OFFLINE";
    /** {@code false}: no prepared models (property only). */
    public static final String PREPARED_PROPERTY = "encodec.prepared";
    /** Where networks run. */
    public static final String DEVICE_PROPERTY = "encodec.device";
    /** {@link #DEVICE_PROPERTY} as an environment variable. */
    public static final String DEVICE_ENV = "ENCODEC_DEVICE";
    /** The thread budget of one decoder or encoder. */
    public static final String THREADS_PROPERTY = "encodec.threads";
    /** {@link #THREADS_PROPERTY} as an environment variable. */
    public static final String THREADS_ENV = "ENCODEC_THREADS";
    /** {@code false}, {@code 0}, {@code no} or {@code off}: Java Sound streams do not decode ahead. */
    public static final String DECODE_AHEAD_PROPERTY = "encodec.decodeAhead";
    /** {@link #DECODE_AHEAD_PROPERTY} as an environment variable. */
    public static final String DECODE_AHEAD_ENV = "ENCODEC_DECODE_AHEAD";
    /** Retries of the http engine after a network failure (property only). */
    public static final String HTTP_RETRIES_PROPERTY = "encodec.http.retries";
    /** The first retry delay of the http engine in seconds (property only). */
    public static final String HTTP_RETRY_DELAY_PROPERTY = "encodec.http.retryDelay";
    /** Seconds the http engine waits on a server for a response or a body's progress (property only). */
    public static final String HTTP_DEADLINE_PROPERTY = "encodec.http.deadline";
    /** {@code true}: the http engine follows redirects from https to http (property only). */
    public static final String HTTP_INSECURE_REDIRECTS_PROPERTY = "encodec.http.allowInsecureRedirects";
    /** {@code true}: log start-up timings (property only). */
    public static final String TRACE_STARTUP_PROPERTY = "encodec.trace.startup";

    /** Default of {@link #HTTP_RETRIES_PROPERTY}. */
    public static final int DEFAULT_HTTP_RETRIES = 5;
    /** Default of {@link #HTTP_RETRY_DELAY_PROPERTY}. */
    public static final Duration DEFAULT_HTTP_RETRY_DELAY = Duration.ofMillis(250);
    /** Default of {@link #HTTP_DEADLINE_PROPERTY}. */
    public static final Duration DEFAULT_HTTP_DEADLINE = Duration.ofSeconds(120);

    /** The properties read: ours, and those of the JVM the default cache directory needs. */
    private static final List<String> PROPERTIES = List.of(MODELS_PROPERTY, MODELS_URL_PROPERTY,
            MODELS_ALLOW_HTTP_PROPERTY, CACHE_PROPERTY,
            OFFLINE_PROPERTY, PREPARED_PROPERTY, DEVICE_PROPERTY, THREADS_PROPERTY, DECODE_AHEAD_PROPERTY,
            HTTP_RETRIES_PROPERTY, HTTP_RETRY_DELAY_PROPERTY, HTTP_DEADLINE_PROPERTY, HTTP_INSECURE_REDIRECTS_PROPERTY,
            TRACE_STARTUP_PROPERTY, "user.home", "os.name");
    /** The environment variables read: ours, and those of the platform the default cache directory needs. */
    private static final List<String> VARIABLES = List.of(MODELS_ENV, MODELS_URL_ENV, MODELS_ALLOW_HTTP_ENV, CACHE_ENV,
            OFFLINE_ENV,
            DEVICE_ENV, THREADS_ENV, DECODE_AHEAD_ENV, "LOCALAPPDATA", "XDG_CACHE_HOME");

    private final Map<String, String> properties;
    private final Map<String, String> environment;

    private Settings(Map<String, String> properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** The system properties and environment variables as they are now. */
    public static Settings fromSystem() {
        Properties system = System.getProperties();
        Map<String, String> env = System.getenv();
        Map<String, String> props = new HashMap<>();
        for (String p : PROPERTIES) {
            String v = system.getProperty(p);
            if (v != null) {
                props.put(p, v);
            }
        }
        Map<String, String> vars = new HashMap<>();
        for (String v : VARIABLES) {
            String value = env.get(v);
            if (value != null) {
                vars.put(v, value);
            }
        }
        return new Settings(Map.copyOf(props), Map.copyOf(vars));
    }

    /** Settings from the given properties and environment variables (copied; for tests). */
    public static Settings of(Map<String, String> properties, Map<String, String> environment) {
        return new Settings(Map.copyOf(properties), Map.copyOf(environment));
    }

    /** The system properties of this snapshot that the library reads, by name. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The environment variables of this snapshot that the library reads, by name. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The directory searched for checkpoints first, if one is set. */
    public Optional<Path> modelsDirectory() {
        return Optional.ofNullable(read(MODELS_PROPERTY, MODELS_ENV)).map(Settings::path);
    }

    /** Where checkpoints are downloaded from, if set. */
    public Optional<URI> modelsUrl() {
        Value v = read(MODELS_URL_PROPERTY, MODELS_URL_ENV);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(v.text().strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(v.source() + " is not a URL: " + e.getMessage(), e);
        }
    }

    /**
     * The cache directory: {@value #CACHE_PROPERTY}, else {@value #CACHE_ENV}, else
     * {@code %LOCALAPPDATA%\encodec-stream} on Windows and {@code $XDG_CACHE_HOME/encodec-stream}
     * elsewhere ({@code AppData\Local} or {@code .cache} in the home directory when unset).
     */
    public Path cacheDirectory() {
        Value configured = read(CACHE_PROPERTY, CACHE_ENV);
        if (configured != null) {
            return path(configured);
        }
        String home = properties.get("user.home");
        String os = properties.get("os.name");
        if (os != null && os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            String local = nonBlank(environment.get("LOCALAPPDATA"));
            return (local != null ? Paths.get(local) : Paths.get(home, "AppData", "Local")).resolve("encodec-stream");
        }
        String xdg = nonBlank(environment.get("XDG_CACHE_HOME"));
        return (xdg != null ? Paths.get(xdg) : Paths.get(home, ".cache")).resolve("encodec-stream");
    }

    /** Whether downloads are off: {@code true}, {@code yes} (any case) or {@code 1}; default false. */
    public boolean offline() {
        return isYes(read(OFFLINE_PROPERTY, OFFLINE_ENV));
    }

    /**
     * Whether checkpoints may be downloaded from a plain {@code http} URL: {@code true}, {@code yes}
     * (any case) or {@code 1}; default false (https only).
     */
    public boolean modelsAllowHttp() {
        return isYes(read(MODELS_ALLOW_HTTP_PROPERTY, MODELS_ALLOW_HTTP_ENV));
    }

    private static boolean isYes(Value v) {
        String s = v == null ? null : v.text().strip();
        return s != null && (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("yes"));
    }

    /** Whether prepared models are on: unless {@value #PREPARED_PROPERTY} is {@code false} (any case). */
    public boolean prepared() {
        return !"false".equalsIgnoreCase(properties.getOrDefault(PREPARED_PROPERTY, "").strip());
    }

    /**
     * The device (default {@link Device#AUTO}).
     *
     * @throws IllegalArgumentException naming the key when the value is not a device
     */
    public Device device() {
        Value v = read(DEVICE_PROPERTY, DEVICE_ENV);
        if (v == null) {
            return Device.AUTO;
        }
        try {
            return Device.parse(v.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(v.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The thread budget, 0 (the default) for the available processors.
     *
     * @throws IllegalArgumentException naming the key when the value is not a whole number &gt;= 0
     */
    public int threads() {
        Value v = read(THREADS_PROPERTY, THREADS_ENV);
        if (v == null) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(v.text().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(v.source() + " must be a whole number of threads"
                    + " (0 = the available processors), got '" + v.text() + "'", e);
        }
        if (n < 0) {
            throw new IllegalArgumentException(v.source() + " must be >= 0 (0 = the available processors), got " + n);
        }
        return n;
    }

    /** Whether Java Sound streams decode ahead: unless {@code false}, {@code 0}, {@code no} or {@code off}. */
    public boolean decodeAhead() {
        Value v = read(DECODE_AHEAD_PROPERTY, DECODE_AHEAD_ENV);
        if (v == null) {
            return true;
        }
        String s = v.text().strip().toLowerCase(Locale.ROOT);
        return !(s.equals("false") || s.equals("0") || s.equals("no") || s.equals("off"));
    }

    /**
     * Retries of the http engine (default {@value #DEFAULT_HTTP_RETRIES}).
     *
     * @throws IllegalArgumentException naming the property when the value is not a whole number &gt;= 0
     */
    public int httpRetries() {
        return number(HTTP_RETRIES_PROPERTY, DEFAULT_HTTP_RETRIES, "a whole number >= 0", s -> {
            int n = Integer.parseInt(s);
            return n >= 0 ? n : null;
        });
    }

    /**
     * The first retry delay of the http engine (default 0.25 s).
     *
     * @throws IllegalArgumentException naming the property when the value is not 0 to 3600 seconds
     */
    public Duration httpRetryDelay() {
        return number(HTTP_RETRY_DELAY_PROPERTY, DEFAULT_HTTP_RETRY_DELAY, "a number of seconds (0 to 3600)", s -> {
            double seconds = Double.parseDouble(s);
            return seconds >= 0 && seconds <= 3600 ? Duration.ofNanos(Math.round(seconds * 1e9)) : null;
        });
    }

    /**
     * How long the http engine waits on a server (default 120 s): for a response, and for 64 KiB
     * of a body once its reader waits.
     *
     * @throws IllegalArgumentException naming the property when the value is not 0.001 to 86400 seconds
     */
    public Duration httpDeadline() {
        return number(HTTP_DEADLINE_PROPERTY, DEFAULT_HTTP_DEADLINE, "a number of seconds (0.001 to 86400)", s -> {
            double seconds = Double.parseDouble(s);
            return seconds >= 0.001 && seconds <= 86400 ? Duration.ofNanos(Math.round(seconds * 1e9)) : null;
        });
    }

    /**
     * Whether the http engine follows redirects from https to http:
     * {@value #HTTP_INSECURE_REDIRECTS_PROPERTY} is {@code true} (any case).
     */
    public boolean httpInsecureRedirects() {
        return Boolean.parseBoolean(properties.get(HTTP_INSECURE_REDIRECTS_PROPERTY));
    }

    /** Whether start-up phases are timed: {@value #TRACE_STARTUP_PROPERTY} is {@code true} (any case). */
    public boolean traceStartup() {
        return Boolean.parseBoolean(properties.get(TRACE_STARTUP_PROPERTY));
    }

    /** A non-blank value and where it came from. */
    private record Value(String text, String source) {}

    /** The property if set and not blank, else the environment variable if so, else null. */
    private Value read(String property, String variable) {
        String value = properties.get(property);
        if (value != null && !value.isBlank()) {
            return new Value(value, "system property " + property);
        }
        value = environment.get(variable);
        if (value != null && !value.isBlank()) {
            return new Value(value, "environment variable " + variable);
        }
        return null;
    }

    /** A property read by {@code parse} (null or NumberFormatException: not {@code expected}), else the fallback. */
    private <T> T number(String property, T fallback, String expected, Function<String, T> parse) {
        String s = properties.get(property);
        if (s == null || s.isBlank()) {
            return fallback;
        }
        T value = null;
        try {
            value = parse.apply(s.strip());
        } catch (NumberFormatException e) {
            // below
        }
        if (value == null) {
            throw new IllegalArgumentException(property + " must be " + expected + ", got '" + s + "'");
        }
        return value;
    }

    private static Path path(Value v) {
        try {
            return Paths.get(v.text().strip());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(v.source() + " is not a path: " + e.getMessage(), e);
        }
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
