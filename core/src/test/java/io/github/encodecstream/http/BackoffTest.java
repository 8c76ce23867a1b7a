package io.github.encodecstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The retry delay, {@code Retry-After} in both forms, and {@code Content-Range}. */
class BackoffTest {
    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    @Test
    void retryAfterIsReadInMillisecondsWithoutWrapping() {
        assertEquals(1000, Backoff.retryAfter(" 1 ", NOW));
        assertEquals(0, Backoff.retryAfter("0", NOW));
        assertEquals(9_223_372_036_854_775_000L, Backoff.retryAfter("9223372036854775", NOW));
        assertEquals(Long.MAX_VALUE, Backoff.retryAfter("9223372036854776", NOW), "would wrap when multiplied");
        assertEquals(Long.MAX_VALUE, Backoff.retryAfter("99999999999999999999999", NOW), "beyond a long");
        assertEquals(-1, Backoff.retryAfter("-5", NOW));
        assertEquals(-1, Backoff.retryAfter("soon", NOW));
        assertEquals(-1, Backoff.retryAfter(null, NOW));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
        assertEquals(90_000, Backoff.retryAfter("Wed, 21 Oct 2026 07:29:30 GMT", NOW));
        assertEquals(0, Backoff.retryAfter("Wed, 21 Oct 2026 07:27:00 GMT", NOW), "in the past: at once");
        assertEquals(-1, Backoff.retryAfter("Wed, 21 Oct 2026 07:29:30", NOW), "no zone: not a date");
    }

    @Test
    void delaysDoubleUpToTheLongestAndRetryAfterCountsWithinIt() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(4));
        assertEquals(Duration.ofMillis(250), b.delay(0));
        assertEquals(Duration.ofMillis(2000), b.delay(3));
        assertEquals(Duration.ofSeconds(4), b.delay(4));
        assertEquals(Duration.ofSeconds(4), b.delay(1000));
        assertEquals(500, b.millis(1, -1));
        assertEquals(500, b.millis(1, 100), "a shorter Retry-After: the backoff's wait");
        assertEquals(3000, b.millis(1, 3000));
        assertEquals(4000, b.millis(1, 90_000), "capped at the longest delay");
    }

    @Test
    void contentRangeNumbersHaveAtMost18Digits() {
        assertEquals(new ContentRange(100, 199, 300), ContentRange.parse(" bytes 100-199/300 "));
        assertEquals(new ContentRange(0, 9, -1), ContentRange.parse("BYTES 0-9/*"));
        assertEquals(200, ContentRange.parse("bytes 100-199/300").end());
        assertEquals(999_999_999_999_999_999L, ContentRange.parse("bytes 0-1/999999999999999999").total());
        assertNull(ContentRange.parse("bytes 0-1/9999999999999999999"));
        assertNull(ContentRange.parse("bytes 99999999999999999999-1/5"));
        assertNull(ContentRange.parse("bytes */300"));
        assertNull(ContentRange.parse(null));
    }
}
