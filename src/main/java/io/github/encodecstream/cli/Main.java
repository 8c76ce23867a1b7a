package io.github.encodecstream.cli;

import io.github.encodecstream.codec.ModelStore;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.source.HttpSourceException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code encodec-stream} command line: Encodec-Stream's flags ({@code -i}, {@code -d} with
 * {@code -ss}, {@code -to}, {@code -g}; {@code -e} with {@code -b}, {@code -n}, {@code -s},
 * {@code -t}) and the commands {@code info}, {@code decode}, {@code encode} and {@code play}.
 *
 * <p>Exit codes: 0 success (also when the reader of standard output quits early), 1 other error,
 * 2 usage error, 3 unreadable or invalid input (missing file, HTTP error or timeout, not an
 * {@code .ecdc} file), 4 missing model, 5 no audio output ({@code play}), 130 interrupted
 * (Ctrl-C). Errors are printed as one line on standard error.
 */
@Command(name = "encodec-stream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false,
        description = {"Decode, play, inspect and encode EnCodec (.ecdc) files and URLs.",
            "Encodec-Stream's flags: -i FILE-or-URL prints the metadata; -d FILE-or-URL [-ss S] [-to S] [-g N] "
                + "writes raw s16le 48 kHz stereo to standard output, e.g.",
            "  encodec-stream -d song.ecdc | ffplay -f s16le -ar 48000 -ac 2 -",
            "-e OUT [-b KBPS] [-n NAME] [-s URL] [-t URL] encodes raw s16le 48 kHz stereo from standard input, e.g.",
            "  ffmpeg -i song.flac -f s16le -ar 48000 -ac 2 - | encodec-stream -e song.ecdc -b 6"},
        subcommands = {InfoCommand.class, DecodeCommand.class, EncodeCommand.class, PlayCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  ENCODEC_MODELS   directory of model checkpoints (.th), searched first",
            "  ENCODEC_OFFLINE  1: never download a model",
            "  ENCODEC_CACHE    download cache directory",
            "  ENCODEC_DEVICE   cpu, cuda, cuda:N or auto (default)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (also when the reader of standard output quits early)", "1:other error",
            "2:usage error", "3:unreadable or invalid input (file, URL, HTTP error or timeout)", "4:missing model",
            "5:no audio output (play)", "130:interrupted (Ctrl-C)"})
public final class Main implements Callable<Integer> {
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
    /** {@code play}: no audio output device. */
    public static final int NO_AUDIO = 5;
    /** Stopped by Ctrl-C (SIGINT): the JVM's own exit code for it. */
    public static final int INTERRUPTED = 130;

    private static final String NAME = "encodec-stream";
    /** Kept referenced: JUL forgets the level of a logger that is collected. */
    private static final Logger LOGGER = Logger.getLogger("io.github.encodecstream");
    private static final Logger STORE_LOGGER = Logger.getLogger("io.github.encodecstream.checkpoint");
    private static final Logger JLINE_LOGGER = Logger.getLogger("org.jline");

    /** Standard input, for {@code -e} and the input {@code -} of {@code encode}. */
    final InputStream stdin;
    /** Where binary output for {@code -o -} and {@code -d} goes. */
    final OutputStream stdout;
    /** Standard error, for progress and status lines. */
    final PrintStream stderr;

    @Option(names = "-i", paramLabel = "FILE-or-URL", description = "Print the metadata as Encodec-Stream did.")
    String info;

    @Option(names = "-d", paramLabel = "FILE-or-URL",
            description = "Decode to standard output: raw s16le, 48 kHz, stereo.")
    String decode;

    @Option(names = "-e", paramLabel = "OUT",
            description = "Encode raw s16le, 48 kHz, stereo from standard input to OUT (- for standard output).")
    String encode;

    @Option(names = "-b", paramLabel = "KBPS", description = "With -e: bitrate in kbps, any positive number (default 6).")
    Double bitrate;

    @Option(names = "-n", paramLabel = "NAME", description = "With -e: the name written in the header.")
    String name;

