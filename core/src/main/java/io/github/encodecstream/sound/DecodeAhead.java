package io.github.encodecstream.sound;

import io.github.encodecstream.codec.ConcealedSpan;
import io.github.encodecstream.codec.EcdcDecoder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The chunks of one decoder, in order, with positions, optionally decoded ahead of the reader.
 *
 * <p>In the background mode a task of a shared pool of daemon threads calls
 * {@link EcdcDecoder#read()} while at most {@link #CAPACITY} chunks wait (about one second of
 * audio each: 75 frames of the 24 kHz model, a 0.99 s segment of the 48 kHz one), starting on
 * the first {@link #next()}. The decoder is only ever used by one thread at a time: the task, or,
 * while no task runs, the caller ({@link #seek}, {@link #close}, the direct mode). A seek that
 * lands inside the waiting chunks drops samples without touching the decoder.
 *
 * <p>{@link #close()}, from any thread, returns at once: it closes the decoder's source first
 * ({@link EcdcDecoder#abort()}), which ends a read blocked on the network or a file, and a task
 * still running (its read failing, or a network run, which cannot be stopped half-way) closes the
 * decoder itself when it ends.
 *
 * <p>Damaged segments or chunks are concealed by the decoder (silence, {@link
 * io.github.encodecstream.codec.Damage#CONCEAL}) and the stream plays on; the spans concealed are
 * named in one {@code System.Logger} warning per stream, when the decoder has decoded the file's
 * last sample (before that chunk is handed on) or, earlier, when the stream is closed.
 *
 * <p>Thread-safe; the consumer is meant to be one thread at a time.
 */
final class DecodeAhead implements Closeable {
    /** Decoded chunks that may wait for the reader. */
    static final int CAPACITY = 2;

    private static final System.Logger LOG = System.getLogger(DecodeAhead.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "encodec-decode-ahead-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final EcdcDecoder decoder;
    private final boolean seekable;
    private final boolean background;
    private final int channels;
    private final Object lock = new Object();
    private final ArrayDeque<float[]> ready = new ArrayDeque<>();
    /** The first frame of the next chunk {@link #next()} returns. */
    private long nextStart;
    private boolean producing;
    private boolean stop;
    private boolean finished;
    private IOException failure;
    private boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * Takes over a decoder (closed by {@link #close()}) whose source is {@code seekable} or
     * forward-only, decoding in the background or on the caller's thread.
     */
    DecodeAhead(EcdcDecoder decoder, boolean seekable, boolean background) {
        this.decoder = decoder;
        this.seekable = seekable;
        this.background = background;
        this.channels = decoder.channels();
        this.nextStart = decoder.position();
        OPEN.incrementAndGet();
    }

    /** Instances not closed yet (for tests). */
    static int openCount() {
        return OPEN.get();
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Whether the decoder can go back. */
    boolean isSeekable() {
        return seekable;
    }

    /**
     * The next chunk (channels interleaved, at least one frame), or null after the last; waits
     * for it to be decoded. An error is thrown again by every later call until a {@link #seek}.
     */
    float[] next() throws IOException {
        if (!background) {
            synchronized (lock) {
                ensureOpen();
                float[] chunk = decoder.read();
                warnAtTheEnd(chunk);
                advance(chunk);
                return chunk;
            }
        }
        synchronized (lock) {
            while (true) {
                ensureOpen();
                float[] chunk = ready.poll();
                if (chunk != null) {
                    lock.notifyAll(); // room for the producer
                    advance(chunk);
                    return chunk;
                }
                if (failure != null) {
                    throw failure;
                }
                if (finished) {
                    return null;
                }
                if (!producing) {
                    producing = true;
                    POOL.execute(this::produce);
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for decoded audio");
                }
            }
        }
    }

    private void advance(float[] chunk) {
        if (chunk != null) {
            nextStart += chunk.length / channels;
        }
    }

    /** Frames decoded and waiting: {@link #next()} returns them without blocking. */
    long bufferedFrames() {
        synchronized (lock) {
            long frames = 0;
            for (float[] chunk : ready) {
                frames += chunk.length / channels;
            }
            return frames;
        }
    }

    /**
     * Makes {@code frame} the start of the next chunk. Inside the waiting chunks it drops the
     * samples before it; elsewhere it stops the decoding task and seeks the decoder (which jumps
     * to a segment, or decodes a pre-roll).
     *
     * @throws IOException when the source is forward-only and {@code frame} lies behind; nothing changes then
     */
    void seek(long frame) throws IOException {
        synchronized (lock) {
            ensureOpen();
            if (frame >= nextStart && dropWaiting(frame - nextStart)) {
                nextStart = frame;
                return;
            }
            if (!seekable && frame < nextStart) {
                throw new IOException("stream is not seekable: cannot go back to frame " + frame
                        + " from frame " + nextStart);
            }
            stopProducing(); // its last chunk is queued: the decoder is now at the queue's end
            if (frame >= nextStart && dropWaiting(frame - nextStart)) {
                nextStart = frame;
                return;
            }
            ready.clear();
            finished = false;
            failure = null;
            decoder.seek(frame);
            nextStart = frame;
        }
    }

    /** Drops {@code frames} frames from the waiting chunks if they hold that many; else changes nothing. */
    private boolean dropWaiting(long frames) {
        long waiting = 0;
        for (float[] chunk : ready) {
            waiting += chunk.length / channels;
        }
        if (frames == 0 || frames >= waiting) {
            return frames == 0;
        }
        long left = frames;
        while (left > 0) {
            float[] head = ready.peek();
            int n = head.length / channels;
            if (n <= left) {
                ready.poll();
                left -= n;
            } else {
                ready.poll();
                ready.addFirst(Arrays.copyOfRange(head, (int) left * channels, head.length));
                left = 0;
            }
        }
        lock.notifyAll();
        return true;
    }

    /** The decoding task: fills the queue until the end, an error or a stop; after close() it closes the decoder. */
    private void produce() {
        boolean closeDecoder = false;
        try {
            while (true) {
                synchronized (lock) {
                    while (ready.size() >= CAPACITY && !stop) {
                        waitUninterruptibly();
                    }
                    if (stop) {
                        producing = false;
                        closeDecoder = closed;
                        lock.notifyAll();
                        return;
                    }
                }
                float[] chunk = null;
                IOException error = null;
                try {
                    chunk = decoder.read();
                    warnAtTheEnd(chunk);
                } catch (IOException e) {
                    error = e;
                } catch (RuntimeException | Error e) {
                    error = new IOException("decoding failed: " + e, e);
                }
                synchronized (lock) {
                    boolean done = stop || error != null || chunk == null;
                    if (!closed) { // kept even when stopping, so that the queue ends where the decoder is
                        if (error != null) {
                            failure = error;
                        } else if (chunk == null) {
                            finished = true;
                        } else {
                            ready.add(chunk);
                        }
                    }
                    if (done) {
                        producing = false;
                        closeDecoder = closed;
                    }
                    lock.notifyAll();
                    if (done) {
                        return;
                    }
                }
            }
        } finally {
            if (closeDecoder) {
                closeDecoder();
            }
        }
    }

    /** Asks the task to stop and waits until it has (at most one chunk's decoding); holds the lock. */
    private void stopProducing() {
        stop = true;
        lock.notifyAll();
        boolean interrupted = false;
        while (producing) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                interrupted = true; // the decoder must not be shared: keep waiting
            }
        }
        stop = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitUninterruptibly() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /**
     * Stops the decoding and closes the decoder, at once from any thread (see the class comment);
     * later calls do nothing.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            decoder.abort(); // before the lock: a direct-mode next() may hold it while it reads
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the source failed", e);
        }
        boolean handOver;
        synchronized (lock) {
            closed = true;
            stop = true;
            ready.clear();
            lock.notifyAll();
            handOver = producing; // the task closes the decoder when it ends
        }
        if (!handOver) {
            closeDecoder();
        }
    }

    /** After the decoder's last chunk (before it is handed on): the warning, if any span was concealed. */
    private void warnAtTheEnd(float[] chunk) {
        if (chunk == null || decoder.position() >= decoder.length()) {
            warnConcealed();
        }
    }

    /**
     * Logs the spans concealed, once per stream; called by the thread that uses the decoder, at the
     * end of the file or when closing it.
     */
    private void warnConcealed() {
        List<ConcealedSpan> spans = decoder.concealedSpans();
        if (spans.isEmpty() || !warned.compareAndSet(false, true)) {
            return;
        }
        int rate = decoder.sampleRate();
        LOG.log(Level.WARNING, () -> concealedWarning(spans, rate));
    }

    /** The most spans the warning names one by one (a file damaged all through has thousands). */
    static final int SPANS_NAMED = 10;

    /** The warning for {@code spans}: their count, the first {@link #SPANS_NAMED} named, how many more. */
    static String concealedWarning(List<ConcealedSpan> spans, int sampleRate) {
        int n = spans.size();
        String named = spans.stream().limit(SPANS_NAMED).map(span -> span.describe(sampleRate))
                .collect(Collectors.joining("; "));
        return "damaged data in an .ecdc stream, " + n + " span" + (n == 1 ? "" : "s") + " concealed with silence: "
                + named + (n > SPANS_NAMED ? "; and " + (n - SPANS_NAMED) + " more" : "");
    }

    private void closeDecoder() {
        try {
            warnConcealed();
            decoder.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the decoder failed", e);
        } finally {
            OPEN.decrementAndGet();
        }
    }
}
