package io.github.encodecstream.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the command line, with what it wrote. */
record CliRun(int exitCode, byte[] stdout, String stderr) {
    /** Runs {@link Main#run(PrintStream, PrintStream, String...)} and captures both streams. */
    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(outStream, errStream, args);
        outStream.flush();
        errStream.flush();
        return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the command line with {@code stdin} as standard input and captures both output streams. */
    static CliRun withInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new ByteArrayInputStream(stdin), outStream, outStream, errStream, args);
        outStream.flush();
        errStream.flush();
        return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Standard output as text. */
    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The lines written to standard error. */
    String[] errLines() {
        return stderr.isEmpty() ? new String[0] : stderr.split("\\R");
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", stderr: " + stderr;
    }
}
