package io.github.encodecstream.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The binary index of an {@code encodec-stream-lm/2} file, right after the metadata JSON: per
 * record (a 48 kHz segment, or a 24 kHz chunk) a big-endian uint32 byte length of its coded LM
 * stream (48 kHz: not counting the 4-byte scale) and a uint32 CRC-32C of its bytes (48 kHz: the
 * scale, then the coded bytes), then a uint32 CRC-32C of every byte of the file before it (magic,
 * version, JSON length, JSON, entries), so that any damage to the header or the index is found
 * before any audio. Immutable.
 */
public final class LmIndex {
    /** Bytes of one entry: length and CRC. */
    public static final int ENTRY_BYTES = 8;
    /** Bytes of the header's CRC after the entries. */
    public static final int CRC_BYTES = 4;
    /** Entries read per block: reading allocates no more than the data actually present, doubled. */
    private static final int READ_BLOCK = 8192;

    private final int[] lengths;
    private final int[] crcs;

    /**
     * An index of {@code lengths.length} records.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a length is negative
     */
    public LmIndex(int[] lengths, int[] crcs) {
        if (lengths.length != crcs.length) {
            throw new IllegalArgumentException(lengths.length + " lengths, " + crcs.length + " CRCs");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("length " + lengths[i] + " of record " + i);
            }
        }
        this.lengths = lengths.clone();
        this.crcs = crcs.clone();
    }

    /** The number of records. */
    public int count() {
        return lengths.length;
    }

    /** The coded byte length of record {@code r} (48 kHz: after its scale). */
    public int length(int r) {
        return lengths[r];
    }

    /** The stored CRC-32C of record {@code r}'s bytes. */
    public int crc(int r) {
        return crcs[r];
    }

    /** The coded byte lengths, a copy. */
    public int[] lengths() {
        return lengths.clone();
    }

    /** The index's bytes in the file: the entries and the header CRC. */
    public long byteSize() {
        return byteSize(lengths.length);
    }

    /** The bytes of an index of {@code records} entries. */
    public static long byteSize(long records) {
        return records * ENTRY_BYTES + CRC_BYTES;
    }

    /** The CRC-32C of {@code b[off, off + len)}, as the index stores it. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /**
     * The index's bytes following the header bytes {@code before} (magic to the end of the JSON):
     * the entries, then the CRC-32C of {@code before} and the entries.
     */
    byte[] toBytes(byte[] before) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(byteSize()));
        for (int i = 0; i < lengths.length; i++) {
            b.putInt(lengths[i]).putInt(crcs[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(before);
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Reads {@code count} entries and the header CRC. Allocation follows the data: entries are read
     * in blocks, so a stream that ends early costs no more than what it held.
     *
     * @param before the header bytes before the index (magic to the end of the JSON), for the CRC
     * @param maxLength the largest valid record length
     * @throws TruncatedEcdcException when the data ends inside the index
     * @throws EcdcFormatException when the header CRC does not match or a length is out of bounds
     */
    static LmIndex read(InputStream in, byte[] before, int count, int maxLength) throws IOException {
        long offset = before.length;
        CRC32C crc = new CRC32C();
        crc.update(before);
        int[] lengths = new int[Math.min(count, READ_BLOCK)];
        int[] crcs = new int[lengths.length];
        byte[] block = new byte[Math.min(count, READ_BLOCK) * ENTRY_BYTES];
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, READ_BLOCK);
            ByteReads.readFully(in, block, 0, n * ENTRY_BYTES, offset + (long) done * ENTRY_BYTES, "the LM index");
            crc.update(block, 0, n * ENTRY_BYTES);
            if (done + n > lengths.length) {
                int size = (int) Math.min(count, Math.max(2L * lengths.length, done + n));
                lengths = Arrays.copyOf(lengths, size);
                crcs = Arrays.copyOf(crcs, size);
            }
            ByteBuffer b = ByteBuffer.wrap(block);
            for (int i = 0; i < n; i++) {
                lengths[done + i] = b.getInt();
                crcs[done + i] = b.getInt();
            }
            done += n;
        }
        long crcOffset = offset + (long) count * ENTRY_BYTES;
        byte[] stored = new byte[CRC_BYTES];
        ByteReads.readFully(in, stored, 0, CRC_BYTES, crcOffset, "the LM index");
        int expected = (int) crc.getValue();
        int found = ByteBuffer.wrap(stored).getInt();
        if (found != expected) {
            throw new EcdcFormatException(String.format("the header or its LM index is damaged: CRC-32C %08x, stored"
                    + " %08x", expected, found), crcOffset);
        }
        for (int i = 0; i < count; i++) {
            if (lengths[i] < 0 || lengths[i] > maxLength) {
                throw new EcdcFormatException("LM index entry " + i + ": length " + Integer.toUnsignedLong(lengths[i])
                        + " is outside 0.." + maxLength, offset + (long) i * ENTRY_BYTES);
            }
        }
        return new LmIndex(lengths, crcs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmIndex i && Arrays.equals(lengths, i.lengths) && Arrays.equals(crcs, i.crcs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(lengths), Arrays.hashCode(crcs));
    }

    @Override
    public String toString() {
        return "LmIndex[" + lengths.length + " records]";
    }
}
