package io.github.encodecstream.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive held in one buffer (a mapped file or bytes in memory), read from
 * its central directory (zip64 included). A stored entry's data is a slice of the buffer, without
 * a copy; a deflated one is inflated into a new array. {@code torch.save} stores its entries
 * uncompressed (and 64-byte aligned), so a mapped checkpoint's tensors are read in place.
 *
 * <p>Every offset and size is checked against the buffer, and the archive is refused
 * ({@link CheckpointFormatException}) when its entries overlap each other or the directory (a zip
 * bomb that points many entries at one compressed stream), when a stored entry's two sizes differ,
 * when a deflated entry claims to expand more than deflate can ({@value #MAX_DEFLATE_RATIO}:1), or
 * when inflating it would exceed the read's {@link AllocationBudget}.
 */
final class ZipView {
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final long MAX_ENTRY = Integer.MAX_VALUE - 8;
    /** Deflate's largest expansion: a 258-byte match costs at least 2 bits. */
    static final int MAX_DEFLATE_RATIO = 1032;

    /** One entry of the central directory; its data starts at {@code dataStart} (after the local header). */
    record Entry(String name, int method, long compressedSize, long size, long dataStart) {}

    private final ByteBuffer zip;
    private final Map<String, Entry> entries;
    private final AllocationBudget budget;

    private ZipView(ByteBuffer zip, Map<String, Entry> entries, AllocationBudget budget) {
        this.zip = zip;
        this.entries = entries;
        this.budget = budget;
    }

    /** Reads the central directory of {@code zip} (whose position and limit are ignored), with a budget of its own. */
    static ZipView of(ByteBuffer zip) throws CheckpointFormatException {
        return of(zip, AllocationBudget.forFile(zip.capacity()));
    }

    /** Reads the central directory of {@code zip}; inflating entries takes from {@code budget}. */
    static ZipView of(ByteBuffer zip, AllocationBudget budget) throws CheckpointFormatException {
        ByteBuffer b = zip.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return new ZipView(b, readDirectory(b), budget);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw corrupt("inconsistent central directory (" + e.getMessage() + ")", e);
        }
    }

    /** The entries in directory order. */
    List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    /** The entry of that name, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }

    /**
     * The data of an entry: a read-only slice of the archive when it is stored, else a new buffer
     * of the inflated bytes.
     */
    ByteBuffer data(Entry e) throws CheckpointFormatException {
        if (e.dataStart() < 0 || e.compressedSize() > zip.capacity() - e.dataStart()) {
            throw corrupt(e.name() + " runs past the end of the archive (truncated file)", null);
        }
        ByteBuffer raw = zip.slice((int) e.dataStart(), (int) e.compressedSize()).asReadOnlyBuffer();
        if (e.method() == STORED) {
            return raw;
        }
        budget.take(e.size(), "inflating " + e.name());
        return inflate(e, raw);
    }

    /** Inflates exactly {@code e.size()} bytes, into an array that grows as it fills (not sized by the declared size). */
    private static ByteBuffer inflate(Entry e, ByteBuffer raw) throws CheckpointFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw);
            byte[] out = new byte[(int) Math.min(e.size(), 1 << 16)];
            int n = 0;
            while (n < e.size()) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(e.size(), 2L * out.length));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != e.size() || inflater.inflate(new byte[1]) != 0) {
                throw corrupt(e.name() + " does not inflate to the " + e.size() + " bytes it declares (truncated or corrupt)",
                        null);
            }
            return ByteBuffer.wrap(out).asReadOnlyBuffer();
        } catch (DataFormatException x) {
            throw corrupt(e.name() + ": " + x.getMessage(), x);
        } finally {
            inflater.end();
        }
    }

    private static Map<String, Entry> readDirectory(ByteBuffer b) throws CheckpointFormatException {
        int eocd = findEndRecord(b);
        long count = b.getShort(eocd + 10) & 0xFFFF;
        long size = b.getInt(eocd + 12) & 0xFFFFFFFFL;
        long offset = b.getInt(eocd + 16) & 0xFFFFFFFFL;
        if (eocd >= 20 && b.getInt(eocd - 20) == ZIP64_LOCATOR) {
            long record = b.getLong(eocd - 20 + 8);
            if (record < 0 || record > b.capacity() - 56L || b.getInt((int) record) != ZIP64_EOCD) {
                throw corrupt("bad zip64 end record offset " + record, null);
            }
            count = b.getLong((int) record + 32);
            size = b.getLong((int) record + 40);
            offset = b.getLong((int) record + 48);
        }
        if (offset < 0 || size < 0 || offset > b.capacity() || size > b.capacity() - offset || count < 0
                || count > size / 46) {
            throw corrupt("central directory of " + count + " entries, " + size + " bytes at " + offset
                    + " does not fit the archive", null);
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        List<Extent> extents = new ArrayList<>();
        int pos = (int) offset;
        int end = (int) (offset + size);
        for (long i = 0; i < count; i++) {
            if (pos > end - 46 || b.getInt(pos) != CENTRAL) {
                throw corrupt("bad central directory entry " + i, null);
            }
            int method = b.getShort(pos + 10) & 0xFFFF;
            long compressed = b.getInt(pos + 20) & 0xFFFFFFFFL;
            long plain = b.getInt(pos + 24) & 0xFFFFFFFFL;
            int nameLength = b.getShort(pos + 28) & 0xFFFF;
            int extraLength = b.getShort(pos + 30) & 0xFFFF;
            int commentLength = b.getShort(pos + 32) & 0xFFFF;
            long local = b.getInt(pos + 42) & 0xFFFFFFFFL;
            if (pos + 46L + nameLength + extraLength + commentLength > end) {
                throw corrupt("central directory entry " + i + " runs past the directory", null);
            }
            byte[] nameBytes = new byte[nameLength];
            b.get(pos + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // zip64 extra field: the 64-bit values of those fields that hold 0xFFFFFFFF, in this order
            int extra = pos + 46 + nameLength;
            int extraEnd = extra + extraLength;
            while (extra + 4 <= extraEnd) {
                int id = b.getShort(extra) & 0xFFFF;
                int length = b.getShort(extra + 2) & 0xFFFF;
                int value = extra + 4;
                if (value + length > extraEnd) {
                    break;
                }
                if (id == 0x0001) {
                    int valueEnd = value + length;
                    if (plain == 0xFFFFFFFFL && value + 8 <= valueEnd) {
                        plain = b.getLong(value);
                        value += 8;
                    }
                    if (compressed == 0xFFFFFFFFL && value + 8 <= valueEnd) {
                        compressed = b.getLong(value);
                        value += 8;
                    }
                    if (local == 0xFFFFFFFFL && value + 8 <= valueEnd) {
                        local = b.getLong(value);
                    }
                }
                extra += 4 + length;
            }
            checkSizes(name, method, compressed, plain);
            long start = dataStart(b, name, local);
            extents.add(new Extent(name, local, start + compressed));
            out.putIfAbsent(name, new Entry(name, method, compressed, plain, start));
            pos += 46 + nameLength + extraLength + commentLength;
        }
        checkDisjoint(extents, offset);
        return out;
    }

    /** Refuses an entry of another compression method, or sizes that its method cannot give. */
    private static void checkSizes(String name, int method, long compressed, long plain) throws CheckpointFormatException {
        if (method != STORED && method != DEFLATED) {
            throw corrupt(name + ": unsupported compression method " + method, null);
        }
        if (compressed < 0 || plain < 0 || compressed > MAX_ENTRY || plain > MAX_ENTRY) {
            throw corrupt("bad size " + plain + " for zip entry " + name, null);
        }
        if (method == STORED ? plain != compressed : plain > MAX_DEFLATE_RATIO * compressed) {
            throw corrupt(name + ": " + compressed + " bytes cannot " + (method == STORED ? "be stored as " : "inflate to ")
                    + plain, null);
        }
    }

    /** Where the data of the entry whose local header is at {@code local} starts. */
    private static long dataStart(ByteBuffer b, String name, long local) throws CheckpointFormatException {
        if (local < 0 || local > b.capacity() - 30L || b.getInt((int) local) != LOCAL) {
            throw corrupt("no local header for " + name + " at " + local, null);
        }
        return local + 30 + (b.getShort((int) local + 26) & 0xFFFF) + (b.getShort((int) local + 28) & 0xFFFF);
    }

    /** The bytes of one entry in the archive, local header and data: {@code [start, end)}; ordered by start. */
    private record Extent(String name, long start, long end) implements Comparable<Extent> {
        @Override
        public int compareTo(Extent other) {
            return Long.compare(start, other.start);
        }
    }

    /**
     * Refuses entries that share bytes with each other or with the central directory at
     * {@code directory}: each entry, local header and data, must end before the next one starts.
     */
    private static void checkDisjoint(List<Extent> extents, long directory) throws CheckpointFormatException {
        Collections.sort(extents);
        Extent previous = null;
        for (Extent e : extents) {
            if (previous != null && e.start() < previous.end()) {
                throw corrupt(e.name() + " overlaps " + previous.name() + " (entries that share data are refused)", null);
            }
            previous = e;
        }
        if (previous != null && previous.end() > directory) {
            throw corrupt(previous.name() + " overlaps the central directory", null);
        }
    }

    /** The offset of the end-of-central-directory record: the last one whose comment ends the archive. */
    private static int findEndRecord(ByteBuffer b) throws CheckpointFormatException {
        int last = b.capacity() - 22;
        int first = Math.max(0, last - 0xFFFF);
        for (int pos = last; pos >= first; pos--) {
            if (b.getInt(pos) == EOCD && pos + 22 + (b.getShort(pos + 20) & 0xFFFF) == b.capacity()) {
                return pos;
            }
        }
        throw corrupt("no end of central directory (truncated file?)", null);
    }

    private static CheckpointFormatException corrupt(String message, Throwable cause) {
        return new CheckpointFormatException("corrupt zip checkpoint: " + message, cause);
    }
}
