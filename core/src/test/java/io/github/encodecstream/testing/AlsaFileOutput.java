package io.github.encodecstream.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real audio output for a child JVM without a sound card: ALSA's default device is its
 * {@code file} plugin (built into libasound2) in front of a {@code null} device, writing the
 * samples, raw, into a named pipe that this test reads, as fast as they come or at a given pace
 * (the {@code null} device itself does not play in real time: it takes samples as fast as they
 * are written). The configuration is self-contained and reaches only the child, through
 * {@code ALSA_CONFIG_PATH} ({@link #environment()}), which must be set before its Java Sound loads.
 *
 * <p>Linux only. A missing ALSA library skips the calling test on a developer machine and fails it
 * under {@code CI=true} ({@code .ci/run} installs it).
 */
public final class AlsaFileOutput {
    private final AlsaDevice device;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Thread reader;
    private volatile IOException failure;

    private AlsaFileOutput(AlsaDevice device) {
        this.device = device;
    }

    /** Creates the pipe and the configuration in {@code dir}; skips or fails the test without ALSA. */
    public static AlsaFileOutput in(Path dir) throws IOException, InterruptedException {
        requireAlsa();
        return new AlsaFileOutput(AlsaDevice.create(dir, "device.pcm",
                "the default device writes what it is given, raw, to a file (here: a named pipe)",
                pipe -> List.of("file \"" + pipe + "\"")));
    }

    /** The child's environment variables that make this its default audio output. */
    public Map<String, String> environment() {
        return device.environment();
    }

    /**
     * Starts reading what the device is given, until the device is closed: as fast as it comes
     * ({@code bytesPerSecond} 0) or at that pace (as a sound card would take it).
     */
    public void startReading(int bytesPerSecond) {
        reader = new Thread(() -> {
            try (InputStream in = new FileInputStream(device.pipe().toFile())) { // waits for the device to be opened
                byte[] buffer = new byte[bytesPerSecond > 0 ? Math.max(4, bytesPerSecond / 20) : 1 << 16];
                long start = System.nanoTime();
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (received) {
                        received.write(buffer, 0, n);
                    }
                    total += n;
                    if (bytesPerSecond > 0) {
                        long due = start + total * 1_000_000_000L / bytesPerSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alsa-file-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The bytes received so far. */
    public int size() {
        synchronized (received) {
            return received.size();
        }
    }

    /**
     * Waits for the device to be closed (call when the child has exited) and returns all it was
     * given; when the child never opened it, returns nothing.
     */
    public byte[] finish() throws IOException, InterruptedException {
        reader.join(2000);
        if (reader.isAlive()) {
            // still waiting for a writer: open and close the pipe once, so that it reads the end
            try (FileOutputStream unblock = new FileOutputStream(device.pipe().toFile())) {
                unblock.flush();
            }
            reader.join(10_000);
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Skips (or, under {@code CI=true}, fails) the calling test unless libasound2 is installed, on Linux. */
    static void requireAlsa() {
        String missing = null;
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            missing = "not Linux: ALSA's file device needs Linux";
        } else if (!libraryPresent()) {
            missing = "ALSA's library libasound.so.2 is not installed (apt-get install alsa-utils; .ci/run does it)";
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
    }

    private static boolean libraryPresent() {
        for (String base : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64")) {
            Path dir = Path.of(base);
            if (Files.isRegularFile(dir.resolve("libasound.so.2"))) {
                return true;
            }
            try (var subdirs = Files.list(dir)) { // multiarch: /usr/lib/x86_64-linux-gnu
                if (subdirs.anyMatch(d -> Files.isRegularFile(d.resolve("libasound.so.2")))) {
                    return true;
                }
            } catch (IOException e) {
                // no such folder
            }
        }
        return false;
    }
}
