package io.github.encodecstream.sound;

import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcHeader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.Objects;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;

/**
 * The decoded PCM of an {@code .ecdc} file, as {@link EcdcAudioFileReader} and
 * {@link EcdcFormatConversionProvider} return it: at the file's rate and channel count, with the
 * frame length {@code al}, bounded where the file's size is known by what its data can hold (see
 * {@link io.github.encodecstream.codes.LengthBound}: a file cut short ends within the step or
 * segment of the cut, and reading meets the cut's exception before that; a forward-only input,
 * whose size is not known, has {@code al} as declared). Frame positions count from the start of
 * the file.
 *
 * <p>Opening reads only the header; decoding starts on the first read and, unless switched off
 * (see {@link EcdcAudioFileReader}), runs ahead of the reader in a background thread on a buffer
 * of two decoded chunks (about two seconds), so that a consumer that keeps up does not wait for
 * a whole segment. {@link #skip(long)} and {@link #seek(long)} seek: a 48 kHz file jumps to the
 * segment needed, a 24 kHz file decodes a short pre-roll before the target (see
 * {@link io.github.encodecstream.codec.DecoderOptions}). A stream over a forward-only input (an
 * {@code InputStream}, a URL other than {@code file:} and http(s)) can only go forward.
 *
 * <p>{@link #mark(int)} and {@link #reset()} work on every stream, as
 * {@link java.io.BufferedInputStream}'s do: the audio read after the mark is kept, so that
 * {@code reset()} gives back exactly the bytes that were read (it does not seek, which for a
 * 24 kHz file could differ in the last bit), up to the mark's {@code readlimit} bytes or
 * {@value MarkBuffer#MAX_BYTES} bytes (8 MiB), whichever is less. Reading or skipping past that
 * drops the mark, and {@code reset()} then throws an {@link IOException}; a skip or seek within
 * the limit keeps it.
 *
 * <p>{@link #close()} stops the decoding and releases the file; a stream that becomes unreachable
 * without being closed is closed by a {@link Cleaner}. Not thread-safe, except that
 * {@link #close()} may be called from another thread.
 */
public final class EcdcAudioInputStream extends AudioInputStream {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DecodeAhead decoding;
    private final DecodedFormat pcm;
    private final EcdcHeader header;
    private final int channels;
    private final float sampleRate;
    /** Kept reachable so that its cleaner does not close the decoding this stream took over. */
    @SuppressWarnings("unused")
    private final EcdcAudioInputStream convertedFrom;
    private final Cleaner.Cleanable cleanable;
    /** Where each frame's codes lie in a local file, or null (not a local file). */
    private final SegmentLayout layout;
    private final long fileLength;
    private float[] chunk;
    private int chunkOffset;
    private MarkBuffer marked;
    private boolean handedOver;
    private volatile boolean closed;

    private EcdcAudioInputStream(DecodeAhead decoding, DecodedFormat pcm, EcdcHeader header, long frameLength,
            long fileLength, EcdcAudioInputStream convertedFrom) {
        super(InputStream.nullInputStream(), pcm, frameLength);
        this.decoding = decoding;
        this.pcm = pcm;
        this.header = header;
        this.channels = pcm.getChannels();
        this.sampleRate = pcm.getSampleRate();
        this.convertedFrom = convertedFrom;
        this.fileLength = fileLength;
        this.layout = fileLength >= 0 ? SegmentLayout.of(header) : null;
        this.cleanable = CLEANER.register(this, decoding::close);
        this.marked = new MarkBuffer(channels);
    }

    /**
     * A 16-bit stream over an opened decoder, which it takes over; {@code fileLength}: the size of
     * a local file (see {@link #available()}), else negative.
     */
    static EcdcAudioInputStream open(EcdcDecoder decoder, boolean seekable, boolean decodeAhead, long fileLength) {
        EcdcHeader header = decoder.header();
        DecodedFormat pcm = DecodedFormat.pcm16(header.metadata().effectiveSampleRate(), decoder.channels());
        return new EcdcAudioInputStream(new DecodeAhead(decoder, seekable, decodeAhead), pcm, header, decoder.length(),
                fileLength, null);
    }

