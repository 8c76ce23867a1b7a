package io.github.encodecstream.spark;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.store.ModelStore;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks of this JVM (a Spark executor, or the driver in local mode): one {@link Models},
 * made on the first row that needs it and shared by every task of the JVM, so that each model is
 * loaded once per executor, never per row and never shipped from the driver. Checkpoints come
 * from the core's model store as configured in the executor's environment
 * ({@code ENCODEC_MODELS}/{@code -Dencodec.models}, the cache, the verified download); each
 * encode or decode runs on {@code spark.task.cpus} threads (default 1), so the tasks of an
 * executor share its cores instead of each taking all of them.
 *
 * <p>Logged at {@code INFO} in the executor's log, through SLF4J (Spark's logging): these
 * settings once per JVM, and each network loaded (which model, from where, how long) once per JVM.
 * Not through {@link System.Logger} as elsewhere: its lines go to {@code java.util.logging}, which
 * Spark bridges to SLF4J, but log4j2 then picks its logger context from the calling class loader,
 * and in a SQL task (a session's class loader with no parent) that is a new context with log4j2's
 * default configuration, which drops {@code INFO}.
 */
final class ExecutorModels {
    /** SLF4J, Spark's own logging (see the class comment). */
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static volatile Models models;

    private ExecutorModels() {}

    /** This JVM's models, made on first use. */
    static Models get() {
        Models m = models;
        if (m == null) {
            synchronized (ExecutorModels.class) {
                m = models;
                if (m == null) {
                    int threads = taskCpus();
                    ModelStore store = ModelStore.fromEnvironment();
                    m = Models.builder().store(store).threads(threads).onLoad(LOG::info).build();
                    LOG.info("models of this JVM: directory " + store.modelsDirectory().orElse(null)
                            + ", cache " + store.cacheDirectory() + (store.isOffline() ? ", offline" : "") + ", "
                            + threads + " thread(s) per task");
                    models = m;
                }
            }
        }
        return m;
    }

    /** {@code spark.task.cpus} of this executor's Spark configuration; 1 outside Spark. */
    static int taskCpus() {
        SparkEnv env = SparkEnv.get();
        return env == null ? 1 : Math.max(1, env.conf().getInt("spark.task.cpus", 1));
    }

    /** Forgets the models (tests that change the model settings of the JVM). */
    static synchronized void reset() {
        models = null;
    }
}
