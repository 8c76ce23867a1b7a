package example;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Opens an {@code .ecdc} file through Java Sound alone ({@code AudioSystem}, with encodec-stream as the
 * project's only dependency), reads its samples as 32-bit floats and prints their count and format. Given a
 * reference output ({@code .out.f32}: float32 little-endian, channels interleaved), it also checks every
 * sample against it and exits with status 1 when the counts differ or a sample is off by more than 1e-4.
 *
 * <pre>
 * java -cp CLASSPATH example.ReadEcdc FILE.ecdc [REFERENCE.out.f32]
 * </pre>
 */
public final class ReadEcdc {
    private static final double TOLERANCE = 1e-4;

    private ReadEcdc() {
    }

    /**
     * Reads the file given first, and compares it with the reference given second.
     *
     * @param args the {@code .ecdc} file, and optionally its reference output
     * @throws Exception when Java Sound cannot open or read the file
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java example.ReadEcdc FILE.ecdc [REFERENCE.out.f32]");
            System.exit(2);
        }
        float[] samples = readFloats(new File(args[0]));
        if (args.length == 2) {
            float[] reference = readReference(Path.of(args[1]));
            if (reference.length != samples.length) {
                System.err.println("read " + samples.length + " samples, the reference has " + reference.length);
                System.exit(1);
            }
            double maxError = 0;
            for (int i = 0; i < samples.length; i++) {
                maxError = Math.max(maxError, Math.abs(samples[i] - reference[i]));
            }
            System.out.println("max error against the reference: " + maxError);
            if (maxError > TOLERANCE) {
                System.err.println("more than " + TOLERANCE + " off the reference");
                System.exit(1);
            }
        }
    }

    /** Every sample of the file, channels interleaved, as Java Sound decodes it to PCM_FLOAT. */
    private static float[] readFloats(File file) throws Exception {
        try (AudioInputStream coded = AudioSystem.getAudioInputStream(file);
             AudioInputStream floats = AudioSystem.getAudioInputStream(AudioFormat.Encoding.PCM_FLOAT, coded)) {
            AudioFormat format = floats.getFormat();
            byte[] bytes = floats.readAllBytes();
            float[] samples = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(samples);
            System.out.println(file + ": " + format + ", " + samples.length + " samples read");
            return samples;
        }
    }

    private static float[] readReference(Path f32) throws IOException {
        byte[] bytes = Files.readAllBytes(f32);
        float[] samples = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(samples);
        return samples;
    }
}
