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
    private final InputStream in;
    private long current;
    private int currentByte;
    private int bitsLeft;
    private long bytesRead;

    /** A decoder reading from {@code in} (not closed; read byte by byte: give a buffered stream). */
    public ArithmeticDecoder(InputStream in) {
        this.in = in;
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
