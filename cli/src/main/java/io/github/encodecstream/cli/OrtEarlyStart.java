package io.github.encodecstream.cli;

import io.github.encodecstream.runtime.EnvironmentPin;
import io.github.encodecstream.runtime.NativeCalls;
import io.github.encodecstream.runtime.Settings;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts ONNX Runtime while the command line is parsed: for a command that loads a network
 * ({@code decode}, {@code encode}, {@code play}, {@code -d}, {@code -e}), a daemon thread points ONNX
 * Runtime at its natives in the cache ({@link RuntimeOptions#useCachedNatives}) and creates its
 * environment, some 60-90 ms that a short command otherwise waits for after the parse
 * (docs/PERFORMANCE.md, "Start-up"). {@link RuntimeOptions#models()} waits for it (at most
 * {@value #WAIT_SECONDS} s) and reports its failure, which the JVM would not repeat (a class whose
 * initialisation failed only says so after that); {@code main} waits for it before the process exits, so
 * that no extraction or native call is cut short. The signal handling ({@link SignalExit}) is
 * installed first, so that Ctrl-C waits for the environment's creation as for any native call. Only the
 * command line's own process does this.
 */
final class OrtEarlyStart {
    /** The longest {@link #await()} waits. */
    static final long WAIT_SECONDS = 30;
    /** The arguments that name a command loading a network. */
    private static final Set<String> NETWORK_COMMANDS = Set.of("decode", "encode", "play", "-d", "-e");
    private static volatile CountDownLatch done;
    private static volatile Throwable failure;

    private OrtEarlyStart() {}

    /** Starts ONNX Runtime in the background when {@code args} name a command that loads a network. */
    static void begin(String... args) {
        if (!needed(args) || done != null) {
            return;
        }
        CountDownLatch latch = new CountDownLatch(1);
        done = latch;
        SignalExit.install(); // a signal now waits for the native call below (NativeCalls.drain)
        Thread thread = new Thread(() -> {
            try {
                RuntimeOptions.useCachedNatives(RuntimeOptions.modelStore(Settings.fromSystem(), false));
                try (NativeCalls.Call call = NativeCalls.enter()) {
                    EnvironmentPin.environment();
                }
            } catch (InterruptedIOException shuttingDown) {
                // the process is ending: nothing to report
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            } finally {
                latch.countDown();
            }
        }, "encodec-onnxruntime-start");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether {@code args} may name a command that loads a network: one of them is such a command's
     * name or flag (a false positive, such as a name {@code -n decode}, costs only an early start).
     */
    static boolean needed(String... args) {
        for (String arg : args) {
            if (NETWORK_COMMANDS.contains(arg)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits (at most {@value #WAIT_SECONDS} s) for the start {@link #begin} began, if any; returns
     * why it failed, or null (also when none began or it is still running).
     */
    static Throwable await() {
        CountDownLatch latch = done;
        if (latch == null) {
            return null;
        }
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.getLogger(OrtEarlyStart.class.getName()).log(System.Logger.Level.DEBUG,
                        "ONNX Runtime's early start still running after " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }
}
