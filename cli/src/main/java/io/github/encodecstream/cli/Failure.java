package io.github.encodecstream.cli;

import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.source.HttpSourceException;
import io.github.encodecstream.store.ModelStore;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * An error of the command line with its exit code (one of {@link Main}'s) and a complete one-line
 * message, and how other exceptions map to exit codes and messages.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Failure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A failure to read {@code input} (a file or URL): exit code 3, the message naming it. */
    static Failure inputError(String input, IOException e) {
        if (e instanceof HttpSourceException) {
            HttpSourceException h = (HttpSourceException) e;
            boolean moved = !h.uri().toString().equals(input);
            return new Failure(Main.BAD_INPUT, input + ": " + h.detail() + (moved ? " (from " + h.uri() + ")" : ""), e);
        }
        return new Failure(Main.BAD_INPUT, input + ": " + reason(e), e);
    }

    /**
     * One input of a command over several that failed: thrown when it is the only input (the
     * command ends with its exit code and message), else its message printed on {@code err} and its
     * exit code returned, for the command to go on with the next input.
     */
    static int reportOrThrow(Failure f, boolean onlyInput, java.io.PrintWriter err) {
        if (onlyInput) {
            throw f;
        }
        err.println("encodec-stream: " + message(f));
        return f.exitCode;
    }

    /** Why a file operation failed, without repeating the file name. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return oneLine(((FileSystemException) e).getReason());
        }
        return message(e);
    }

    /** The exit code for an exception that ends a command. */
    static int exitCode(Throwable e) {
        if (e instanceof Failure) {
            return ((Failure) e).exitCode;
        }
        if (e instanceof CommandLine.ParameterException) {
            return Main.USAGE;
        }
        if (e instanceof ModelStore.ModelNotFoundException) {
            return Main.MISSING_MODEL;
        }
        if (e instanceof EcdcFormatException || e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
            return Main.BAD_INPUT;
        }
        return Main.ERROR;
    }

    /**
     * The exception's message on one line (its class name when it has none), ready to print:
     * control characters escaped ({@link TerminalText}).
     */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return "out of memory (" + oneLine(String.valueOf(t.getMessage())) + "): give Java more with -Xmx,"
                        + " e.g. java -Xmx256m -jar ... or ECDC_JAVA_OPTS=-Xmx256m";
            }
        }
        // an error of a class's initialisation has no message of its own: its cause's says why
        Throwable shown = e;
        while ((shown instanceof ExceptionInInitializerError || blank(shown.getMessage())) && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String m = shown.getMessage();
        return TerminalText.escape(oneLine(blank(m) ? e.toString() : m));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The text on one line: line breaks and the blanks around them become one space. */
    static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
