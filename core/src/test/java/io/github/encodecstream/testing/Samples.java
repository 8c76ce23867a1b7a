package io.github.encodecstream.testing;

import io.github.encodecstream.codec.EcdcDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Float samples in tests: decoding to the end, comparing with a reference, reading WAV files. */
public final class Samples {
    private Samples() {}

    /** Reads until {@code read()} returns null. */
    public static float[] drain(EcdcDecoder decoder) throws IOException {
        return drain(decoder, Long.MAX_VALUE);
    }

    /** Reads chunks until at least {@code maxValues} floats or the end. */
    public static float[] drain(EcdcDecoder decoder, long maxValues) throws IOException {
        float[] out = new float[0];
        int n = 0;
        while (n < maxValues) {
            float[] chunk = decoder.read();
            if (chunk == null) {
                break;
            }
            if (n + chunk.length > out.length) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, n + chunk.length));
            }
            System.arraycopy(chunk, 0, out, n, chunk.length);
            n += chunk.length;
        }
        return Arrays.copyOf(out, n);
    }

    /** Max |expected[expectedFrom + i] - actual[i]| over {@code actual}. */
    public static double maxError(float[] expected, int expectedFrom, float[] actual) {
        return maxError(expected, expectedFrom, actual, 0, actual.length);
    }

    /** Max error over {@code actual[from..to)} against {@code expected[expectedFrom + i]}. */
    public static double maxError(float[] expected, int expectedFrom, float[] actual, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(expected[expectedFrom + i] - actual[i]));
        }
        return max;
    }

    /** A 16-bit PCM WAV file's samples as {@code sample / 32768}, interleaved. */
    public static float[] readWav(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        while (b.remaining() >= 8) {
            int id = b.getInt();
            int size = b.getInt();
            if (id == 0x61746164) { // "data"
                float[] out = new float[Math.min(size, b.remaining()) / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getShort() / 32768f;
                }
                return out;
            }
            b.position(b.position() + size + (size & 1));
        }
        throw new IOException("no data chunk in " + path);
    }
}
