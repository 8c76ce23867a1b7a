package io.github.encodecstream.cli;

import io.github.encodecstream.sound.PcmWriter;
import io.github.encodecstream.runtime.NativeCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays a {@link PcmStream} (16-bit) on an open, started {@link SourceDataLine}, showing
 * its {@link PlayPosition} on standard error; {@link #stop()} (from a Ctrl-C hook) ends it
 * within a fraction of a second, the line stopped, flushed and closed.
 */
final class Player {
    /** Frames per write: 0.1 s at 48 kHz, so that a stop is noticed quickly. */
    private static final int WRITE_FRAMES = 4800;

    private final SourceDataLine line;
    private final PcmStream pcm;
    private final String input;
    private final DamageReport damaged;
    private final PlayPosition position;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;

    /**
     * Plays {@code pcm}, decoded from {@code input} (for messages), on {@code line}, showing
     * {@code position} and naming concealed spans ({@code damaged}) as they are found.
     */
    Player(SourceDataLine line, PcmStream pcm, String input, DamageReport damaged, PlayPosition position) {
        this.line = line;
        this.pcm = pcm;
        this.input = input;
        this.damaged = damaged;
        this.position = position;
    }

    /**
     * Plays to the end or until {@link #stop()}; returns whether it was stopped.
     *
     * @throws IOException as {@link PcmWriter#write} declares (the line itself throws none)
     */
    boolean play() throws IOException {
        try {
            show(true);
            PcmWriter writer = PcmWriter.open(PcmWriter.Format.s16le, new LineOutput(2 * pcm.channels()), pcm.rate(),
                    pcm.channels(), -1);
            for (float[] chunk; !stopped && (chunk = next()) != null; ) {
                writer.write(chunk);
            }
            long written = writer.frames(); // what the line was given (once stopped, the wait below is skipped)
            // let the line play what it holds, showing the position
            long still = System.nanoTime();
            long last = -1;
            while (!stopped && line.getLongFramePosition() < written) {
                long at = line.getLongFramePosition();
                if (at != last) {
                    last = at;
                    still = System.nanoTime();
                } else if (System.nanoTime() - still > TimeUnit.SECONDS.toNanos(2)) {
                    break; // the position does not move: do not wait forever
                }
                show(false);
                sleep(50);
            }
            if (stopped) {
                line.stop();
                line.flush();
            } else {
                line.drain();
            }
            show(true);
            position.end(stopped);
            return stopped;
        } finally {
            line.close();
            done.countDown();
        }
    }

    /**
     * The next chunk, or null at the end; a failure once stopping (Ctrl-C: the decoder's runs are
     * refused while the JVM shuts down) ends playing as a stop.
     */
    private float[] next() {
        try {
            float[] chunk = DecodeJob.read(pcm, input);
            damaged.printNew();
            return chunk;
        } catch (Failure e) {
            damaged.printNew();
            if (stopped || NativeCalls.shuttingDown()) {
                stopped = true;
                return null;
            }
            throw e;
        }
    }

    /**
     * The line as an output stream: writes in pieces of {@value #WRITE_FRAMES} frames, showing the
     * position between them, and drops the rest of a write once stopped.
     */
    private final class LineOutput extends OutputStream {
        private final int frameBytes;

        LineOutput(int frameBytes) {
            this.frameBytes = frameBytes;
        }

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("whole frames only");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int end = off + len; off < end && !stopped; ) {
                off += line.write(b, off, Math.min(end - off, WRITE_FRAMES * frameBytes));
                show(false);
            }
        }
    }

    /** Asks {@link #play()} to stop, and waits up to {@code millis} for it to finish. */
    void stop(long millis) {
        stopped = true;
        try {
            done.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks {@link #play()} to stop without waiting. */
    void stop() {
        stopped = true;
    }

    private void show(boolean force) {
        position.show(line.getLongFramePosition(), pcm.rate(), force);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
