package io.github.encodecstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * ONNX Runtime's environment, kept alive until the process ends.
 *
 * <p>ONNX Runtime's Java binding (1.26) releases its native environment in a shutdown hook of its
 * own, which runs at the same time as the JVM's other hooks and the application's threads. A
 * session being created, or running its first runs, at that moment then uses a destroyed
 * environment and the JVM dies (SIGSEGV or a failed assertion, exit code 134). Measured: a Java
 * Sound host calling {@code System.exit} within its first second crashed in 6 of 30 runs
 * (docs/RELIABILITY.md, "Signals"). ONNX Runtime counts the references to its one environment
 * (each {@code CreateEnv} adds one, each {@code ReleaseEnv} removes one, the last destroys it), so
 * one more reference, taken here once and never given back, leaves the environment to the end of
 * the process, where the hook's release no longer destroys it.
 *
 * <p>The binding has no public way to take that reference: {@link #environment()} calls its
 * private {@code createHandle} by reflection (its jar is an automatic module, open to reflection on
 * the module path too). When that fails (another version of the binding) it logs one DEBUG line
 * and leaves things as they were.
 */
public final class EnvironmentPin {
    private static final System.Logger LOG = System.getLogger(EnvironmentPin.class.getName());
    private static boolean tried;
    private static boolean pinned;

    private EnvironmentPin() {}

    /** {@link OrtEnvironment#getEnvironment()}, with the extra reference taken on the first call. */
    public static synchronized OrtEnvironment environment() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (!tried) {
            tried = true;
            pinned = pin(env);
        }
        return env;
    }

    /** Whether the extra reference was taken (for tests). */
    static synchronized boolean pinned() {
        return pinned;
    }

    private static boolean pin(OrtEnvironment env) {
        try {
            Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
            api.setAccessible(true);
            Field handle = OrtEnvironment.class.getDeclaredField("nativeHandle");
            handle.setAccessible(true);
            Method create = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class, String.class);
            create.setAccessible(true);
            long same = (long) create.invoke(null, api.getLong(null), OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING.getValue(),
                    OrtEnvironment.DEFAULT_NAME);
            if (same != handle.getLong(env)) {
                // not the one environment: ONNX Runtime changed; that one stays alive, harmlessly
                LOG.log(Level.DEBUG, "ONNX Runtime's environment not pinned: CreateEnv gave another environment");
                return false;
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, () -> "ONNX Runtime's environment not pinned: " + e);
            return false;
        }
    }
}
