package io.github.encodecstream.sound;

import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads an {@code .ecdc} header from a caller's stream and puts the stream back where it was,
 * as {@link javax.sound.sampled.spi.AudioFileReader}s must, so that other readers can try it.
 *
 * <p>Marks are bounded: {@value EcdcHeader#FIXED_LENGTH} bytes to check the magic and read the
 * JSON length, then the magic to the end of the JSON (at most {@value EcdcHeader#FIXED_LENGTH}
 * bytes + 1 MiB), then, for an {@code encodec-stream-lm/2} file, the header with its LM index (8
 * bytes per segment or chunk; an index over {@value #MAX_INDEX_MARK} bytes, which no file of 375-step
 * chunks reaches, is declined: such a file is read as a file or URL). A stream without mark/reset is declined before a byte is read (as the
 * {@link javax.sound.sampled.AudioSystem} documentation asks of parsers: mark, read, reset), so
 * that it reaches the other readers untouched.
 */
final class HeaderProbe {
    /** The longest LM index a probe marks for (a week of 24 kHz audio in 375-step chunks takes 194 kB). */
    static final int MAX_INDEX_MARK = 16 << 20;

    private HeaderProbe() {}

    /**
     * The header at the stream's position; the stream is reset to that position, also on failure.
     *
     * @throws UnsupportedAudioFileException when the stream cannot be marked, or does not hold a valid header
     * @throws IOException when reading or resetting the stream fails
     */
    static EcdcHeader peek(InputStream in) throws UnsupportedAudioFileException, IOException {
        if (!in.markSupported()) {
            throw new UnsupportedAudioFileException(
                    "stream does not support mark/reset (wrap it in a BufferedInputStream)");
        }
        byte[] fixed = new byte[EcdcHeader.FIXED_LENGTH];
        int got;
        in.mark(fixed.length);
        try {
            got = in.readNBytes(fixed, 0, fixed.length);
        } finally {
            in.reset();
        }
        int magic = EcdcHeader.MAGIC.length;
        if (got < magic || !Arrays.equals(fixed, 0, magic, EcdcHeader.MAGIC, 0, magic)) {
            throw new UnsupportedAudioFileException("not an .ecdc file: no ECDC magic");
        }
        long jsonLength = got < fixed.length ? 0 : Integer.toUnsignedLong(ByteBuffer.wrap(fixed).getInt(magic + 1));
        if (jsonLength > EcdcHeader.MAX_JSON_LENGTH) {
            throw new UnsupportedAudioFileException("not a valid .ecdc file: metadata length " + jsonLength);
        }
        int start = fixed.length + (int) jsonLength;
        byte[] head;
        in.mark(start);
        try {
            head = in.readNBytes(start);
        } finally {
            in.reset();
        }
        try {
            long length = head.length < start ? start : EcdcHeader.lengthOf(head);
            if (length - start > MAX_INDEX_MARK) {
                throw new UnsupportedAudioFileException("the LM index of " + (length - start) + " bytes is too long to"
                        + " probe on a stream; open the file or URL instead");
            }
            in.mark((int) length);
            try {
                return EcdcHeader.read(in);
            } finally {
                in.reset();
            }
        } catch (EcdcFormatException e) {
            throw unsupported(e);
        }
    }

    /** The exception {@link javax.sound.sampled.AudioSystem} expects for a file that is not (valid) ECDC. */
    static UnsupportedAudioFileException unsupported(EcdcFormatException e) {
        UnsupportedAudioFileException u = new UnsupportedAudioFileException("not a valid .ecdc file: " + e.getMessage());
        u.initCause(e);
        return u;
    }
}
