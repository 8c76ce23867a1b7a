package io.github.encodecstream.codec;

import io.github.encodecstream.format.DamagedRecordException;
import java.util.Locale;

/**
 * A span of a file's audio that an {@link EcdcDecoder} replaced by silence because its record was
 * damaged ({@link Damage#CONCEAL}).
 *
 * @param startSample the span's first sample (per channel, at the model's rate)
 * @param endSample   the sample just after the span
 * @param record      the damaged record: the 48 kHz segment or the 24 kHz chunk, from 0
 * @param kind        {@code "segment"} or {@code "chunk"}
 * @param reason      why the record counts as damaged (the exception's message)
 */
public record ConcealedSpan(long startSample, long endSample, int record, String kind, String reason) {
    /** The span of a damaged record of a file whose records are {@code kind}s. */
    static ConcealedSpan of(DamagedRecordException e, String kind) {
        return new ConcealedSpan(e.startSample(), e.endSample(), e.record(), kind, e.getMessage());
    }

    /**
     * One line naming the span in seconds at {@code sampleRate} and why, e.g.
     * {@code 11.880–12.880 s (segment 12 has scale NaN, outside (0, 16.0] (at byte 15320))}.
     */
    public String describe(int sampleRate) {
        return String.format(Locale.ROOT, "%.3f\u2013%.3f s (%s)", startSample / (double) sampleRate,
                endSample / (double) sampleRate, reason);
    }
}
