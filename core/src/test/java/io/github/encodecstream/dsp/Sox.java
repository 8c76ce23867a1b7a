package io.github.encodecstream.dsp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SoX's {@code rate -v} (very high quality) as the reference resampler of the tests. Missing sox
 * skips the calling test on a developer machine and fails it under {@code CI=true} ({@code .ci/run}
 * installs it).
 */
public final class Sox {
    private Sox() {}

    /** The sox executable; skips or fails the test when there is none. */
    public static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "sox");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("sox is not installed (.ci/run installs it with apt-get)");
        }
        assumeTrue(false, "sox is not installed (apt-get install sox)");
        return null;
    }

    /**
     * Resamples interleaved floats with {@code sox ... rate -v OUT}. The input is halved on the way
     * in and doubled on the way out: sox works in fixed point and would clip samples beyond ±1.
     */
    public static float[] resample(float[] in, int channels, int inRate, int outRate) throws IOException {
        String sox = executable();
        Path dir = Files.createTempDirectory("sox");
        Path src = dir.resolve("in.f32");
        Path dst = dir.resolve("out.f32");
        try {
            ByteBuffer b = ByteBuffer.allocate(in.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : in) {
                b.putFloat(x * 0.5f);
            }
            Files.write(src, b.array());
            List<String> command = List.of(sox, "-t", "raw", "-r", String.valueOf(inRate), "-e", "floating-point",
                    "-b", "32", "-c", String.valueOf(channels), "-L", src.toString(),
                    "-t", "raw", "-e", "floating-point", "-b", "32", "-L", dst.toString(), "rate", "-v", String.valueOf(outRate));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("sox failed: " + command + "\n" + output);
            }
            ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(dst)).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[r.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.getFloat() * 2;
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(src);
            Files.deleteIfExists(dst);
            Files.deleteIfExists(dir);
        }
    }
}
