package io.github.encodecstream.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the command line, with what it wrote. */
record CliRun(int exitCode, byte[] stdout, String stderr) {
    /** Runs the command line with an empty standard input and Java Sound's audio output; captures both streams. */
    static CliRun of(String... args) {
        return run(new byte[0], ProcessIo.JAVA_SOUND, args);
    }

    /** Runs the command line with {@code stdin} as standard input and captures both output streams. */
    static CliRun withInput(byte[] stdin, String... args) {
        return run(stdin, ProcessIo.JAVA_SOUND, args);
    }

    /** Runs the command line with {@code lines} as the audio output and captures both streams. */
    static CliRun withLines(ProcessIo.LineFactory lines, String... args) {
        return run(new byte[0], lines, args);
    }

    /** Runs {@link Main#run(ProcessIo, String...)} with the given input and audio output. */
    static CliRun run(byte[] stdin, ProcessIo.LineFactory lines, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new ProcessIo(new ByteArrayInputStream(stdin), outStream, outStream, errStream, lines), args);
        outStream.flush();
        errStream.flush();
        return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** No input, binary output to {@code stdout}, text to {@code err}, Java Sound's audio output. */
    static ProcessIo io(OutputStream stdout, PrintStream err) {
        return new ProcessIo(InputStream.nullInputStream(), stdout, err, err, ProcessIo.JAVA_SOUND);
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
