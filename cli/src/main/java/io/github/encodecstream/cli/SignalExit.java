package io.github.encodecstream.cli;

import io.github.encodecstream.runtime.NativeCalls;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the command line ends on Ctrl-C ({@code SIGINT}), {@code SIGTERM} or {@code SIGHUP}: with the
 * JVM's usual exit code (128 + the signal's number) and shutdown hooks (the player stops, a
 * half-written output is deleted), but only after {@link NativeCalls#drain} has let the network
 * runs in flight end and refused new ones. ONNX Runtime releases its environment in a shutdown hook
 * of its own, and a run still going then crashes the JVM. A signal the JVM was started to ignore
 * stays ignored; without {@code sun.misc.Signal} (a runtime without {@code jdk.unsupported}) the
 * JVM's own handling stays.
 */
final class SignalExit {
    /** How long a signal waits for the runs in flight: far longer than one run. */
    static final long DRAIN_MILLIS = 10_000;
    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};
    /** The exit code a signal asked for; 0 while none came. */
    private static final AtomicInteger SIGNALLED = new AtomicInteger();

    private SignalExit() {}

    /** Handles the signals from now on (the command line's own process only). */
    static void install() {
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> exit(128 + signal.getNumber()));
            } catch (IllegalArgumentException | LinkageError e) {
                // the logger only here: making one sets up java.util.logging, which --version need not pay for
                System.getLogger(SignalExit.class.getName())
                        .log(System.Logger.Level.DEBUG, () -> "SIG" + name + " left to the JVM: " + e);
            }
        }
    }

    /** Ends the process with {@code code} once the network runs in flight have ended. */
    static void exit(int code) {
        SIGNALLED.compareAndSet(0, code);
        NativeCalls.drain(DRAIN_MILLIS);
        System.exit(SIGNALLED.get());
    }

    /** The exit code to end with: the signal's when one came, else {@code code}. */
    static int exitCode(int code) {
        int signalled = SIGNALLED.get();
        return signalled != 0 ? signalled : code;
    }
}
