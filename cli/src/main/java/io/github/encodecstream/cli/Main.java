package io.github.encodecstream.cli;

import io.github.encodecstream.sound.PcmSource;
import io.github.encodecstream.runtime.NativeCalls;
import io.github.encodecstream.runtime.StartupTrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code encodec-stream} command line: Encodec-Stream's flags ({@code -i}, {@code -d} with
 * {@code -ss}, {@code -to}, {@code -g}; {@code -e} with {@code -b}, {@code -n}, {@code -s},
 * {@code -t}) and the commands {@code info}, {@code decode}, {@code encode} and {@code play}.
 *
 * <p>Exit codes: 0 success (also when the reader of standard output quits early), 1 other error
 * (an output that cannot be written, an inference failure), 2 usage error (bad arguments, an
 * output that is the input), 3 unreadable or invalid input (missing file, HTTP error or timeout, not an
 * {@code .ecdc} file), 4 missing model, 5 no audio output ({@code play}), 130 interrupted
 * (Ctrl-C). Errors are printed as one line on standard error, control characters escaped
 * ({@link TerminalText}).
 */
@Command(name = "encodec-stream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false,
        description = {"Decode, play, inspect and encode EnCodec (.ecdc) files and URLs.",
            "Encodec-Stream's flags: -i FILE-or-URL prints the metadata; -d FILE-or-URL [-ss S] [-to S] [-g N] "
                + "writes raw s16le 48 kHz stereo to standard output, e.g.",
            "  encodec-stream -d song.ecdc | ffplay -f s16le -ar 48000 -ac 2 -",
            "-e OUT [-b KBPS] [-n NAME] [-s URL] [-t URL] encodes raw s16le 48 kHz stereo from standard input, e.g.",
            "  ffmpeg -i song.flac -f s16le -ar 48000 -ac 2 - | encodec-stream -e song.ecdc -b 6"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  ENCODEC_MODELS   directory of model checkpoints (.th), searched first",
            "  ENCODEC_OFFLINE  1: never download a model",
            "  ENCODEC_CACHE    download cache directory",
            "  ENCODEC_DEVICE   cpu, cuda, cuda:N or auto (default)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (also when the reader of standard output quits early)", "1:other error",
            "2:usage error (bad arguments, an output that is the input)", "3:unreadable or invalid input (file, URL, HTTP error or timeout)", "4:missing model",
            "5:no audio output (play)", "130:interrupted (Ctrl-C)"})
public final class Main implements Callable<Integer> {
    /** Success. */
    public static final int OK = 0;
    /** Anything else: an output that cannot be written, an inference failure. */
    public static final int ERROR = 1;
    /** Bad command line, or an output that is the command's own input. */
    public static final int USAGE = 2;
    /** Input missing, unreadable or not a valid ECDC file. */
    public static final int BAD_INPUT = 3;
    /** The model checkpoint could not be found or fetched. */
    public static final int MISSING_MODEL = 4;
    /** {@code play}: no audio output device. */
    public static final int NO_AUDIO = 5;
    /** Stopped by Ctrl-C (SIGINT): the JVM's own exit code for it. */
    public static final int INTERRUPTED = 130;

    static final String NAME = "encodec-stream";

    /** The run's standard streams and audio output. */
    final ProcessIo io;

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

    @Option(names = "--lm", description = "With -e: entropy-code the codes with the deterministic LM (decodable by "
            + "encodec-stream only; the LM checkpoint comes from the model store).")
    boolean lm;

    /** {@code -ss} and {@code -to}, with {@code -d}. */
    @Mixin
    CutOptions cut;

