package io.github.encodecstream.format;

/**
 * One record of a file (a 48 kHz segment, or a chunk of a 24 kHz entropy-coded stream) is
 * damaged: its checksum or stored length does not match, its coded stream does not decode, or its
 * scale is not finite or not plausible. Unlike a cut or a damaged header, the rest of the file is
 * still readable: the code reader that throws this is left at the start of the next record, so a
 * decoder may conceal the span {@link #startSample()}..{@link #endSample()} and go on.
 */
public class DamagedRecordException extends EcdcFormatException {
    private static final long serialVersionUID = 1L;

    private final int record;
    private final long startSample;
    private final long endSample;

    /**
     * Record {@code record} (segment or chunk index, from 0), covering file samples (per channel,
     * at the model's rate) {@code startSample} (inclusive) to {@code endSample} (exclusive), is
     * damaged; {@code byteOffset} is where its bytes start.
     */
    public DamagedRecordException(String message, long byteOffset, int record, long startSample, long endSample) {
        this(message, byteOffset, record, startSample, endSample, null);
    }

    /** As {@link #DamagedRecordException(String, long, int, long, long)}, caused by {@code cause}. */
    public DamagedRecordException(String message, long byteOffset, int record, long startSample, long endSample,
            Throwable cause) {
        super(message, byteOffset, cause);
        this.record = record;
        this.startSample = startSample;
        this.endSample = endSample;
    }

    /** The damaged record's index: the 48 kHz segment, or the 24 kHz chunk. */
    public int record() {
        return record;
    }

    /** The first file sample (per channel, at the model's rate) of the damaged span. */
    public long startSample() {
        return startSample;
    }

    /** The file sample just after the damaged span. */
    public long endSample() {
        return endSample;
    }
}
