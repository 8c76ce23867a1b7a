package io.github.encodecstream.runtime;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Locale;

/**
 * Start-up phase timings, on when the system property {@value #PROPERTY} is {@code true}: each
 * timed phase logs one DEBUG line (logger {@code io.github.encodecstream.runtime.StartupTrace};
 * the command line shows it with {@code -v}) with its duration and the time since the JVM
 * started, for example {@code startup: session decoder 48khz 412.3 ms (at 1032 ms)}.
 * docs/PERFORMANCE.md ("Start-up and footprint") lists the phases. Off, it costs a boolean test.
 */
public final class StartupTrace {
    /** The system property that turns tracing on. */
    public static final String PROPERTY = Settings.TRACE_STARTUP_PROPERTY;
    private static final boolean ENABLED = Settings.fromSystem().traceStartup();
    /** Made when tracing is on only: a logger sets up the logging back end (java.util.logging), ~300 classes. */
    private static final System.Logger LOG = ENABLED ? System.getLogger(StartupTrace.class.getName()) : null;
    /** When the JVM started, in ms since the epoch; 0 when unknown. */
    private static final long JVM_START_MS = ENABLED ? jvmStart() : 0;

    private StartupTrace() {}

    /** Whether tracing is on. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** A phase that throws. */
    @FunctionalInterface
    public interface Phase<T, E extends Exception> {
        /** Runs the phase. */
        T run() throws E;
    }

    /** Runs {@code phase}, logging its duration under {@code name} when tracing is on. */
    public static <T, E extends Exception> T time(String name, Phase<T, E> phase) throws E {
        if (!ENABLED) {
            return phase.run();
        }
        long t0 = System.nanoTime();
        try {
            return phase.run();
        } finally {
            log(name, System.nanoTime() - t0);
        }
    }

    /** Logs a phase that took {@code nanos} when tracing is on. */
    public static void log(String name, long nanos) {
        if (!ENABLED) {
            return;
        }
        long now = System.currentTimeMillis();
        String at = JVM_START_MS > 0 ? String.format(Locale.ROOT, " (at %d ms)", now - JVM_START_MS) : "";
        LOG.log(Level.DEBUG, String.format(Locale.ROOT, "startup: %s %.1f ms%s", name, nanos / 1e6, at));
    }

    /** Logs a point in time (no duration) when tracing is on. */
    public static void mark(String name) {
        if (!ENABLED) {
            return;
        }
        long now = System.currentTimeMillis();
        String at = JVM_START_MS > 0 ? String.format(Locale.ROOT, " at %d ms", now - JVM_START_MS) : "";
        LOG.log(Level.DEBUG, "startup: " + name + at);
    }

    private static long jvmStart() {
        try {
            return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
