package io.github.encodecstream.entropy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The reference's {@code ArithmeticDecoder}, bit for bit (see {@link ArithmeticEncoder}): reads a stream one
 * bit at a time (least significant bit of each byte first), pulling a byte from the input only when the next
 * bit is needed, so after the last symbol it has read exactly the bytes the encoder wrote for it.
 */
public final class ArithmeticDecoder extends CoderRange {
    /** The bytes the decoder reads before the first symbol (its {@value QuantizedCdf#RANGE_BITS} range bits). */
    public static final int FIRST_SYMBOL_BYTES = QuantizedCdf.RANGE_BITS / Byte.SIZE;
    private final InputStream in;
    private long current;
    private int currentByte;
    private int bitsLeft;
    private long bytesRead;

    /** A decoder reading from {@code in} (not closed; read byte by byte: give a buffered stream). */
    public ArithmeticDecoder(InputStream in) {
        this.in = in;
    }

    /**
     * The most symbols that a stream of {@code bytes} bytes can hold, whatever the quantised CDFs over
     * {@code cardinality} symbols it was coded with: a sound bound, for lengths that a file cannot hold. The decoder
     * reads {@value QuantizedCdf#RANGE_BITS} bits before the first symbol, and each symbol narrows the coder's
     * interval at least by the widest range one symbol can have, {@code 2^24 - 2·(cardinality - 1)} of
     * {@code 2^24} (every other symbol keeps its minimum range of 2), so that each later symbol needs at least
     * {@code -log2(1 - 2·(cardinality - 1) / 2^24)} more bits: 1.76e-4 for 1024 symbols, about 45 500 symbols a
     * byte. The bound is weak (only a model certain of every symbol comes near it) but holds for every stream.
     */
    public static long maxSymbols(long bytes, int cardinality) {
        if (bytes < 0 || cardinality < 2) {
            throw new IllegalArgumentException("bytes " + bytes + ", cardinality " + cardinality);
        }
        double bits = 8.0 * bytes - RANGE_BITS;
        if (bits < 0) {
            return 0;
        }
        double widest = 1 - (double) QuantizedCdf.MIN_RANGE * (cardinality - 1) / (1L << RANGE_BITS);
        double bitsPerSymbol = -Math.log1p(widest - 1) / Math.log(2);
        double symbols = 1 + Math.ceil(bits / bitsPerSymbol * (1 + 1e-9)); // rounded up: still a bound
        return symbols >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) symbols;
    }

    /** The bytes taken from the input so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Decodes the next symbol with the quantised CDF {@code cdf[0..n)}.
     *
     * @throws EOFException where the stream ends before the symbol
     * @throws IOException where the stream cannot be read, or holds no symbol of this CDF (a corrupt stream, or
     *     CDFs other than the encoder's: the reference's "binary search failed")
     */
    public int pull(int[] cdf, int n) throws IOException {
        while (tooNarrow()) {
            current = current * 2 + nextBit();
            widen();
        }
        if (maxBit > 62) {
            throw new IOException("arithmetic decoder range overflow (corrupt stream)");
        }
        long delta = high - low + 1;
        int lowIdx = 0;
        int highIdx = n - 1;
        int symbol;
        long newLow;
        long newHigh;
        while (true) {
            if (highIdx < lowIdx) {
                throw new IOException("arithmetic decoding failed: the stream holds no symbol here"
                        + " (corrupt data, or probabilities other than the encoder's)");
            }
            int mid = (lowIdx + highIdx) >>> 1;
            long rangeLow = mid > 0 ? cdf[mid - 1] : 0;
            long rangeHigh = cdf[mid] - 1L;
            long l = low + subLow(rangeLow, delta);
            long h = low + subHigh(rangeHigh, delta);
            if (current >= l) {
                if (current <= h) {
                    symbol = mid;
                    newLow = l;
                    newHigh = h;
                    break;
                }
                lowIdx = mid + 1;
            } else {
                highIdx = mid - 1;
            }
        }
        low = newLow;
        high = newHigh;
        for (int bit; (bit = popSettledBit()) >= 0; ) {
            current -= (long) bit << (maxBit + 1);
        }
        return symbol;
    }

    private int nextBit() throws IOException {
        if (bitsLeft == 0) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the entropy-coded stream ended early");
            }
            bytesRead++;
            currentByte = b;
            bitsLeft = 8;
        }
        int bit = currentByte & 1;
        currentByte >>= 1;
        bitsLeft--;
        return bit;
    }
}
