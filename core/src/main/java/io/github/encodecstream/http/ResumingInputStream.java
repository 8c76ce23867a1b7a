package io.github.encodecstream.http;

import io.github.encodecstream.source.HttpSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The bytes of a {@link Resource} from one offset on, over one response at a time: when a
 * connection drops, times out or ends before the promised length, the stream asks again for the
 * bytes from where it stopped ({@code Range} and {@code If-Range}) after the backoff, up to the
 * retries without progress. A server without ranges is asked for the whole file and the bytes
 * already delivered are dropped; for a {@link Resource.Use#DOWNLOAD} the {@link Restart} is told
 * instead and the stream goes on from byte 0. After an error every read fails.
 */
public final class ResumingInputStream extends InputStream {
    /** Told when the bytes delivered so far are void and the stream starts again from byte 0. */
    @FunctionalInterface
    public interface Restart {
        /** Forgets the bytes delivered so far. */
        void restart() throws IOException;
    }

    private final Resource resource;
    private final Consumer<Exchange> release;
    private Exchange x;
    private Restart restart = () -> { };
    private boolean closed;
    private boolean failed;
    private int failures;
    private long mark; // the furthest position reached: progress beyond it resets the failures
    private int responses = 1;

    /**
     * Reads {@code x} (null: an empty stream), and resumes it; {@code release} is given the
     * response on {@link #close()} when it is still healthy (null: it is closed).
     */
    public ResumingInputStream(Resource resource, Exchange x, Consumer<Exchange> release) {
        this.resource = resource;
        this.x = x;
        this.release = release;
        this.mark = x == null ? 0 : x.position;
    }

    /** Sets what is told when a download starts again from byte 0. */
    public void onRestart(Restart r) {
        restart = Objects.requireNonNull(r);
    }

    /** The responses whose bytes were delivered since the start (or the last restart). */
    public int responses() {
        return responses;
    }

    /** Reads and drops bytes up to {@code offset} (or the end of the body). */
    public void skipTo(long offset) throws IOException {
        byte[] drop = new byte[8192];
        while (x != null && x.position < offset) {
            if (read(drop, 0, (int) Math.min(drop.length, offset - x.position)) < 0) {
                break;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (x == null) {
            return -1;
        }
        if (failed) {
            throw new IOException("an earlier read failed: " + resource.location());
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            HttpSourceException problem;
            try {
                int n = x.body.read(b, off, len);
                if (n > 0) {
                    x.position += n;
                    resource.received.addAndGet(n);
                    if (x.position > mark) {
                        mark = x.position;
                        failures = 0;
                    }
                    return n;
                }
                if (n == 0) {
                    continue;
                }
                if (x.end < 0 || x.position >= x.end) {
                    return -1;
                }
                problem = HttpSourceException.dropped("the connection closed early", resource.location(), null);
            } catch (SocketTimeoutException e) {
                problem = readTimeout(e);
            } catch (IOException e) {
                IOException f = Exchange.failure(e, resource.location(), "", false);
                if (closed || resource.connections.isClosed()) {
                    throw fail(new IOException((closed ? "stream" : "source") + " is closed: " + resource.uri, e));
                }
                if (!(f instanceof HttpSourceException h) || !h.isRetryable()) {
                    throw fail(f);
                }
                problem = h;
            }
            try {
                x = resume(problem);
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    private IOException fail(IOException e) {
        failed = true;
        x.broken = true;
        return e;
    }

    private HttpSourceException readTimeout(SocketTimeoutException e) {
        return HttpSourceException.timeout("timed out: no data for " + resource.settings.readTimeout().toMillis() / 1000.0
                + " s", resource.location(), e);
    }

    /**
     * A new response for the bytes from where {@link #x} failed: retries with backoff until one
     * reaches that position, or throws when the retries are spent or the file changed.
     */
    private Exchange resume(HttpSourceException problem) throws IOException {
        Exchange broken = x;
        broken.broken = true;
        broken.close();
        long position = broken.position;
        HttpSourceException last = problem;
        while (true) {
            resource.checkOpen();
            if (failures >= resource.settings.retries()) {
                throw last.exhausted(last.detail() + resource.after(position), failures);
            }
            resource.pause(failures, last, position);
            failures++;
            Exchange next = null;
            try {
                next = resource.request(resource.from(position), true);
                if (!next.hasBody()) {
                    throw HttpSourceException.fileChanged("HTTP 416 for bytes " + position + "-", next.location, 416);
                }
                if (next.position < position && resource.use == Resource.Use.DOWNLOAD) {
                    startAgain();
                } else {
                    catchUp(next, position);
                }
                responses++;
                return next;
            } catch (HttpSourceException e) {
                close(next);
                if (e.isFileChanged() && resource.use == Resource.Use.DOWNLOAD) {
                    resource.forget();
                    startAgain();
                    position = 0;
                } else if (!e.isRetryable()) {
                    throw e;
                }
                last = e;
            } catch (SocketTimeoutException e) {
                close(next);
                last = readTimeout(e);
            } catch (IOException e) {
                close(next);
                IOException f = Exchange.failure(e, resource.location(), "reading", false);
                if (!(f instanceof HttpSourceException) || resource.connections.isClosed()) {
                    throw f;
                }
                last = (HttpSourceException) f;
            }
        }
    }

    private void startAgain() throws IOException {
        responses = 0;
        restart.restart();
    }

    /** Reads and drops the bytes of {@code next} before {@code position} (a server without ranges). */
    private void catchUp(Exchange next, long position) throws IOException {
        byte[] drop = new byte[8192];
        while (next.position < position) {
            int n = next.body.read(drop, 0, (int) Math.min(drop.length, position - next.position));
            if (n < 0) {
                throw HttpSourceException.dropped("the connection closed early", resource.location(), null);
            }
            next.position += n;
            resource.received.addAndGet(n);
        }
    }

    private static void close(Exchange c) {
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (x != null) {
            if (release != null && !x.broken && !failed) {
                release.accept(x);
            } else {
                x.close();
            }
        }
    }
}
