package io.github.encodecstream.codec;

import io.github.encodecstream.format.LmIndex;
import java.util.Arrays;

/** Collects the records' lengths and CRCs of an entropy-coded file in order, for its {@link LmIndex}. */
final class LmIndexBuilder {
    private int[] lengths = new int[16];
    private int[] crcs = new int[16];
    private int count;

    /** Appends the next record's coded length and CRC-32C. */
    void add(int length, int crc) {
        if (count == lengths.length) {
            lengths = Arrays.copyOf(lengths, 2 * count);
            crcs = Arrays.copyOf(crcs, 2 * count);
        }
        lengths[count] = length;
        crcs[count] = crc;
        count++;
    }

    /** The index of the records added. */
    LmIndex build() {
        return new LmIndex(Arrays.copyOf(lengths, count), Arrays.copyOf(crcs, count));
    }
}
