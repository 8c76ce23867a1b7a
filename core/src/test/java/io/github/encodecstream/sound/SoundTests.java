package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.github.encodecstream.dsp.PcmConversion;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Helpers of the Java Sound tests: reference models for AudioSystem's readers, WAV reading, comparisons. */
final class SoundTests {
    private static final Map<Path, float[]> REFERENCE = new ConcurrentHashMap<>();

    private SoundTests() {}

    /** Makes the readers AudioSystem creates decode with the reference models, offline, on the CPU. */
    static void useReferenceModels() {
        ReferenceCases.useForSharedModels();
    }

    /** A reference output ({@code .out.f32}), read once per run. */
    static float[] reference(Path f32) {
        return REFERENCE.computeIfAbsent(f32, p -> {
            try {
                return ReferenceData.readF32(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The {@code .out.f32} next to an {@code .ecdc} file. */
    static float[] referenceFor(Path ecdc) {
        String name = ecdc.getFileName().toString();
        return reference(ecdc.resolveSibling(name.substring(0, name.length() - ".ecdc".length()) + ".out.f32"));
    }

    /** Every byte left in a stream. */
    static byte[] readAll(AudioInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[12_000];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads a WAV file with the JDK's reader and checks its format. */
    static byte[] readWav(Path wav, AudioFormat.Encoding encoding, int bits) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(encoding, f.getEncoding(), f.toString());
            assertEquals(bits, f.getSampleSizeInBits(), f.toString());
            assertEquals(false, f.isBigEndian(), f.toString());
            return readAll(in);
        }
    }

    /** Little or big-endian signed integers of {@code bits} bits. */
    static int[] ints(byte[] bytes, int bits, boolean bigEndian) {
        int size = bits / 8;
        int[] out = new int[bytes.length / size];
        for (int i = 0; i < out.length; i++) {
            int v = 0;
            for (int b = 0; b < size; b++) {
                int at = i * size + (bigEndian ? b : size - 1 - b);
                v = (v << 8) | (bytes[at] & 0xFF);
            }
            out[i] = (v << (32 - bits)) >> (32 - bits);
        }
        return out;
    }

    /** 32-bit floats. */
    static float[] floats(byte[] bytes, boolean bigEndian) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** max |ints[i] - toInt(reference[from + i], bits)|: the error in LSB against the documented conversion. */
    static long maxLsb(int[] actual, float[] reference, int from, int bits) {
        long max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs((long) actual[i] - PcmConversion.toInt(reference[from + i], bits)));
        }
        return max;
    }

    /** Prints a measured value for the record (surefire keeps it in the test's output). */
    static void report(String what) {
        System.out.println("[sound] " + what);
    }

    /** A local HTTP server handing out the files of a folder (GET /NAME), no Range support. */
    static final class FileServer implements AutoCloseable {
        private final HttpServer server;

        FileServer(Path root) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody(); InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the client stopped reading: fine
                }
            });
            server.setExecutor(Executors.newCachedThreadPool(task -> {
                Thread t = new Thread(task, "test-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
        }

        URL url(String name) throws IOException {
            return new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
