package io.github.encodecstream.codes;

/**
 * Takes bytes and gives back the 10-bit codes {@link BitPacker} packed into them, least-significant
 * bit first. It holds no buffer: the caller pushes a byte whenever {@link #hasValue()} is false.
 */
public final class BitUnpacker {
    private static final int MASK = BitPacker.MAX_VALUE;

    private int bits;
    private int pending;

    /** Appends a byte's 8 bits above the pending ones; only valid while {@link #hasValue()} is false. */
    public void push(int b) {
        if (hasValue()) {
            throw new IllegalStateException("pull the pending value first");
        }
        bits |= (b & 0xFF) << pending;
        pending += 8;
    }

    /** Whether a whole code is pending. */
    public boolean hasValue() {
        return pending >= BitPacker.BITS;
    }

    /** Removes and returns the next code. */
    public int pull() {
        if (!hasValue()) {
            throw new IllegalStateException("fewer than " + BitPacker.BITS + " bits pending");
        }
        int value = bits & MASK;
        bits >>>= BitPacker.BITS;
        pending -= BitPacker.BITS;
        return value;
    }

    /** Bits pushed but not yet pulled. */
    public int pendingBits() {
        return pending;
    }

    /** Drops the pending bits: the zero fill at the end of a segment. */
    /**
     * Pushes the byte that holds the first bit of the next value when that value starts
     * {@code skipBits} (0 to 7) bits into it, as when reading starts in the middle of a stream.
     */
    public void pushPartial(int b, int skipBits) {
        if (skipBits < 0 || skipBits > 7 || pending != 0) {
            throw new IllegalStateException("pushPartial needs an empty unpacker and 0..7 bits to skip");
        }
        bits = (b & 0xFF) >>> skipBits;
        pending = 8 - skipBits;
    }

    /** Drops pending bits. */
    public void clear() {
        bits = 0;
        pending = 0;
    }
}
