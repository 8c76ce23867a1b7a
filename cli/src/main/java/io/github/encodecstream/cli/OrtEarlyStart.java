package io.github.encodecstream.cli;

import io.github.encodecstream.runtime.EnvironmentPin;
import io.github.encodecstream.runtime.NativeCalls;
import io.github.encodecstream.runtime.Settings;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts ONNX Runtime while the command line is parsed: for a command that loads a network
 * ({@code decode}, {@code encode}, {@code play}, {@code -d}, {@code -e}), a daemon thread points ONNX
 * Runtime at its natives in the cache ({@link RuntimeOptions#useCachedNatives}) and creates its
 * environment, some 60-90 ms that a short command otherwise waits for after the parse
 * (docs/PERFORMANCE.md, "Start-up"). {@link RuntimeOptions#models()} waits for it (at most
 * {@value #WAIT_SECONDS} s); its failure is reported where the first network loads ({@link #describe}:
 * the JVM would not repeat it, a class whose initialisation failed only says so after that), so that the
 * input's and the model's own errors still come first; {@code main} waits for it before the process exits,
 * so that no extraction or native call is cut short. The command line's logging ({@link CliLogging}) and
 * signal handling ({@link SignalExit}) are set up first, so that the natives' warnings are the command
 * line's one-line warnings and Ctrl-C waits for the environment's creation as for any native call. Only the
 * command line's own process does this; {@code --help} and {@code --version} do not.
 */
final class OrtEarlyStart {
    /** The longest {@link #await()} waits. */
    static final long WAIT_SECONDS = 30;
    /** The arguments that name a command loading a network. */
    private static final Set<String> NETWORK_COMMANDS = Set.of("decode", "encode", "play", "-d", "-e");
    /** The arguments that ask for help or the version instead. */
    private static final Set<String> NO_COMMAND = Set.of("--help", "-h", "--version", "-V");
    /** The arguments that ask for the library's debug lines. */
    private static final Set<String> VERBOSE = Set.of("-v", "--verbose");
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
        CliLogging.configure(System.err, Arrays.stream(args).anyMatch(VERBOSE::contains));
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
        boolean network = false;
        for (String arg : args) {
            if (NO_COMMAND.contains(arg)) {
                return false;
            }
            network |= NETWORK_COMMANDS.contains(arg);
        }
        return network;
    }

    /**
     * The line to print for {@code e}, an error that ended a command: for one from ONNX Runtime's
     * start (a native library that did not load, here or on the early thread, where the JVM only says
     * after that a class could not be initialised) "ONNX Runtime did not start: " and the reason the
     * start had, through the causes; else {@code e}'s message.
     */
    static String describe(LinkageError e) {
        Throwable early = failure;
        if (early == null && !fromOnnxRuntime(e)) {
            return Failure.message(e);
        }
        return "ONNX Runtime did not start: " + reasons(early != null ? early : e);
    }

    /**
     * {@code e}'s message and its causes' (ONNX Runtime wraps the reason: "Failed to load onnx-runtime
     * library", caused by the folder it could not extract to), on one line.
     */
    private static String reasons(Throwable e) {
        StringBuilder line = new StringBuilder(Failure.message(e));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && line.indexOf(m) < 0) {
                line.append("; ").append(t.getClass().getSimpleName()).append(": ")
                        .append(TerminalText.escape(Failure.oneLine(m)));
            }
        }
        return line.toString();
    }

    private static boolean fromOnnxRuntime(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("onnxruntime")) {
                return true;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("ai.onnxruntime.")) {
                    return true;
                }
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
