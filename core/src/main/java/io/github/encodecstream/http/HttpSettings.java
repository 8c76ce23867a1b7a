package io.github.encodecstream.http;

import io.github.encodecstream.runtime.Settings;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;

/**
 * Timeouts, deadline, redirects and retries of the http engine.
 *
 * <p>The timeouts bound each wait of the socket; the {@code deadline} bounds a server that keeps
 * sending a trickle: the response to a request (its redirects included) must arrive within it, and
 * once the reader of a body waits for bytes, the server must send 64 KiB (or the rest of the body)
 * within it. A server that misses the deadline fails the read with an {@code HttpSourceException}
 * ({@code isTimeout()}, not retried: asking again would only repeat the trickle).
 *
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for the response and for each read of the body
 * @param maxRedirects redirects followed per request
 * @param userAgent the {@code User-Agent} header
 * @param retries tries after a network failure before giving up, counted from the last progress
 * @param retryDelay the wait before the first retry; it doubles with each further one
 * @param maxRetryDelay the longest wait between two tries (also for a server's {@code Retry-After})
 * @param proxy where to find proxies; null: the system's default {@link ProxySelector}
 * @param deadline how long a response, or 64 KiB of a body its reader waits for, may take
 * @param insecureRedirects whether a redirect from https to http is followed (else it fails)
 * @param tls the sockets of https connections; null: the JVM's default (its trusted certificates)
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, int maxRedirects, String userAgent,
        int retries, Duration retryDelay, Duration maxRetryDelay, ProxySelector proxy, Duration deadline,
        boolean insecureRedirects, SSLSocketFactory tls) {
    /** Default number of retries (without progress) after a network failure. */
    public static final int DEFAULT_RETRIES = Settings.DEFAULT_HTTP_RETRIES;

    /** Default delay before the first retry; it doubles for each further one up to 16 times this. */
    public static final Duration DEFAULT_RETRY_DELAY = Settings.DEFAULT_HTTP_RETRY_DELAY;

    /** Checks the values. */
    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        Objects.requireNonNull(deadline, "deadline");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("timeouts and the deadline must be positive");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0");
        }
        if (retries < 0 || retryDelay.isNegative() || maxRetryDelay.isNegative()) {
            throw new IllegalArgumentException("retries and retry delays must be >= 0");
        }
    }

    /**
     * 15 s to connect, 30 s without data, 10 redirects, none from https to http, 5 retries after
     * 0.25 s doubling to 4 s, a 120 s deadline (or as the system properties
     * {@value Settings#HTTP_RETRIES_PROPERTY}, {@value Settings#HTTP_RETRY_DELAY_PROPERTY},
     * {@value Settings#HTTP_DEADLINE_PROPERTY} and {@value Settings#HTTP_INSECURE_REDIRECTS_PROPERTY}
     * say).
     *
     * @throws IllegalArgumentException when one of those properties is not a valid number
     */
    public static HttpSettings defaults() {
        Settings settings = Settings.fromSystem();
        Duration delay = settings.httpRetryDelay();
        return new HttpSettings(Duration.ofSeconds(15), Duration.ofSeconds(30), 10, "encodec-stream",
                settings.httpRetries(), delay, delay.multipliedBy(16), null, settings.httpDeadline(),
                settings.httpInsecureRedirects(), null);
    }

    /** With other timeouts, and the deadline raised to the read timeout where it is shorter. */
    public HttpSettings withTimeouts(Duration connect, Duration read) {
        return with(c -> {
            c.connectTimeout = connect;
            c.readTimeout = read;
            c.deadline = atLeast(deadline, read);
        });
    }

    /** {@code deadline}, or {@code timeout} where that is longer (null: {@code deadline}). */
    public static Duration atLeast(Duration deadline, Duration timeout) {
        return timeout != null && timeout.compareTo(deadline) > 0 ? timeout : deadline;
    }

    /** With other retries: {@code n} tries without progress, {@code first} doubling up to {@code max} apart. */
    public HttpSettings withRetries(int n, Duration first, Duration max) {
        return with(c -> {
            c.retries = n;
            c.retryDelay = first;
            c.maxRetryDelay = max;
        });
    }

    /** With another proxy selector (null: the system's default). */
    public HttpSettings withProxy(ProxySelector selector) {
        return with(c -> c.proxy = selector);
    }

    /** With another deadline. */
    public HttpSettings withDeadline(Duration d) {
        return with(c -> c.deadline = d);
    }

    /** Following redirects from https to http, or not. */
    public HttpSettings withInsecureRedirects(boolean allow) {
        return with(c -> c.insecureRedirects = allow);
    }

    /** With other https sockets (null: the JVM's default), e.g. trusting a private certificate authority. */
    public HttpSettings withTls(SSLSocketFactory factory) {
        return with(c -> c.tls = factory);
    }

    /** These settings with {@code change} made to a copy of their fields. */
    private HttpSettings with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.settings();
    }

    /** A copy of some settings to change before it becomes settings again: the one place the withers list every field. */
    private static final class Copy {
        private Duration connectTimeout;
        private Duration readTimeout;
        private final int maxRedirects;
        private final String userAgent;
        private int retries;
        private Duration retryDelay;
        private Duration maxRetryDelay;
        private ProxySelector proxy;
        private Duration deadline;
        private boolean insecureRedirects;
        private SSLSocketFactory tls;

        Copy(HttpSettings s) {
            connectTimeout = s.connectTimeout;
            readTimeout = s.readTimeout;
            maxRedirects = s.maxRedirects;
            userAgent = s.userAgent;
            retries = s.retries;
            retryDelay = s.retryDelay;
            maxRetryDelay = s.maxRetryDelay;
            proxy = s.proxy;
            deadline = s.deadline;
            insecureRedirects = s.insecureRedirects;
            tls = s.tls;
        }

        HttpSettings settings() {
            return new HttpSettings(connectTimeout, readTimeout, maxRedirects, userAgent, retries, retryDelay,
                    maxRetryDelay, proxy, deadline, insecureRedirects, tls);
        }
    }

    /** {@value Settings#HTTP_RETRIES_PROPERTY}, else {@link #DEFAULT_RETRIES}. */
    public static int defaultRetries() {
        return Settings.fromSystem().httpRetries();
    }

    /** {@value Settings#HTTP_RETRY_DELAY_PROPERTY} (seconds), else {@link #DEFAULT_RETRY_DELAY}. */
    public static Duration defaultRetryDelay() {
        return Settings.fromSystem().httpRetryDelay();
    }
}
