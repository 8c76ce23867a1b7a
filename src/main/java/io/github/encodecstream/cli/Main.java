package io.github.encodecstream.cli;

import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.format.EcdcFormatException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code encodec-stream} command line.
 *
 * <p>Exit codes: 0 success, 1 other error, 2 usage error, 3 unreadable or invalid input,
 * 4 missing model.
 */
@Command(name = "encodec-stream", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Decode and inspect EnCodec (.ecdc) files.",
        subcommands = {InfoCommand.class, DecodeCommand.class},
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("encodec-stream: " + message(e));
            return exitCode(e);
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use info or decode");
    }

    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof ModelStore.ModelNotFoundException) {
            return MISSING_MODEL;
        }
        if (e instanceof EcdcFormatException || e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return BAD_INPUT;
        }
        if (e instanceof IOException && e.getCause() != null) {
            return exitCode(e.getCause());
        }
        return e instanceof IOException ? BAD_INPUT : ERROR;
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
