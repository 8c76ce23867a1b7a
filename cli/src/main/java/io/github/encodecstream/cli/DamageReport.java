package io.github.encodecstream.cli;

import io.github.encodecstream.codec.ConcealedSpan;
import io.github.encodecstream.codec.EcdcDecoder;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Names each span that a decoder concealed on standard error as soon as it is found, e.g.
 * {@code encodec-stream: damaged data: 11.880–12.880 s concealed (segment 12 is damaged: its CRC-32C is
 * 1c2d3e4f, the index says 0a0b0c0d (at byte 15320))},
 * and turns them into exit code 3 at the end.
 */
final class DamageReport {
    private final EcdcDecoder decoder;
    private final String input;
    private final PrintStream err;
    private int reported;

    DamageReport(EcdcDecoder decoder, String input, PrintStream err) {
        this.decoder = decoder;
        this.input = input;
        this.err = err;
    }

    /** Prints the spans concealed since the last call. */
    void printNew() {
        if (decoder.concealedCount() == reported) {
            return; // no copy of the list per chunk
        }
        List<ConcealedSpan> spans = decoder.concealedSpans();
        for (; reported < spans.size(); reported++) {
            err.println(line(spans.get(reported), decoder.sampleRate()));
        }
    }

    /** The line naming a concealed span, times in seconds of the file at the model's rate. */
    static String line(ConcealedSpan s, int sampleRate) {
        return String.format(Locale.ROOT, "%s: damaged data: %.3f\u2013%.3f s concealed (%s)", Main.NAME,
                s.startSample() / (double) sampleRate, s.endSample() / (double) sampleRate,
                Failure.oneLine(TerminalText.escape(s.reason())));
    }

    /** After the last chunk: the failure (exit 3) that says how many spans were concealed, or null. */
    Failure failure() {
        printNew();
        int n = decoder.concealedCount();
        return n == 0 ? null : new Failure(Main.BAD_INPUT, input + ": " + n + " damaged span" + (n == 1 ? "" : "s")
                + " concealed with silence", null);
    }
}