    @Option(names = "-s", paramLabel = "URL", description = "With -e: the source URL written in the header.")
    String source;

    @Option(names = "-t", paramLabel = "URL", description = "With -e: the thumbnail URL written in the header.")
    String thumbnail;

    @Option(names = "-ss", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "With -d: start at this time, seconds or [[H:]M:]S (exact sample round(TIME x 48000)).")
    TimeValue from;

    @Option(names = "-to", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "With -d: stop before this time.")
    TimeValue to;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "No progress bar or position display.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the command line and exits with its code; log records go to standard error, one line each. */
    public static void main(String[] args) {
        configureLogging();
        // binary output straight to the file descriptor: a PrintStream would hide a closed pipe
        int code = run(new FileOutputStream(FileDescriptor.out), System.out, System.err, args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line on {@code System.out} and {@code System.err}; returns the exit code. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs the command line on the given streams; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, out, err, args);
    }

    /** Runs the command line, binary output going to {@code binaryOut}; returns the exit code. */
    static int run(OutputStream binaryOut, PrintStream out, PrintStream err, String... args) {
        return run(System.in, binaryOut, out, err, args);
    }

    /** Runs the command line reading {@code stdin} as standard input; returns the exit code. */
    static int run(InputStream stdin, OutputStream binaryOut, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main(stdin, binaryOut, err));
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
        JLINE_LOGGER.setLevel(Level.OFF); // the progress bar's terminal library: no "dumb terminal" warnings
    }

    /** Encodec-Stream's flags; without them, a command is missing. */
    @Override
    public Integer call() throws IOException {
        if ((info != null ? 1 : 0) + (decode != null ? 1 : 0) + (encode != null ? 1 : 0) > 1) {
            throw usage("only one of -i, -d and -e can be used at a time");
        }
        if (encode == null && (bitrate != null || name != null || source != null || thumbnail != null)) {
            throw usage("-b, -n, -s and -t go with -e");
        }
        if (info == null && decode == null && encode == null) {
            if (from != null || to != null) {
                throw usage("-ss and -to go with -d");
            }
            throw usage("missing command: use info, decode, encode or play (or Encodec-Stream's -i / -d / -e)");
        }
        if (encode != null) {
            if (from != null || to != null) {
                throw usage("-ss and -to go with -d, not -e");
            }
            EncodeJob job = new EncodeJob();
            job.options = EncodeCommand.options(spec, bitrate, null, name, source, thumbnail, runtime);
            job.output = encode;
            job.quiet = quiet;
            return job.run(PcmSource.s16le(stdin, 48_000, 2), stdout, stderr);
        }
        if (info != null) {
            if (from != null || to != null) {
                throw usage("-ss and -to go with -d, not -i");
            }
            PrintWriter out = spec.commandLine().getOut();
            for (String line : LegacyInfo.lines(Inputs.header(info, runtime.http()))) {
                out.println(line);
            }
            out.flush();
            return OK;
        }
        checkCut(spec, from, to);
        runtime.validate();
        DecodeJob job = new DecodeJob();
        job.input = decode;
        job.rate = 48_000;
        job.channels = 2;
        job.from = from;
        job.to = to;
        job.quiet = quiet;
        job.http = runtime.http();
        job.models = runtime.models();
        return job.run(stdout, stderr);
    }

    /** A usage error unless {@code from < to} (when both are given). */
    static void checkCut(CommandLine.Model.CommandSpec spec, TimeValue from, TimeValue to) {
        if (from != null && to != null && to.seconds().compareTo(from.seconds()) <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "-to (" + to + ") must be after -ss (" + from + ")");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
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

    /** A failure to read {@code input} (a file or URL): exit code 3, the message naming it. */
    static Failure inputError(String input, IOException e) {
        if (e instanceof HttpSourceException) {
            HttpSourceException h = (HttpSourceException) e;
            boolean moved = !h.uri().toString().equals(input);
            return new Failure(BAD_INPUT, input + ": " + h.detail() + (moved ? " (from " + h.uri() + ")" : ""), e);
        }
        return new Failure(BAD_INPUT, input + ": " + reason(e), e);
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