    /**
     * This stream's audio from its current position in another format (of
     * {@link DecodedFormat#all}), computed from the same floats. This stream can no longer be
     * read; closing either closes both.
     */
    EcdcAudioInputStream convertTo(DecodedFormat target) throws IOException {
        ensureReadable();
        EcdcAudioInputStream converted = new EcdcAudioInputStream(decoding, target, header, frameLength, fileLength, this);
        converted.chunk = chunk;
        converted.chunkOffset = chunkOffset;
        converted.framePos = framePos;
        converted.marked = marked.copy();
        handedOver = true;
        chunk = null;
        marked.clear();
        return converted;
    }

    /** The file's header and metadata. */
    public EcdcHeader header() {
        return header;
    }

    /** The frame (sample per channel, from the start of the file) the next read starts at. */
    public long framePosition() {
        return framePos;
    }

    /**
     * Moves to a frame, {@code 0 <= frame <= getFrameLength()}. A mark stays set when the frame
     * lies between the mark and the furthest frame read since; elsewhere it is dropped.
     *
     * @throws IOException when the stream is forward-only and the frame lies behind, or it is closed
     */
    public void seek(long frame) throws IOException {
        if (frame < 0 || frame > frameLength) {
            throw new IllegalArgumentException("frame " + frame + " outside 0.." + frameLength);
        }
        ensureReadable();
        if (marked.isSet()) {
            if (marked.moveTo(frame)) {
                framePos = frame;
                return;
            }
            framePos = marked.liveFrame(); // where the decoded chunks stand
            marked.clear();
        }
        long left = chunk == null ? 0 : (chunk.length - chunkOffset) / channels;
        if (frame >= framePos && frame - framePos <= left) {
            chunkOffset += (int) (frame - framePos) * channels;
        } else {
            decoding.seek(frame);
            chunk = null;
        }
        framePos = frame;
    }

    /**
     * Moves to the frame playing at {@code microseconds} from the start (rounded down), clamped to
     * the length.
     */
    public void seekMicroseconds(long microseconds) throws IOException {
        if (microseconds < 0) {
            throw new IllegalArgumentException("negative time " + microseconds);
        }
        double frame = Math.floor(microseconds * (double) sampleRate / 1e6);
        seek((long) Math.min(frameLength, frame));
    }

    @Override
    public int read() throws IOException {
        throw new IOException("cannot read a single byte if frame size > 1");
    }

    /**
     * Reads whole frames: blocks until at least one is there, then takes what is decoded without
     * waiting again.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureReadable();
        if (framePos >= frameLength) {
            return -1;
        }
        int frames = (int) Math.min(len / frameSize, frameLength - framePos);
        if (frames == 0) {
            return 0;
        }
        int done = take(b, off, frames);
        return done == 0 ? -1 : done * frameSize;
    }

    /**
     * Takes up to {@code frames} frames (at least one unless the audio ends first) into
     * {@code b[off..]}, or drops them when {@code b} is null: first those kept since the mark, then
     * decoded ones, which the mark keeps. Returns the frames taken.
     */
    private int take(byte[] b, int off, int frames) throws IOException {
        int done = 0;
        int replay = Math.min(frames, marked.replayLeft());
        if (replay > 0) {
            int from = marked.replay(replay);
            if (b != null) {
                pcm.encode(marked.samples(), from, from + replay * channels, b, off);
            }
            done = replay;
        }
        while (done < frames) {
            if (chunk == null || chunkOffset == chunk.length) {
                if (done > 0 && decoding.bufferedFrames() == 0) {
                    break; // deliver what there is rather than wait
                }
                try {
                    chunk = decoding.next();
                } catch (IOException e) {
                    chunk = null;
                    if (done > 0) {
                        break; // the error comes again with the next read
                    }
                    throw e;
                }
                chunkOffset = 0;
                if (chunk == null) {
                    break;
                }
            }
            int n = Math.min(frames - done, (chunk.length - chunkOffset) / channels);
            marked.record(chunk, chunkOffset, n);
            if (b != null) {
                pcm.encode(chunk, chunkOffset, chunkOffset + n * channels, b, off + done * frameSize);
            }
            chunkOffset += n * channels;
            done += n;
        }
        framePos += done;
        return done;
    }

