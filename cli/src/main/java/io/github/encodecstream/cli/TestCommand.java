package io.github.encodecstream.cli;

import io.github.encodecstream.codec.EcdcVerifier;
import io.github.encodecstream.source.ByteSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code test FILE-or-URL...}: verifies each file without any model ({@link EcdcVerifier}, as
 * {@code flac -t}): header, index, every checksum and record length. Prints one line per file
 * ({@code FILE: ok (what was checked)}) and one per problem, naming the record and its time span;
 * exit 0 when all are good, 3 otherwise.
 */
@Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Verify .ecdc files without decoding them: header, index, every checksum and record length "
                + "(encodec-stream-lm/2 files; older and plain files: what can be checked without the LM).",
            "Exit code 0 when every file is good, 3 otherwise (one line per problem)."})
final class TestCommand implements Callable<Integer> {
    /** {@code --timeout} and {@code --retries}, for URLs. */
    @Mixin
    HttpOptions network;

    @Parameters(arity = "1..*", paramLabel = "FILE-or-URL", description = "The .ecdc files or http(s) URLs.")
    List<String> files;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Inputs inputs = new Inputs(parent.io.stdin(), network.settings());
        int status = Main.OK;
        for (String file : files) {
            EcdcVerifier.Report report;
            try (ByteSource source = inputs.open(file)) {
                report = EcdcVerifier.verify(source);
            } catch (IOException e) {
                status = Failure.reportOrThrow(Failure.inputError(file, e), files.size() == 1, err);
                continue;
            } catch (Failure f) {
                status = Failure.reportOrThrow(f, files.size() == 1, err);
                continue;
            }
            String name = TerminalText.escape(file);
            for (EcdcVerifier.Problem p : report.problems()) {
                out.println(name + ": " + TerminalText.escape(describe(report, p)));
            }
            out.println(name + ": " + (report.ok() ? "ok" : report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s")) + " (checked: " + report.checked() + ")");
            if (!report.ok()) {
                status = Main.BAD_INPUT;
            }
        }
        out.flush();
        return status;
    }

    /** A problem as one line: the record and its span in seconds of the file, then what is wrong. */
    static String describe(EcdcVerifier.Report report, EcdcVerifier.Problem p) {
        if (p.record() < 0 || report.header() == null) {
            return p.message();
        }
        double rate = report.header().metadata().effectiveSampleRate();
        return String.format(Locale.ROOT, "%.3f s to %.3f s: %s", p.startSample() / rate, p.endSample() / rate,
                p.message());
    }
}
