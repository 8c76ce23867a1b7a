package io.github.encodecstream.cli;

import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.format.EcdcFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code encodec-stream} command line: {@code info} and {@code decode}.
 *
 * <p>Exit codes: 0 success, 1 other error, 2 usage error, 3 unreadable or invalid input,
 * 4 missing model. Errors are printed as one line on standard error.
 */
@Command(name = "encodec-stream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Decode and inspect EnCodec (.ecdc) files.",
        subcommands = {InfoCommand.class, DecodeCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  ENCODEC_MODELS   directory of model checkpoints (.th), searched first",
            "  ENCODEC_OFFLINE  1: never download a model",
            "  ENCODEC_CACHE    download cache directory"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:other error", "2:usage error", "3:unreadable or invalid input",
            "4:missing model"})
public final class Main implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** Anything else. */
    public static final int ERROR = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Input missing, unreadable or not a valid ECDC file. */
    public static final int BAD_INPUT = 3;
    /** The model checkpoint could not be found or fetched. */
    public static final int MISSING_MODEL = 4;

    private static final String NAME = "encodec-stream";
    /** Kept referenced: JUL forgets the level of a logger that is collected. */
    private static final Logger LOGGER = Logger.getLogger("io.github.encodecstream");
    private static final Logger STORE_LOGGER = Logger.getLogger("io.github.encodecstream.checkpoint");

    /** Where binary output for {@code -o -} goes. */
    final OutputStream stdout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main(OutputStream stdout) {
        this.stdout = stdout;
    }

    /** Runs the command line and exits with its code; log records go to standard error, one line each. */
    public static void main(String[] args) {
        configureLogging();
        int code = run(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line on {@code System.out} and {@code System.err}; returns the exit code. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs the command line on the given streams; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main(out));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(NAME + ": " + message(e) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(NAME + ": " + message(e));
            return exitCode(e);
        });
        return cli.execute(args);
    }

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Also log the device chosen and the models loaded.")
    void verbose(boolean on) {
        if (on) {
            LOGGER.setLevel(Level.FINE);
        }
    }

    /**
     * Unless a JUL configuration is given: warnings, plus the model store's notices (downloads),
     * as single {@code encodec-stream: ...} lines on standard error.
     */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new StreamHandler(System.err, new Formatter() {
            @Override
            public String format(LogRecord r) {
                String level = r.getLevel().intValue() >= Level.WARNING.intValue()
                        ? r.getLevel().getName().toLowerCase(Locale.ROOT) + ": " : "";
                return NAME + ": " + level + oneLine(formatMessage(r)) + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        LOGGER.setLevel(Level.WARNING);
        STORE_LOGGER.setLevel(Level.INFO);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use info or decode");
    }

    /** An error with its exit code and a complete one-line message. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }
    }

    /** A failure to read {@code file}: exit code 3, the message naming the file. */
    static Failure inputError(Path file, IOException e) {
        return new Failure(BAD_INPUT, file + ": " + reason(e), e);
    }

    /** Why a file operation failed, without repeating the file name. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return oneLine(((FileSystemException) e).getReason());
        }
        return message(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof Failure) {
            return ((Failure) e).exitCode;
        }
        if (e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof ModelStore.ModelNotFoundException) {
            return MISSING_MODEL;
        }
        if (e instanceof EcdcFormatException || e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
            return BAD_INPUT;
        }
        return ERROR;
    }

    /** The exception's message on one line (its class name when it has none). */
    static String message(Throwable e) {
        String m = e.getMessage();
        return oneLine(m == null || m.isBlank() ? e.toString() : m);
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
