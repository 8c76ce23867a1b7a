package io.github.encodecstream.cli;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, in seconds of audio, or nothing. Shown while writing to a
 * file when standard error is (as far as Java can tell) a terminal, unless {@code -q}, once the
 * work has taken {@value #DEFER_MILLIS} ms (a short command ends before the bar and its terminal
 * library, ~200 classes and 0.1-0.3 s of CPU, are set up); at once with {@code --progress}; also
 * for the encoder (issue: encoding to a file).
 */
final class Progress implements AutoCloseable {
    /** How long a bar that was not asked for waits before it shows. */
    static final long DEFER_MILLIS = 1000;
    private static final Progress NONE = new Progress(null, 0, 0, null, null);

    /** When a bar shows. */
    enum Show {
        /** Never. */
        NEVER,
        /** At once ({@code --progress}). */
        NOW,
        /** After {@link #DEFER_MILLIS} (a terminal). */
        DEFERRED
    }

    private final String task;
    private final long total;
    private final int rate;
    private final PrintStream err;
    /** System.nanoTime() at the start. */
    private final long started;
    private final long showAt;
    private ProgressBar bar;

    private Progress(String task, long total, int rate, PrintStream err, Show show) {
        this.task = task;
        this.total = total;
        this.rate = rate;
        this.err = err;
        this.started = System.nanoTime();
        this.showAt = show == Show.DEFERRED ? started + DEFER_MILLIS * 1_000_000 : started;
        if (show == Show.NOW) {
            bar = bar(0);
        }
    }

    /**
     * When to show a bar: never with {@code quiet}; at once when {@code forced}; else, deferred,
     * when the output is a file (not standard output) and there is a console
     * ({@link System#console()}: the standard streams are attached to a terminal).
     */
    static Show wanted(boolean quiet, boolean forced, boolean toFile) {
        return quiet ? Show.NEVER : forced ? Show.NOW : toFile && System.console() != null ? Show.DEFERRED : Show.NEVER;
    }

    /** A bar for {@code total} samples at {@code rate} Hz (shown as seconds), or a no-op for {@link Show#NEVER}. */
    static Progress start(Show show, String task, long total, int rate, PrintStream err) {
        return show == Show.NEVER ? NONE : new Progress(task, total, rate, err, show);
    }

    private ProgressBar bar(long done) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" s", Math.max(rate, 1)).setUpdateIntervalMillis(250)
                .startsFrom(done, Duration.ofNanos(System.nanoTime() - started))
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    /** Samples done so far. */
    void stepTo(long done) {
        if (bar == null && err != null && System.nanoTime() - showAt >= 0) {
            bar = bar(done);
        }
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
