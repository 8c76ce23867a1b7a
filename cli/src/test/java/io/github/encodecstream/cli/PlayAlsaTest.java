package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.AlsaFileOutput;
import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code play} in a child JVM on a real Java Sound line: ALSA's default device, which hands the
 * samples to this test ({@link AlsaFileOutput}). What reaches the device is what {@code -d}
 * writes (48 kHz, 16-bit little-endian, stereo), and Ctrl-C ends with the last status line.
 */
@ExtendWith(ReferenceModels.class)
class PlayAlsaTest {
    private static final String MAIN = Main.class.getName();
    /** 48 kHz, 2 channels, 2 bytes a sample: how fast a sound card takes the samples. */
    private static final int BYTES_PER_SECOND = 48_000 * 2 * 2;
    /** What {@code -d} writes for the seed file (7 s), decoded once. */
    private static byte[] seedDecoded;

    private static synchronized byte[] dashD(String file) {
        if (seedDecoded == null) {
            CliRun run = CliRun.of("-d", file);
            assertEquals(Main.OK, run.exitCode(), run.toString());
            seedDecoded = run.stdout();
        }
        return seedDecoded;
    }

    @Test
    void theDeviceGetsExactlyWhatDashDWrites(@TempDir Path dir) throws Exception {
        AlsaFileOutput device = AlsaFileOutput.in(dir);
        String file = ReferenceData.file("seed/seed_b6.ecdc").toString(); // 7 s
        ProcessBuilder play = ChildJvm.builder(MAIN, "play", "--progress", file);
        play.environment().putAll(device.environment());
        device.startReading(0); // as fast as it comes: the 7 s take well under a second
        ChildJvm.Result run = ChildJvm.run(play, 120);
        byte[] played = device.finish();
        assertEquals(Main.OK, run.exitCode(), run.toString());
        byte[] decoded = dashD(file);
        assertEquals(7 * BYTES_PER_SECOND, decoded.length);
        assertEquals(decoded.length, played.length, "bytes that reached the device");
        assertArrayEquals(decoded, played);
        assertTrue(run.stderr().endsWith("Test Song  0:07.0 / 0:07.0 " + System.lineSeparator()), run.stderr());
    }

    @Test
    void ctrlCExits130WithTheLastStatusLine(@TempDir Path dir) throws Exception {
        AlsaFileOutput device = AlsaFileOutput.in(dir);
        String file = ReferenceData.file("seed/seed_b6.ecdc").toString();
        Path stderr = dir.resolve("stderr");
        ProcessBuilder play = ChildJvm.builder(MAIN, "play", "--progress", file)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        play.environment().putAll(device.environment());
        device.startReading(BYTES_PER_SECOND); // at a sound card's pace
        Process p = play.start();
        byte[] played;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (device.size() < BYTES_PER_SECOND / 2 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive() && device.size() >= BYTES_PER_SECOND / 2,
                    "not playing: " + device.size() + " bytes; " + Files.readString(stderr, StandardCharsets.UTF_8));
            ChildJvm.interrupt(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running after Ctrl-C");
            played = device.finish();
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(Main.INTERRUPTED, p.exitValue(), err);
        assertTrue(err.startsWith("\rTest Song  0:00.0 / 0:07.0 "), err);
        assertTrue(err.endsWith(" / 0:07.0   (stopped)" + System.lineSeparator()), err);
        byte[] decoded = dashD(file);
        assertTrue(played.length < decoded.length, "stopped early: " + played.length + " bytes");
        assertArrayEquals(Arrays.copyOf(decoded, played.length), played, "what was played is the start of the file");
    }
}
