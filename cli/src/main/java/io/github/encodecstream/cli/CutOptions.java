package io.github.encodecstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code -ss} and {@code -to}: the part of the file to decode or play ({@code decode}, {@code play}, {@code -d}). */
class CutOptions {
    @Option(names = "-ss", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "Start at this time: seconds or [[H:]M:]S (cut at the exact sample round(TIME x rate)).")
    TimeValue from;

    @Option(names = "-to", paramLabel = "TIME", converter = TimeValue.Converter.class,
            description = "Stop before this time (same form).")
    TimeValue to;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Whether {@code -ss} or {@code -to} is given. */
    boolean given() {
        return from != null || to != null;
    }

    /** A usage error unless {@code -ss} is before {@code -to} (when both are given). */
    void check() {
        if (from != null && to != null && to.seconds().compareTo(from.seconds()) <= 0) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "-to (" + to + ") must be after -ss (" + from + ")");
        }
    }
}
