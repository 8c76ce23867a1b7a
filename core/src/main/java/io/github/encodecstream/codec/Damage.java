package io.github.encodecstream.codec;

/**
 * What an {@link EcdcDecoder} does with a damaged record: a 48 kHz segment or a 24 kHz chunk
 * whose checksum, stored length or scale does not hold
 * ({@link io.github.encodecstream.format.DamagedRecordException}). A damaged header or index,
 * and a file cut short, are not records: they always end decoding.
 */
public enum Damage {
    /**
     * The default: the damaged record's span is output as silence (48 kHz: its frame is zeros,
     * faded in and out by the overlap-add over the 1% overlap; 24 kHz: silence, the audio before
     * it faded out and the stream restarted from silence after it with a short fade-in), decoding
     * goes on, and the span is listed in {@link EcdcDecoder#concealedSpans()}.
     */
    CONCEAL,
    /**
     * Stop at the first damaged record as at a cut: the audio before it is delivered, then
     * {@link EcdcDecoder#read()} throws the
     * {@link io.github.encodecstream.format.DamagedRecordException}.
     */
    FAIL
}
