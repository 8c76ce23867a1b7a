package io.github.encodecstream.cli;

import io.github.encodecstream.codec.Damage;
import picocli.CommandLine.Option;

/** {@code --strict}: what {@code decode}, {@code play} and {@code -d} do with a damaged segment or chunk. */
class DamageOptions {
    @Option(names = "--strict", description = "Stop at the first damaged segment or chunk (exit 3) instead of "
            + "concealing it with silence (named on standard error, exit 3 at the end).")
    boolean strict;

    /** The decoder's handling of damage. */
    Damage damage() {
        return strict ? Damage.FAIL : Damage.CONCEAL;
    }
}
