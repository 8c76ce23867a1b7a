package io.github.encodecstream.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * What one run of the command line works with: the process's standard streams and its audio
 * output. {@link Main} is constructed with one; tests give their own.
 *
 * @param stdin standard input: {@code -e}, and the input {@code -} of every command
 * @param stdout where binary output goes ({@code -d}, {@code -e}, {@code -o -})
 * @param out standard output for text (help, version, {@code info})
 * @param err standard error: messages, progress and status lines
 * @param lines how {@code play} gets its audio line
 */
record ProcessIo(InputStream stdin, OutputStream stdout, PrintStream out, PrintStream err, LineFactory lines) {
    /** How {@code play} obtains a (not yet opened) line for a format. */
    @FunctionalInterface
    interface LineFactory {
        SourceDataLine line(AudioFormat format) throws LineUnavailableException;
    }

    /** The default audio output of Java Sound. */
    static final LineFactory JAVA_SOUND = AudioSystem::getSourceDataLine;

    /**
     * The process's own streams, binary output going straight to the file descriptor (a
     * {@code PrintStream} would hide a closed pipe), and Java Sound's default output.
     */
    static ProcessIo system() {
        return new ProcessIo(System.in, new FileOutputStream(FileDescriptor.out), System.out, System.err, JAVA_SOUND);
    }
}
