package io.github.encodecstream.sound;

import io.github.encodecstream.dsp.PcmConversion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes float chunks as raw little-endian PCM or as a 16-bit WAV file: the command line's
 * {@code decode} output, and encodec-stream-spark's WAV bytes. Integers are
 * {@code round(x · 32768)}, halves up, clipped to 16 bits.
 */
public final class PcmWriter {
    /** Output formats. */
    public enum Format {
        /** 16-bit signed little-endian, no header. */
        s16le,
        /** 32-bit float little-endian, no header. */
        f32le,
        /** RIFF WAVE, 16-bit PCM. */
        wav
    }

    /** Bytes of the WAV header written by {@link #wavHeader}. */
    public static final int WAV_HEADER = 44;

    private final Format format;
    private final OutputStream out;
    private long frames;
    private final int channels;
    /** The bytes of the last write, reused while large enough. */
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    private PcmWriter(Format format, OutputStream out, int channels) {
        this.format = format;
        this.out = out;
        this.channels = channels;
    }

    /**
     * A writer; for {@link Format#wav} it writes the header at once, sized for {@code frames}
     * samples per channel (known in advance; a file cut short is patched by the caller).
     */
    public static PcmWriter open(Format format, OutputStream out, int rate, int channels, long frames) throws IOException {
        if (format == Format.wav) {
            out.write(wavHeader(rate, channels, frames));
        }
        return new PcmWriter(format, out, channels);
    }

    /** Writes interleaved samples. */
    public void write(float[] samples) throws IOException {
        int bytesPerSample = format == Format.f32le ? 4 : 2;
        int size = samples.length * bytesPerSample;
        if (bytes.capacity() < size) {
            bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }
        bytes.clear();
        if (format == Format.f32le) {
            PcmConversion.putF32(samples, 0, samples.length, bytes);
        } else {
            PcmConversion.putS16(samples, 0, samples.length, bytes);
        }
        out.write(bytes.array(), 0, size);
        frames += samples.length / channels;
    }

    /** Samples per channel written. */
    public long frames() {
        return frames;
    }

    /**
     * A 44-byte canonical WAV header for 16-bit PCM; sizes past 4 GiB are written as their
     * largest value, as other tools do.
     */
    public static byte[] wavHeader(int rate, int channels, long frames) {
        long data = frames * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(WAV_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) Math.min(0xFFFFFFFFL, data + 36));
        b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
        b.putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) Math.min(0xFFFFFFFFL, data));
        return b.array();
    }
}
