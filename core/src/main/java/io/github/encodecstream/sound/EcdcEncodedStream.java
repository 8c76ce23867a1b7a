package io.github.encodecstream.sound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * PCM encoded to an {@code .ecdc} file, as {@link EcdcFormatConversionProvider} returns it: an
 * {@link AudioInputStream} of encoding {@link EcdcEncoding#ECDC} whose bytes are the whole file
 * (header, then the compressed frames), of unknown frame size and length.
 *
 * <p>The header comes first but holds the audio length, so no byte exists before the end of the
 * input: the first read (or skip) reads the PCM stream to its end, encoding as it goes (memory
 * bounded by a segment or chunk, as {@link io.github.encodecstream.codec.PcmEncoder} says), and
 * keeps the compressed file (0.75 kB per second of audio at 6 kbps, 3 kB/s at 24 kbps) to deliver
 * it. {@link EcdcAudioFileWriter} given a stream not read yet encodes straight to its output.
 * Not thread-safe; {@link #close()} closes the PCM stream too.
 */
final class EcdcEncodedStream extends AudioInputStream {
    private final AudioInputStream source;
    private final EncodeSettings settings;
    /** The rest of the kept file, once encoded; null before, and after close. */
    private ByteArrayInputStream rest;
    private boolean started;
    private boolean closed;

    EcdcEncodedStream(AudioInputStream source, EncodeSettings settings) {
        super(InputStream.nullInputStream(), settings.codedFormat(), AudioSystem.NOT_SPECIFIED);
        this.source = source;
        this.settings = settings;
    }

    /** The settings the stream encodes with. */
    EncodeSettings settings() {
        return settings;
    }

    /**
     * Writes the rest of the file to {@code out}: when nothing was read yet, encodes straight to it
     * (the file is not kept). Returns the bytes written.
     */
    long writeTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        ensureOpen();
        if (!started) {
            started = true;
            CountingOutputStream counting = new CountingOutputStream(out);
            settings.encode(source, counting);
            rest = new ByteArrayInputStream(new byte[0]);
            return counting.count();
        }
        return rest.transferTo(out);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        encoded();
        return len == 0 ? 0 : rest.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        encoded();
        return rest.skip(n);
    }

    /** 0 before the input is encoded (a read then blocks until it is), else the bytes left. */
    @Override
    public int available() throws IOException {
        ensureOpen();
        return rest == null ? 0 : rest.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // not supported
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Releases the file and closes the PCM stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            rest = null;
            source.close();
        }
    }

    private void encoded() throws IOException {
        ensureOpen();
        if (!started) {
            started = true;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            settings.encode(source, out);
            rest = new ByteArrayInputStream(out.toByteArray());
        }
        if (rest == null) {
            throw new IOException("the encoding failed");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** Counts the bytes written through it. */
    static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
