package io.github.encodecstream.sound;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.TargetDataLine;

/**
 * The Java Sound tutorial's recorder, in a JVM of its own (models from {@code -Dencodec.models}):
 * {@code RecorderProbe TYPE FILE MILLIS} loads the model (a short write first), opens the default
 * {@code TargetDataLine} at 48 kHz, 16 bits, stereo, starts it, and writes
 * {@code new AudioInputStream(line)} with {@code AudioSystem.write} to FILE as TYPE
 * ({@code ECDC} or {@code WAVE}) while another thread calls {@code line.stop(); line.close()}
 * after MILLIS ms. Prints {@code frames N} (the frames the writer read from the line),
 * {@code returned-ms T} (from the line's close to the write's return) and {@code bytes B}.
 */
public final class RecorderProbe {
    private RecorderProbe() {}

    /** The line's stream as the tutorial makes it, counting the bytes the writer takes. */
    private static final class CountingLineStream extends AudioInputStream {
        final AtomicLong bytes = new AtomicLong();

        CountingLineStream(TargetDataLine line) {
            super(line);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytes.addAndGet(n);
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        AudioFileFormat.Type type = args[0].equals("ECDC") ? EcdcFileFormatType.ECDC : AudioFileFormat.Type.WAVE;
        File file = new File(args[1]);
        long millis = Long.parseLong(args[2]);
        AudioFormat format = new AudioFormat(48_000, 16, 2, true, false);
        // models loaded first: the measured time is the recorder's, not the first model load
        AudioSystem.write(new AudioInputStream(new java.io.ByteArrayInputStream(new byte[4 * 4800]), format, 4800),
                type, new ByteArrayOutputStream());

        TargetDataLine line = AudioSystem.getTargetDataLine(format);
        line.open(format);
        line.start();
        CountingLineStream stream = new CountingLineStream(line);
        long[] closedAt = new long[1];
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            line.stop();
            line.close();
            synchronized (closedAt) {
                closedAt[0] = System.nanoTime();
            }
        }, "stopper");
        stopper.start();
        int written = AudioSystem.write(stream, type, file);
        long returned = System.nanoTime();
        stopper.join();
        synchronized (closedAt) {
            System.out.printf("frames %d%nreturned-ms %.1f%nbytes %d%n", stream.bytes.get() / format.getFrameSize(),
                    (returned - closedAt[0]) / 1e6, written);
        }
    }
}