    /**
     * Skips whole frames, returning the bytes skipped: by seeking, or, while a mark is set and the
     * skipped frames fit within its limit, by reading them (so that {@link #reset()} still goes back).
     */
    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        ensureReadable();
        long target = framePos + Math.min(n / frameSize, frameLength - framePos);
        long skipped = (target - framePos) * frameSize;
        if (!marked.canKeep(target - framePos)) {
            seek(target);
            return skipped;
        }
        while (framePos < target) {
            if (take(null, 0, (int) (target - framePos)) == 0) {
                break; // the audio ended early (a damaged file): what was skipped
            }
        }
        return skipped - (target - framePos) * frameSize;
    }

    /**
     * For a local file, the file's bytes not played yet: at the start its whole size, then its
     * size less the file offset of the codes of the next frame (the header counts as played once
     * the audio has started; 0 at the end), as mp3spi's encoded MP3 stream reports, so that players
     * which take {@code available()} at open as the length and subtract later values (BasicPlayer)
     * show a position from 0 to {@link AudioFileFormat#getByteLength()}, the file's size. It is
     * never more than the PCM bytes left, all of which come from the file without waiting on
     * anything else. For other inputs (URLs, streams), the decoded bytes waiting,
     * {@link #bufferedBytes()}.
     */
    @Override
    public int available() throws IOException {
        ensureReadable();
        if (layout == null) {
            return bufferedBytes();
        }
        long left = (frameLength - framePos) * frameSize;
        long played = framePos == 0 ? 0 : codeOffset(framePos);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(left, Math.max(0, fileLength - played)));
    }

    /** Bytes decoded and waiting: a read of this many returns without waiting for the decoder. */
    public int bufferedBytes() throws IOException {
        ensureReadable();
        long frames = marked.replayLeft() + (chunk == null ? 0 : (chunk.length - chunkOffset) / channels)
                + decoding.bufferedFrames();
        return (int) Math.min(Integer.MAX_VALUE / frameSize, Math.min(frames, frameLength - framePos)) * frameSize;
    }

    /** The file offset of the codes of {@code frame}, interpolated within its segment; the file's end past the audio. */
    private long codeOffset(long frame) {
        if (frame >= frameLength || layout.segmentCount() == 0) {
            return fileLength;
        }
        if (!layout.hasByteOffsets()) { // a 24 kHz entropy-coded stream: interpolated over the whole data
            return layout.dataOffset() + (long) ((double) frame / frameLength * (fileLength - layout.dataOffset()));
        }
        int index = layout.segmentContaining(frame);
        SegmentLayout.Segment segment = layout.segment(index);
        return layout.byteOffset(index) + (long) ((double) (frame - segment.start()) / segment.length() * layout.byteSize(index));
    }

    /** True: the audio read after a mark is kept (see the class comment), whatever the input. */
    @Override
    public boolean markSupported() {
        return true;
    }

    /**
     * Marks the position: {@link #reset()} gives back the next {@code readlimit} bytes (at most
     * {@value MarkBuffer#MAX_BYTES}) exactly as they are read. Does nothing on a closed stream.
     */
    @Override
    public void mark(int readlimit) {
        if (closed || handedOver) {
            return;
        }
        int limit = Math.min(Math.max(0, readlimit), MarkBuffer.MAX_BYTES);
        marked.mark(framePos, limit / frameSize);
    }

    /**
     * Goes back to the mark: the bytes read since are read again, the same.
     *
     * @throws IOException when no mark is set, more than its limit was read or skipped since, or
     *     the stream was moved elsewhere by {@link #seek(long)}
     */
    @Override
    public void reset() throws IOException {
        ensureReadable();
        if (!marked.isSet()) {
            throw new IOException("Resetting to invalid mark: none set, or more than its read limit was read since");
        }
        framePos = marked.rewind();
    }

    /** Stops decoding and releases the file and buffers; also closes a stream converted from or to this one. */
    @Override
    public void close() {
        closed = true;
        chunk = null;
        marked = new MarkBuffer(channels); // not cleared: a read may still be using it (close from another thread)
        cleanable.clean();
    }

    private void ensureReadable() throws IOException {
        if (closed || decoding.isClosed()) {
            throw new IOException("stream closed");
        }
        if (handedOver) {
            throw new IOException("this stream was converted to another format: read the converted stream");
        }
    }
}
