package io.github.encodecstream.cli;

import io.github.encodecstream.files.OutputFile;
import io.github.encodecstream.source.HttpByteSource;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code -o} file of {@code decode} and {@code encode}, written as {@link OutputFile} says: a
 * regular file (through symbolic links) replaced only once complete, with a shutdown hook that
 * deletes the temporary on Ctrl-C; devices, pipes and names of open files ({@code /dev/stdout},
 * {@code /dev/fd/N}, {@code /proc/self/fd/N}) written in place. Also the check that an output is not the command's own input.
 */
final class FileOutput implements Closeable {
    private final OutputFile file;
    private final OutputStream stream;
    /** Whether creating, patching or moving the file failed (a write error of the stream is seen by the caller). */
    boolean failed;

    private FileOutput(OutputFile file) {
        this.file = file;
        this.stream = new BufferedOutputStream(file.stream(), 1 << 16);
    }

    /**
     * Refuses an output that is the input (exit 2, before anything is opened): the same file by
     * name, through symbolic or hard links (the same file key), through {@code /dev/fd/N} or
     * {@code /proc/self/fd/N}, or standard output ({@code -}) redirected to the input file
     * ({@code >> input}). Inputs that are URLs or standard input are not checked.
     *
     * @param stdout the run's standard output: checked only when it is the process's own
     */
    static void refuseInput(String input, String output, OutputStream stdout) {
        if (input.equals("-") || HttpByteSource.isHttpUrl(input)) {
            return;
        }
        Path out;
        try {
            out = output.equals("-") ? processStandardOutput(stdout) : Path.of(output);
        } catch (InvalidPathException e) {
            return; // reported when opened
        }
        try {
            Path in = Path.of(input);
            if (out != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
                String shown = output.equals("-") ? "standard output" : output;
                throw new Failure(Main.USAGE, "cannot write " + shown + ": it is the input"
                        + (input.equals(output) ? "" : " " + input), null);
            }
        } catch (InvalidPathException | IOException | SecurityException e) {
            // an input that cannot be looked at is reported when opened
        }
    }

    /** {@code /dev/stdout} when {@code stdout} is the process's file descriptor 1 and the system has the name, else null. */
    private static Path processStandardOutput(OutputStream stdout) {
        try {
            if (stdout instanceof FileOutputStream && ((FileOutputStream) stdout).getFD() == FileDescriptor.out) {
                Path path = Path.of("/dev/stdout");
                return Files.exists(path) ? path : null;
            }
        } catch (IOException | InvalidPathException e) {
            // no name for it
        }
        return null;
    }

    /** Opens the output {@code name}: fails with exit 1 and a message naming it when it cannot be created. */
    static FileOutput open(String name) {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new Failure(Main.ERROR, "cannot write " + name + ": not a valid file name", e);
        }
        try {
            return new FileOutput(OutputFile.open(path).removeAtExit());
        } catch (IOException e) {
            throw new Failure(Main.ERROR, "cannot write " + name + ": " + Failure.reason(e), e);
        }
    }

    /** The stream to write (buffered; {@link #commit()} flushes and closes it). */
    OutputStream stream() {
        return stream;
    }

    /** Whether {@link #patch} can rewrite the start of the file. */
    boolean seekable() {
        return file.seekable();
    }

    /** Writes {@code bytes} at {@code position} (after what is buffered). */
    void patch(long position, byte[] bytes) throws IOException {
        stream.flush();
        try {
            file.patch(position, bytes);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /** Flushes and moves the complete file onto the output. */
    void commit() throws IOException {
        stream.flush();
        try {
            file.commit();
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /** Deletes the temporary unless committed (an existing output is untouched). */
    @Override
    public void close() {
        file.close();
    }
}
