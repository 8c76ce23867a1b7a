package io.github.encodecstream.http;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Timeouts, redirects and retries of the http engine.
 *
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for the response and for each read of the body
 * @param maxRedirects redirects followed per request
 * @param userAgent the {@code User-Agent} header
 * @param retries tries after a network failure before giving up, counted from the last progress
 * @param retryDelay the wait before the first retry; it doubles with each further one
 * @param maxRetryDelay the longest wait between two tries (also for a server's {@code Retry-After})
 * @param proxy where to find proxies; null: the system's default {@link ProxySelector}
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, int maxRedirects, String userAgent,
        int retries, Duration retryDelay, Duration maxRetryDelay, ProxySelector proxy) {
    /** Default number of retries (without progress) after a network failure. */
    public static final int DEFAULT_RETRIES = 5;

    /** Default delay before the first retry; it doubles for each further one up to 16 times this. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(250);

    /** System property overriding {@link #DEFAULT_RETRIES}. */
    public static final String RETRIES_PROPERTY = "encodec.http.retries";

    /** System property (seconds) overriding {@link #DEFAULT_RETRY_DELAY}; the longest delay is 16 times it. */
    public static final String RETRY_DELAY_PROPERTY = "encodec.http.retryDelay";

    /** Checks the values. */
    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0");
        }
        if (retries < 0 || retryDelay.isNegative() || maxRetryDelay.isNegative()) {
            throw new IllegalArgumentException("retries and retry delays must be >= 0");
        }
    }

    /**
     * 15 s to connect, 30 s without data, 10 redirects, 5 retries after 0.25 s doubling to 4 s (or
     * as the system properties {@value #RETRIES_PROPERTY} and {@value #RETRY_DELAY_PROPERTY} say).
     *
     * @throws IllegalArgumentException when one of those properties is not a number &gt;= 0
     */
    public static HttpSettings defaults() {
        Duration delay = defaultRetryDelay();
        return new HttpSettings(Duration.ofSeconds(15), Duration.ofSeconds(30), 10, "encodec-stream", defaultRetries(),
                delay, delay.multipliedBy(16), null);
    }

    /** With other timeouts. */
    public HttpSettings withTimeouts(Duration connect, Duration read) {
        return new HttpSettings(connect, read, maxRedirects, userAgent, retries, retryDelay, maxRetryDelay, proxy);
    }

    /** With other retries: {@code n} tries without progress, {@code first} doubling up to {@code max} apart. */
    public HttpSettings withRetries(int n, Duration first, Duration max) {
        return new HttpSettings(connectTimeout, readTimeout, maxRedirects, userAgent, n, first, max, proxy);
    }

    /** With another proxy selector (null: the system's default). */
    public HttpSettings withProxy(ProxySelector selector) {
        return new HttpSettings(connectTimeout, readTimeout, maxRedirects, userAgent, retries, retryDelay, maxRetryDelay,
                selector);
    }

    /** {@value #RETRIES_PROPERTY}, else {@link #DEFAULT_RETRIES}. */
    public static int defaultRetries() {
        return property(RETRIES_PROPERTY, DEFAULT_RETRIES, "a whole number >= 0", s -> {
            int n = Integer.parseInt(s);
            return n >= 0 ? n : null;
        });
    }

    /** {@value #RETRY_DELAY_PROPERTY} (seconds), else {@link #DEFAULT_RETRY_DELAY}. */
    public static Duration defaultRetryDelay() {
        return property(RETRY_DELAY_PROPERTY, DEFAULT_RETRY_DELAY, "a number of seconds (0 to 3600)", s -> {
            double seconds = Double.parseDouble(s);
            return seconds >= 0 && seconds <= 3600 ? Duration.ofNanos(Math.round(seconds * 1e9)) : null;
        });
    }

    /** A system property read by {@code parse} (null or NumberFormatException: not {@code expected}), else {@code fallback}. */
    private static <T> T property(String name, T fallback, String expected, Function<String, T> parse) {
        String s = System.getProperty(name);
        if (s == null || s.isBlank()) {
            return fallback;
        }
        T value = null;
        try {
            value = parse.apply(s.strip());
        } catch (NumberFormatException e) {
            // below
        }
        if (value == null) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got '" + s + "'");
        }
        return value;
    }
}
