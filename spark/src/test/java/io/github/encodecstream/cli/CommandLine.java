package io.github.encodecstream.cli;

/**
 * The command line run in this JVM for the Spark tests (which compare the functions with it): a
 * bridge to the core's test helper {@link CliRun}, which is package-private.
 */
public final class CommandLine {
    private CommandLine() {}

    /** One run's exit code and standard error. */
    public record Result(int exitCode, String stderr) {}

    /** Runs the command line with {@code args}, no standard input, and captures standard error. */
    public static Result run(String... args) {
        CliRun run = CliRun.of(args);
        return new Result(run.exitCode(), run.stderr());
    }
}
