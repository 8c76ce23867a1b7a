package io.github.encodecstream.sound;

import java.util.Arrays;

/**
 * The decoded samples read since a stream's {@code mark}, kept so that {@code reset()} gives back
 * exactly the bytes that were read (a 24 kHz seek decodes a pre-roll, whose last bit can differ),
 * as {@link java.io.BufferedInputStream} keeps bytes: up to the mark's limit, beyond which the mark
 * is dropped. The samples are the decoder's floats, so that a stream converted to another format
 * carries them over.
 *
 * <p>Positions are frames from the start of the file. While a mark is set, the stream's position
 * is {@code markFrame() + cursor}; the decoder stands at {@link #liveFrame()}, and the frames
 * between are replayed from here before any new one is decoded. Not thread-safe.
 */
final class MarkBuffer {
    /** The most bytes of a stream's format a mark keeps, whatever its read limit asks: 8 MiB. */
    static final int MAX_BYTES = 8 << 20;

    private final int channels;
    private long start = -1;
    private int limit;
    private float[] samples = new float[0];
    private int frames;
    private int cursor;

    MarkBuffer(int channels) {
        this.channels = channels;
    }

    /** A copy, for a stream converted to another format. */
    MarkBuffer copy() {
        MarkBuffer c = new MarkBuffer(channels);
        c.start = start;
        c.limit = limit;
        c.samples = samples;
        c.frames = frames;
        c.cursor = cursor;
        return c;
    }

    /**
     * Sets the mark at {@code frame}, the stream's position, keeping up to {@code limitFrames}
     * frames from there. Frames already decoded past {@code frame} (read, then reset to an earlier
     * mark) stay: they are the stream's next frames.
     */
    void mark(long frame, int limitFrames) {
        int ahead = replayLeft();
        if (ahead > 0) {
            System.arraycopy(samples, cursor * channels, samples, 0, ahead * channels);
        }
        start = frame;
        frames = ahead;
        cursor = 0;
        limit = Math.max(Math.max(0, limitFrames), ahead);
    }

    /** Whether a mark is set (and still valid). */
    boolean isSet() {
        return start >= 0;
    }

    /** The frame the decoder stands at: the mark plus the frames kept (only while a mark is set). */
    long liveFrame() {
        return start + frames;
    }

    /** Frames kept and not yet read again: those the stream gives before decoding more. */
    int replayLeft() {
        return start < 0 ? 0 : frames - cursor;
    }

    /** The kept samples, interleaved; frame {@code i} of the mark at {@code i × channels}. */
    float[] samples() {
        return samples;
    }

    /** Takes {@code n ≤ replayLeft()} frames to read again; returns the index of the first sample in {@link #samples()}. */
    int replay(int n) {
        int from = cursor * channels;
        cursor += n;
        return from;
    }

    /**
     * Keeps {@code n} frames just decoded (at {@link #liveFrame()}, with nothing left to replay),
     * or drops the mark when they go past its limit.
     */
    void record(float[] chunk, int from, int n) {
        if (start < 0) {
            return;
        }
        if ((long) frames + n > limit) {
            clear();
            return;
        }
        int needed = (frames + n) * channels;
        if (needed > samples.length) {
            samples = Arrays.copyOf(samples, (int) Math.min((long) limit * channels,
                    Math.max(needed, 2L * samples.length)));
        }
        System.arraycopy(chunk, from, samples, frames * channels, n * channels);
        frames += n;
        cursor = frames;
    }

    /** Whether {@code frames} more frames from the stream's position stay within the mark's limit. */
    boolean canKeep(long more) {
        return start >= 0 && cursor + more <= limit;
    }

    /** Goes back to the mark (which must be set); returns its frame. */
    long rewind() {
        cursor = 0;
        return start;
    }

    /** Moves to {@code frame} when it lies between the mark and {@link #liveFrame()}; returns whether it did. */
    boolean moveTo(long frame) {
        if (start < 0 || frame < start || frame > start + frames) {
            return false;
        }
        cursor = (int) (frame - start);
        return true;
    }

    /** Drops the mark and its samples. */
    void clear() {
        start = -1;
        frames = 0;
        cursor = 0;
        samples = new float[0];
    }
}
