package io.github.encodecstream.testing;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * A real audio input for a child JVM without a sound card: ALSA's default device is its
 * {@code file} plugin in front of a {@code null} device, whose capture also reads a named pipe
 * ({@code infile}) that this test keeps feeding, so that a {@code TargetDataLine} opens, starts,
 * records, stops and closes as on a sound card. (The {@code null} device captures as fast as it
 * is read, not in real time, and the plugin lays what the pipe holds over what it captures: a
 * line's frames are then silence and the pipe's bytes.) Java Sound opens the device once to
 * probe it and again for the line, so the feeder opens the pipe again each time it is closed.
 * Reaches only the child, through {@code ALSA_CONFIG_PATH} ({@link #environment()}). Linux only;
 * without ALSA's library the calling test is skipped on a developer machine and fails under
 * {@code CI=true} (see {@link AlsaFileOutput}).
 */
public final class AlsaFileInput {
    private final AlsaDevice device;
    private Thread feeder;
    private volatile boolean stopping;

    private AlsaFileInput(AlsaDevice device) {
        this.device = device;
    }

    /** Creates the pipe and the configuration in {@code dir}; skips or fails the test without ALSA. */
    public static AlsaFileInput in(Path dir) throws IOException, InterruptedException {
        AlsaFileOutput.requireAlsa();
        return new AlsaFileInput(AlsaDevice.create(dir, "capture.pcm",
                "the default device captures what is written into a named pipe (and drops what is played)",
                pipe -> List.of("file \"/dev/null\"", "infile \"" + pipe + "\"")));
    }

    /** The child's environment variables that make this its default audio input. */
    public Map<String, String> environment() {
        return device.environment();
    }

    /**
     * Starts feeding the device, each time it is opened, with bytes {@code byteAt(i)} at
     * {@code bytesPerSecond}, until {@link #finish()}.
     */
    public void startFeeding(int bytesPerSecond, IntUnaryOperator byteAt) {
        feeder = new Thread(() -> {
            while (!stopping) {
                try (OutputStream out = new FileOutputStream(device.pipe().toFile())) { // waits for the device to be opened
                    feed(out, bytesPerSecond, byteAt);
                } catch (IOException closed) {
                    // the device was closed (a broken pipe): wait for the next opening
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "alsa-file-input");
        feeder.setDaemon(true);
        feeder.start();
    }

    private void feed(OutputStream out, int bytesPerSecond, IntUnaryOperator byteAt)
            throws IOException, InterruptedException {
        byte[] block = new byte[Math.max(4, bytesPerSecond / 50 / 4 * 4)];
        long start = System.nanoTime();
        long total = 0;
        while (!stopping) {
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) byteAt.applyAsInt((int) ((total + i) % Integer.MAX_VALUE));
            }
            out.write(block);
            total += block.length;
            long wait = start + total * 1_000_000_000L / bytesPerSecond - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    /** Stops feeding (call when the child has exited); unblocks a feeder still waiting for the device. */
    public void finish() throws IOException, InterruptedException {
        stopping = true;
        feeder.interrupt();
        feeder.join(2000);
        if (feeder.isAlive()) {
            // still waiting for a reader: open and close the pipe once, so that the feeder's open returns
            try (FileInputStream unblock = new FileInputStream(device.pipe().toFile())) {
                unblock.available();
            }
            feeder.join(10_000);
        }
    }
}
