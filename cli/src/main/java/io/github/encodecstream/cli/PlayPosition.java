package io.github.encodecstream.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Player} shows while it plays: {@code title  position / duration} on one line of
 * standard error (the title escaped: {@link TerminalText}), redrawn at most every 0.2 s.
 */
final class PlayPosition {
    private final PrintStream status;
    private final String title;
    private final double startSeconds;
    private final double durationSeconds;
    private long lastShown;

    /**
     * @param status where the position goes, or null for none
     * @param title what is played (escaped here)
     * @param startSeconds the time of the stream's first sample in the file
     * @param durationSeconds the file's duration
     */
    PlayPosition(PrintStream status, String title, double startSeconds, double durationSeconds) {
        this.status = status;
        this.title = TerminalText.escape(title);
        this.startSeconds = startSeconds;
        this.durationSeconds = durationSeconds;
    }

    /** Shows the position after {@code frames} frames played at {@code rate}; within 0.2 s of the last, only if {@code force}. */
    void show(long frames, int rate, boolean force) {
        if (status == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastShown < TimeUnit.MILLISECONDS.toNanos(200)) {
            return;
        }
        lastShown = now;
        double at = startSeconds + (double) frames / rate;
        status.print("\r" + title + "  " + clock(Math.min(at, durationSeconds)) + " / " + clock(durationSeconds) + " ");
        status.flush();
    }

    /** Ends the line, saying whether playing was stopped. */
    void end(boolean stopped) {
        if (status != null) {
            status.println(stopped ? "  (stopped)" : "");
            status.flush();
        }
    }

    /** {@code M:SS.s} or {@code H:MM:SS.s}. */
    static String clock(double seconds) {
        long tenths = Math.round(Math.max(0, seconds) * 10);
        long h = tenths / 36000;
        long m = tenths / 600 % 60;
        double s = tenths % 600 / 10.0;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%04.1f", h, m, s)
                : String.format(Locale.ROOT, "%d:%04.1f", m, s);
    }
}
