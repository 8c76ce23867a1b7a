package io.github.encodecstream.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, in seconds of audio, or nothing. Shown while writing to a
 * file when standard error is (as far as Java can tell) a terminal, unless {@code -q}; also for
 * the encoder (issue: encoding to a file).
 */
final class Progress implements AutoCloseable {
    private static final Progress NONE = new Progress(null);
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Whether to show a bar: never with {@code quiet}; always with {@code forced}; else when the
     * output is a file (not standard output) and there is a console ({@link System#console()}: the
     * standard streams are attached to a terminal).
     */
    static boolean wanted(boolean quiet, boolean forced, boolean toFile) {
        return !quiet && (forced || (toFile && System.console() != null));
    }

    /** A bar for {@code total} samples at {@code rate} Hz (shown as seconds), or a no-op when not {@code show}. */
    static Progress start(boolean show, String task, long total, int rate, PrintStream err) {
        if (!show) {
            return NONE;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" s", Math.max(rate, 1)).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        return new Progress(bar);
    }

    /** Samples done so far. */
    void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
