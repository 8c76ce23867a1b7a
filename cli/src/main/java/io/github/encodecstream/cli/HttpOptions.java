package io.github.encodecstream.cli;

import io.github.encodecstream.source.HttpByteSource;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the commands that read http(s) inputs: {@code --timeout} and {@code --retries}. */
class HttpOptions {
    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "For http(s) inputs: seconds to wait for a connection or for data (default 30).")
    Double timeout;

    @Option(names = "--retries", paramLabel = "N",
            description = "For http(s) inputs: tries after a dropped connection, a timeout or HTTP 5xx, resuming where "
                    + "the data stopped; the delay starts at 0.25 s and doubles up to 4 s (default 5, or "
                    + "-Dencodec.http.retries).")
    Integer retries;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /**
     * Settings for http(s) inputs: those of the system properties, with these options.
     *
     * @throws CommandLine.ParameterException for an option out of range
     * @throws Failure for a system property that is not valid
     */
    HttpByteSource.Options settings() {
        HttpByteSource.Options options;
        try {
            options = HttpByteSource.Options.defaults();
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.ERROR, Failure.message(e), e); // names the property
        }
        if (retries != null) {
            if (retries < 0 || retries > 1000) {
                throw new CommandLine.ParameterException(mixee.commandLine(), "--retries must be 0 to 1000, got " + retries);
            }
            options = options.withRetries(retries);
        }
        if (timeout != null) {
            if (!(timeout > 0) || timeout > 1e6) {
                throw new CommandLine.ParameterException(mixee.commandLine(),
                        "--timeout must be a positive number of seconds, got " + timeout);
            }
            options = options.withTimeout(Duration.ofMillis(Math.max(1, Math.round(timeout * 1000))));
        }
        return options;
    }
}
