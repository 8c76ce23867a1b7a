package io.github.encodecstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code decode}, {@code play} and {@code encode} share: the runtime options,
 * {@code --progress}, and the run's streams and {@code -q} from the root command ({@link Main}).
 */
final class CommandOptions extends RuntimeOptions {
    @Option(names = "--progress",
            description = "Show the progress even when standard error is not a terminal.")
    boolean progress;

    /** The root command: the run's streams and {@code -q}. */
    private Main main() {
        // the command's spec: mixee is a mixin's when this one is nested in another (InputOptions)
        return (Main) mixee.commandLine().getCommandSpec().root().userObject();
    }

    /** The run's standard streams and audio output. */
    ProcessIo io() {
        return main().io;
    }

    /** {@code -q}: no progress or position. */
    boolean quiet() {
        return main().quiet;
    }

    /** The inputs of this run: {@code -} reads the run's standard input. */
    Inputs inputs() {
        return inputs(io().stdin());
    }

    /** A usage error of this command. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }
}