    /** {@code --strict}, with {@code -d}. */
    @Mixin
    DamageOptions damage;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "No progress bar or position display.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main(ProcessIo io) {
        this.io = io;
    }

    /** {@code -v} was given. */
    private boolean verbose;

    /**
     * Runs the command line and exits with its code; log records go to standard error, one line each.
     * What only a command that runs needs (logging, signal handling, the periodic collection) is
     * set up after the arguments are parsed, so {@code --help}, {@code --version} and usage errors
     * skip it (docs/PERFORMANCE.md, "Start-up").
     */
    public static void main(String[] args) {
        long started = System.nanoTime();
        OrtEarlyStart.begin(args);
        int code = run(ProcessIo.system(), main -> {
            CliLogging.configure(System.err, main.verbose);
            SignalExit.install();
            PeriodicCollection.enableInBackground();
            StartupTrace.log("command line (main to the command's start)", System.nanoTime() - started);
        }, args);
        System.out.flush();
        OrtEarlyStart.await(); // a command that failed fast: no extraction or native call cut short by the exit
        System.exit(SignalExit.exitCode(code));
    }

    /** Runs the command line on {@code System.in}, {@code System.out} and {@code System.err}; returns the exit code. */
    public static int run(String... args) {
        return run(new ProcessIo(System.in, System.out, System.out, System.err, ProcessIo.JAVA_SOUND), args);
    }

    /** Runs the command line on the given streams and audio output; returns the exit code. */
    static int run(ProcessIo io, String... args) {
        return run(io, main -> {
            if (main.verbose) {
                CliLogging.verbose();
            }
        }, args);
    }

    /** Runs the command line; {@code beforeCommand} runs once the arguments are parsed, unless help was asked for. */
    private static int run(ProcessIo io, Consumer<Main> beforeCommand, String... args) {
        CommandLine cli = commandLine(io, args);
        Main main = cli.getCommand();
        cli.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            beforeCommand.accept(main);
            return new CommandLine.RunLast().execute(parseResult);
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // picocli passes errors on: one line, not a stack trace
            io.err().println(NAME + ": " + Failure.message(e));
            io.err().flush();
            return ERROR;
        } catch (LinkageError e) { // ONNX Runtime's natives did not load: the reason, not a stack trace
            io.err().println(NAME + ": " + OrtEarlyStart.describe(e));
            io.err().flush();
            return ERROR;
        }
    }

    /** The command line for {@code args}: the top command, the commands they need, the error handlers. */
    static CommandLine commandLine(ProcessIo io, String... args) {
        CommandLine cli = new CommandLine(new Main(io));
        addCommands(cli, args); // before the settings below, which apply to the commands added so far
        cli.setOut(new PrintWriter(io.out(), true));
        cli.setErr(new PrintWriter(io.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(Failure::exitCode);
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(NAME + ": " + Failure.message(e) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (NativeCalls.shuttingDown()) {
                return INTERRUPTED; // work cut short by a signal (SignalExit): no error message
            }
            commandLine.getErr().println(NAME + ": " + Failure.message(e));
            return Failure.exitCode(e);
        });
        return cli;
    }

    /**
     * The commands, in the order help lists them. Each is built (picocli reads its annotations by
     * reflection, 10-40 ms a command) only when the arguments name it ({@link #addCommands}).
     */
    private static final List<Class<?>> COMMANDS = List.of(InfoCommand.class, DecodeCommand.class,
            EncodeCommand.class, PlayCommand.class, TestCommand.class);

    /**
     * Adds the command that {@code args} name, else all of them where the arguments could need
     * them: {@code --help} lists them, and a word that is neither a command nor an option's value
     * (or {@code --}) is a usage error picocli words from all of them. Encodec-Stream's flags and
     * {@code --version} need none. The arguments are read as picocli reads them: an option that
     * takes a value takes the next argument.
     */
    private static void addCommands(CommandLine cli, String... args) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        boolean all = false;
        for (int i = 0; i < args.length && !all; i++) {
            String arg = args[i];
            for (Class<?> command : COMMANDS) {
                if (arg.equals(command.getAnnotation(Command.class).name())) {
                    cli.addSubcommand(command);
                    return;
                }
            }
            CommandLine.Model.OptionSpec option = arg.startsWith("-") ? spec.findOption(arg) : null;
            if (option == null) {
                // a word, "--", or an option with its value attached (--threads=2), or unknown (an
                // error of its own): only the first two need the commands
                all = !arg.startsWith("-") || arg.equals("--");
            } else if (option.usageHelp()) {
                all = true;
            } else if (option.arity().max() > 0) {
                i++; // the option's value
            }
        }
        if (all) {
            for (Class<?> command : COMMANDS) {
                cli.addSubcommand(command);
            }
        }
    }

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Also log the device chosen and the models loaded.")
    void verbose(boolean on) {
        verbose |= on;
    }

    /** Encodec-Stream's flags; without them, a command is missing. */
    @Override
    public Integer call() throws IOException {
        if ((info != null ? 1 : 0) + (decode != null ? 1 : 0) + (encode != null ? 1 : 0) > 1) {
            throw usage("only one of -i, -d and -e can be used at a time");
        }
        if (encode == null && (bitrate != null || name != null || source != null || thumbnail != null || lm)) {
            throw usage("-b, -n, -s, -t and --lm go with -e");
        }
        if (decode == null && damage.strict) {
            throw usage("--strict goes with -d");
        }
        if (info == null && decode == null && encode == null) {
            if (cut.given()) {
                throw usage("-ss and -to go with -d");
            }
            throw usage("missing command: use info, decode, encode or play (or Encodec-Stream's -i / -d / -e)");
        }
        if (encode != null) {
            if (cut.given()) {
                throw usage("-ss and -to go with -d, not -e");
            }
            EncodeJob job = new EncodeJob();
            job.options = EncodeCommand.options(spec, bitrate, null, name, source, thumbnail, runtime).withLm(lm);
            job.output = encode;
            job.quiet = quiet;
            return job.run(PcmSource.s16le(io.stdin(), 48_000, 2), io.stdout(), io.err());
        }
        if (info != null) {
            if (cut.given()) {
                throw usage("-ss and -to go with -d, not -i");
            }
            PrintWriter out = spec.commandLine().getOut();
            for (String line : LegacyInfo.lines(runtime.inputs(io.stdin()).header(info))) {
                out.println(line);
            }
            out.flush();
            return OK;
        }
        cut.check();
        runtime.validate();
        DecodeJob job = new DecodeJob();
        job.input = decode;
        job.rate = 48_000;
        job.channels = 2;
        job.from = cut.from;
        job.to = cut.to;
        job.quiet = quiet;
        job.inputs = runtime.inputs(io.stdin());
        job.models = runtime.models();
        job.damage = damage.damage();
        return job.run(io.stdout(), io.err());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
