package io.github.encodecstream.sound;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Helpers of the writing-side tests: PCM streams of any format, writing, headers. */
final class WriterTests {
    private WriterTests() {}

    /** Makes the readers, writers and conversions AudioSystem creates use the reference models. */
    static void useReferenceModels() {
        SoundTests.useReferenceModels();
    }

    /** A reference WAV ({@code audio/NAME}) through AudioSystem, cut to {@code frames}, its format carrying {@code properties}. */
    static AudioInputStream wav(String name, long frames, Map<String, Object> properties)
            throws IOException, UnsupportedAudioFileException {
        AudioInputStream in = AudioSystem.getAudioInputStream(ReferenceData.file("audio/" + name).toFile());
        return new AudioInputStream(in, withProperties(in.getFormat(), properties), frames);
    }

    /** A 16-bit reference WAV read by the JDK, as {@code sample / 32768}, interleaved. */
    static float[] wavFloats(String name) throws IOException, UnsupportedAudioFileException {
        int[] ints = SoundTests.ints(SoundTests.readWav(ReferenceData.file("audio/" + name), Encoding.PCM_SIGNED, 16),
                16, false);
        float[] out = new float[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i] / 32768f;
        }
        return out;
    }

    /** The format with these properties (and no others). */
    static AudioFormat withProperties(AudioFormat f, Map<String, Object> properties) {
        return new AudioFormat(f.getEncoding(), f.getSampleRate(), f.getSampleSizeInBits(), f.getChannels(),
                f.getFrameSize(), f.getFrameRate(), f.isBigEndian(), properties);
    }

    /** A PCM format: encoding, rate, bits, channels, byte order, properties. */
    static AudioFormat format(Encoding encoding, float rate, int bits, int channels, boolean bigEndian,
            Map<String, Object> properties) {
        return new AudioFormat(encoding, rate, bits, channels, channels * bits / 8, rate, bigEndian, properties);
    }

    /** A stream of interleaved floats in a PCM format (integers as {@code round(x * 2^(bits-1))}, clipped). */
    static AudioInputStream stream(float[] interleaved, AudioFormat format) {
        byte[] bytes = bytes(interleaved, format);
        return new AudioInputStream(new ByteArrayInputStream(bytes), format, interleaved.length / format.getChannels());
    }

    /** Interleaved floats as the bytes of a PCM format. */
    static byte[] bytes(float[] samples, AudioFormat format) {
        int bits = format.getSampleSizeInBits();
        int size = bits / 8;
        byte[] out = new byte[samples.length * size];
        boolean floating = format.getEncoding().equals(Encoding.PCM_FLOAT);
        boolean unsigned = format.getEncoding().equals(Encoding.PCM_UNSIGNED);
        for (int i = 0; i < samples.length; i++) {
            long v;
            if (floating) {
                v = bits == 32 ? Float.floatToRawIntBits(samples[i]) & 0xFFFF_FFFFL
                        : Double.doubleToRawLongBits(samples[i]);
            } else {
                double full = 1L << (bits - 1);
                v = (long) Math.max(-full, Math.min(full - 1, Math.round(samples[i] * full)));
                if (unsigned) {
                    v += 1L << (bits - 1);
                }
            }
            for (int b = 0; b < size; b++) {
                int shift = 8 * (format.isBigEndian() ? size - 1 - b : b);
                out[i * size + b] = (byte) (v >>> shift);
            }
        }
        return out;
    }

    /** {@code AudioSystem.write(in, ECDC, memory)}; checks the returned count. */
    static byte[] write(AudioInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = AudioSystem.write(in, EcdcFileFormatType.ECDC, out);
        if (n != out.size()) {
            throw new AssertionError("write returned " + n + ", wrote " + out.size());
        }
        return out.toByteArray();
    }

    /**
     * A sine of {@code frequency} Hz at {@code amplitude}, the same in every channel but scaled by
     * {@code 1 - 0.25 c}, rounded to multiples of {@code quantum}.
     */
    static float[] sine(int rate, int channels, int frames, double frequency, double amplitude, double quantum) {
        float[] out = new float[frames * channels];
        for (int i = 0; i < frames; i++) {
            double x = amplitude * Math.sin(2 * Math.PI * frequency * i / rate);
            for (int c = 0; c < channels; c++) {
                out[i * channels + c] = (float) (Math.round(x * (1 - 0.25 * c) / quantum) * quantum);
            }
        }
        return out;
    }

    /** Heap in use after a full collection, bytes. */
    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * PCM generated as it is read (nothing held): a 440 Hz sine at half scale in 16-bit signed
     * or 32-bit float little-endian, every channel the same, of {@code frames} frames; calls
     * {@code probe} with the frame count each time another {@code every} frames have been read.
     */
    static final class GeneratedPcm extends InputStream {
        private final AudioFormat format;
        private final long frames;
        private final long every;
        private final java.util.function.LongConsumer probe;
        private final int frameSize;
        private long position;
        private long nextProbe;
        private final byte[] frame;

        GeneratedPcm(AudioFormat format, long frames, long every, java.util.function.LongConsumer probe) {
            this.format = format;
            this.frames = frames;
            this.every = every;
            this.probe = probe;
            this.frameSize = format.getFrameSize();
            this.nextProbe = every;
            this.frame = new byte[frameSize];
        }

        /** As an AudioInputStream of its format and length. */
        AudioInputStream stream() {
            return new AudioInputStream(this, format, frames);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= frames) {
                return -1;
            }
            int n = (int) Math.min(len / frameSize, frames - position);
            float rate = format.getSampleRate();
            boolean floating = format.getEncoding().equals(Encoding.PCM_FLOAT);
            int channels = format.getChannels();
            for (int i = 0; i < n; i++) {
                double x = 0.5 * Math.sin(2 * Math.PI * 440 * ((position + i) % (long) rate) / rate);
                int v = floating ? Float.floatToRawIntBits((float) x) : (int) Math.round(x * 32767);
                int size = frameSize / channels;
                for (int c = 0; c < channels; c++) {
                    for (int k = 0; k < size; k++) {
                        frame[c * size + k] = (byte) (v >>> (8 * k));
                    }
                }
                System.arraycopy(frame, 0, b, off + i * frameSize, frameSize);
            }
            position += n;
            while (probe != null && position >= nextProbe) {
                probe.accept(position);
                nextProbe += every;
            }
            return n * frameSize;
        }
    }
}
