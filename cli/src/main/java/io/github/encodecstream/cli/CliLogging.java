package io.github.encodecstream.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command line's logging (java.util.logging, which the library's {@link System.Logger}s go
 * to): warnings, plus the model store's notices (downloads), as single
 * {@code encodec-stream: ...} lines on standard error (control characters escaped: {@link TerminalText}); {@code -v} adds the library's debug lines
 * (the device chosen, the models loaded). Only {@link Main#main} sets it up, and not when a JUL
 * configuration is given ({@code java.util.logging.config.file} or {@code .class}).
 */
final class CliLogging {
    /** The library's loggers. Kept referenced: JUL forgets the level of a logger that is collected. */
    private static final Logger LIBRARY = Logger.getLogger("io.github.encodecstream");
    /** The model store's notices (downloads, a choice between checkpoints): shown without {@code -v}. */
    private static final Logger STORE = Logger.getLogger("io.github.encodecstream.store.ModelStore");
    /** The progress bar's terminal library: no "dumb terminal" warnings. */
    private static final Logger JLINE = Logger.getLogger("org.jline");

    private CliLogging() {}

    /**
     * Replaces the root logger's handlers with one that writes to {@code err}, unless JUL is
     * configured; {@code verbose}: then {@link #verbose()}.
     */
    static void configure(PrintStream err, boolean verbose) {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            Logger root = Logger.getLogger("");
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            root.addHandler(new OneLineHandler(err));
            root.setLevel(Level.WARNING);
            LIBRARY.setLevel(Level.WARNING);
            STORE.setLevel(Level.INFO);
            JLINE.setLevel(Level.OFF);
        }
        if (verbose) {
            verbose();
        }
    }

    /** {@code -v}: the library's debug lines too. */
    static void verbose() {
        LIBRARY.setLevel(Level.FINE);
        STORE.setLevel(Level.FINE);
    }

    /**
     * Writes each record as one {@code encodec-stream: [level: ]message} line, flushed. Closing it
     * (as LogManager's shutdown hook does) only flushes: standard error stays open for what the
     * other shutdown hooks print, such as {@code play}'s last status line on Ctrl-C.
     */
    static final class OneLineHandler extends Handler {
        private final PrintStream err;

        OneLineHandler(PrintStream err) {
            this.err = err;
            setLevel(Level.ALL);
            setFormatter(new Formatter() {
                @Override
                public String format(LogRecord r) {
                    String level = r.getLevel().intValue() >= Level.WARNING.intValue()
                            ? r.getLevel().getName().toLowerCase(Locale.ROOT) + ": " : "";
                    return "encodec-stream: " + level + TerminalText.escape(Failure.oneLine(formatMessage(r))) + System.lineSeparator();
                }
            });
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line;
            try {
                line = getFormatter().format(record);
            } catch (RuntimeException e) {
                reportError(null, e, ErrorManager.FORMAT_FAILURE);
                return;
            }
            synchronized (err) {
                err.print(line);
                err.flush();
            }
        }

        @Override
        public void flush() {
            err.flush();
        }

        /** Flushes; never closes standard error. */
        @Override
        public void close() {
            flush();
        }
    }
}
