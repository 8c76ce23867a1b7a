package io.github.encodecstream.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The options and input of {@code decode} and {@code play}: {@code -ss}, {@code -to}, the
 * .ecdc file, URL or {@code -}, and what they share with {@code encode} ({@link #common}).
 */
final class InputOptions extends CutOptions {
    @Parameters(paramLabel = "FILE-or-URL", description = "The .ecdc file, an http(s) URL, or - for standard input.")
    String input;

    @Mixin
    CommandOptions common;

    @Mixin
    DamageOptions damage;
}
