package io.github.encodecstream.sound;

import io.github.encodecstream.dsp.PcmInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * PCM bytes read block by block as interleaved floats, for a
 * {@link io.github.encodecstream.codec.PcmEncoder}: raw s16le (the command line's {@code -e}) or a
 * Java Sound stream (its {@code encode}, and encodec-stream-spark's {@code ecdc_encode}), so that
 * every encoder of audio files reads them the same way.
 *
 * <pre>{@code
 * PcmSource pcm = PcmSource.open(in);   // WAV, AIFF, AU bytes
 * try (PcmEncoder encoder = PcmEncoder.create(out, options, pcm.sampleRate(), pcm.channels())) {
 *     for (int n; (n = pcm.read()) >= 0; ) {
 *         encoder.write(pcm.samples(), 0, n);
 *     }
 *     encoder.finish();
 * }
 * }</pre>
 *
 * <p><b>The end of the input</b> is a read that returns -1, or 0 when bytes were asked for: a
 * stopped or closed {@code TargetDataLine}'s stream ({@code new AudioInputStream(line)}) returns
 * 0, and the JDK's WAVE, AU and AIFF writers end there too (they read through a
 * {@code SequenceInputStream}, which moves past a stream at its first read of 0). So the Java
 * Sound tutorial's recorder, {@code AudioSystem.write(new AudioInputStream(line), ...)} with
 * {@code line.stop(); line.close()} from another thread, ends with the audio read so far. A
 * partial frame before the end is dropped ({@link #trailingBytes()}).
 *
 * <p>Samples are converted by {@link PcmInput}: for 16 bits {@code sample / 32768}, exactly as
 * the reference reads a WAV file (Encodec-Stream divided by 32767 unless the input held −32768,
 * which a streaming reader cannot know in advance; the difference is a gain of 0.0003 dB).
 */
public final class PcmSource {
    /** The message (after the input's name) for bytes that are no audio file Java Sound reads. */
    public static final String NOT_AUDIO = "not an audio file that Java Sound reads (WAV, AIFF, AU)";
    /** The message (after the input's name) for an audio file without a complete header. */
    public static final String EMPTY = "empty or truncated audio file";

    /** Bytes read per block (whole frames of it). */
    private static final int BLOCK_BYTES = 1 << 16;

    private final InputStream in;
    private final PcmInput pcm;
    private final long frames;
    private final byte[] buffer;
    private final float[] samples;
    private long position;
    private int trailing;
    private boolean ended;

    private PcmSource(InputStream in, PcmInput pcm, long frames) {
        this.in = in;
        this.pcm = pcm;
        this.frames = frames;
        int frameSize = pcm.frameSize();
        this.buffer = new byte[Math.max(1, BLOCK_BYTES / frameSize) * frameSize];
        this.samples = new float[buffer.length / frameSize * pcm.channels()];
    }

    /** Raw little-endian signed 16-bit PCM of unknown length. */
    public static PcmSource s16le(InputStream in, int sampleRate, int channels) {
        return new PcmSource(in, PcmInput.of(new AudioFormat(sampleRate, 16, channels, true, false)), -1);
    }

    /**
     * A Java Sound stream, converted to signed PCM first when its encoding is another that Java
     * Sound can convert (mu-law, a-law).
     *
     * @throws IllegalArgumentException when the format cannot be read
     */
    public static PcmSource of(AudioInputStream stream) {
        AudioInputStream s = stream;
        if (PcmInput.of(s.getFormat()) == null) {
            AudioFormat f = s.getFormat();
            AudioFormat pcm = new AudioFormat(Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
                    f.getChannels() * 2, f.getSampleRate(), false);
            if (f.getChannels() < 1 || !AudioSystem.isConversionSupported(pcm, f)) {
                throw new IllegalArgumentException("unsupported audio format: " + f);
            }
            s = AudioSystem.getAudioInputStream(pcm, s);
        }
        long length = s.getFrameLength();
        PcmInput pcm = PcmInput.of(s.getFormat());
        if (pcm == null) {
            throw new IllegalArgumentException("unsupported audio format: " + s.getFormat());
        }
        return new PcmSource(s, pcm, length == AudioSystem.NOT_SPECIFIED || isPlaceholder(length, pcm.frameSize())
                ? -1 : length);
    }

    /**
     * An audio file that Java Sound reads (WAV, AIFF, AU; {@code in} must support mark and reset,
     * as a {@code BufferedInputStream} or a {@code ByteArrayInputStream} does), as {@link #of}.
     *
     * @throws IOException with the message {@link #NOT_AUDIO} or {@link #EMPTY} when the bytes are
     *     no audio file Java Sound reads, "unsupported audio format: ..." when its samples cannot
     *     be read, or a failure to read
     */
    public static PcmSource open(InputStream in) throws IOException {
        AudioInputStream stream;
        try {
            stream = AudioSystem.getAudioInputStream(in);
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(NOT_AUDIO, e);
        } catch (EOFException e) {
            throw new IOException(EMPTY, e);
        }
        try {
            return of(stream);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Whether a declared length is the largest a 32-bit size field holds: what a WAV writer that
     * cannot seek back puts there (ffmpeg to a pipe writes 0xFFFFFFFF), so no length at all.
     */
    static boolean isPlaceholder(long frames, int frameSize) {
        long bytes = frames * frameSize;
        return bytes > 0xFFFF_FFFFL - frameSize && bytes <= 0xFFFF_FFFFL;
    }

    /** The input's sample rate, Hz (rounded to whole Hz). */
    public int sampleRate() {
        return pcm.sampleRate();
    }

    /** The input's channels. */
    public int channels() {
        return pcm.channels();
    }

    /** Frames in all as the input's header declares them, or -1 when not known. */
    public long frames() {
        return frames;
    }

    /** Frames read so far. */
    public long position() {
        return position;
    }

    /** Bytes of an incomplete last frame that were dropped at the end of the input. */
    public int trailingBytes() {
        return trailing;
    }

    /** The samples of the last {@link #read}, interleaved. */
    public float[] samples() {
        return samples;
    }

    /** Reads the next block into {@link #samples()}; returns its frames, or -1 at the end. */
    public int read() throws IOException {
        int n = 0;
        while (n < buffer.length && !ended) {
            int count = in.read(buffer, n, buffer.length - n);
            if (count <= 0) {
                ended = true; // -1, or 0 for a non-empty request: the end (see the class comment); not read again
                break;
            }
            n += count;
        }
        int frameSize = pcm.frameSize();
        int got = n / frameSize;
        if (n > got * frameSize) { // only at the end: blocks are whole frames
            trailing = n - got * frameSize;
        }
        if (got == 0) {
            return -1;
        }
        pcm.decode(buffer, 0, got, samples);
        position += got;
        return got;
    }
}
