package io.github.encodecstream.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wait before a retry: the retry delay doubling up to the longest one, or the server's
 * {@code Retry-After} (delta-seconds or an HTTP date) when that is longer, within the same bound.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;

    /** Waits of {@code first}, doubling up to {@code max}. */
    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** The wait before retry number {@code n} (0 for the first), without the server's say. */
    public Duration delay(int n) {
        Duration d = first;
        for (int i = 0; i < n && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /**
     * The wait in milliseconds before retry number {@code n}: {@link #delay(int)}, or the server's
     * {@code retryAfterMillis} (-1: none) when longer, capped at the longest delay.
     */
    public long millis(int n, long retryAfterMillis) {
        long millis = delay(n).toMillis();
        return retryAfterMillis > millis ? Math.min(retryAfterMillis, max.toMillis()) : millis;
    }

    /**
     * A {@code Retry-After} header in milliseconds from {@code now} (saturating, never wrapping; a
     * date in the past is 0); -1 for none or one that is neither delta-seconds nor an HTTP date.
     */
    public static long retryAfter(String header, Instant now) {
        if (header == null) {
            return -1;
        }
        String value = header.strip();
        if (value.matches("[0-9]{1,30}")) {
            try {
                long seconds = Long.parseLong(value);
                return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
            } catch (NumberFormatException tooLarge) {
                return Long.MAX_VALUE; // the wait is capped at the longest retry delay anyway
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(now, at).toMillis());
        } catch (DateTimeParseException | ArithmeticException e) {
            return -1; // nonsense: the backoff decides
        }
    }
}
