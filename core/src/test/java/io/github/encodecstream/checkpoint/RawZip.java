package io.github.encodecstream.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip archive byte by byte, so that a test can build what {@code ZipOutputStream}
 * refuses to: directory entries that share one local entry, sizes that lie.
 */
final class RawZip {
    private final ByteArrayOutputStream local = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int count;

    /** Writes a local entry (no directory entry) and returns its offset. */
    long local(String name, int method, byte[] data, long crc, long size) {
        long offset = local.size();
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        local.writeBytes(PickleBuilder.le(4, 0x04034b50));
        local.writeBytes(PickleBuilder.le(2, 20));
        local.writeBytes(PickleBuilder.le(2, 0));
        local.writeBytes(PickleBuilder.le(2, method));
        local.writeBytes(PickleBuilder.le(4, 0)); // time, date
        local.writeBytes(PickleBuilder.le(4, crc));
        local.writeBytes(PickleBuilder.le(4, data.length));
        local.writeBytes(PickleBuilder.le(4, size));
        local.writeBytes(PickleBuilder.le(2, n.length));
        local.writeBytes(PickleBuilder.le(2, 0));
        local.writeBytes(n);
        local.writeBytes(data);
        return offset;
    }

    /** Writes a directory entry that points at the local entry at {@code offset}. */
    RawZip central(String name, int method, long crc, long compressedSize, long size, long offset) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        central.writeBytes(PickleBuilder.le(4, 0x02014b50));
        central.writeBytes(PickleBuilder.le(2, 20));
        central.writeBytes(PickleBuilder.le(2, 20));
        central.writeBytes(PickleBuilder.le(2, 0));
        central.writeBytes(PickleBuilder.le(2, method));
        central.writeBytes(PickleBuilder.le(4, 0));
        central.writeBytes(PickleBuilder.le(4, crc));
        central.writeBytes(PickleBuilder.le(4, compressedSize));
        central.writeBytes(PickleBuilder.le(4, size));
        central.writeBytes(PickleBuilder.le(2, n.length));
        central.writeBytes(new byte[12]); // extra, comment, disk, attributes
        central.writeBytes(PickleBuilder.le(4, offset));
        central.writeBytes(n);
        count++;
        return this;
    }

    /** A stored entry, local and in the directory. */
    RawZip stored(String name, byte[] data) {
        long crc = crc(data);
        return central(name, 0, crc, data.length, data.length, local(name, 0, data, crc, data.length));
    }

    /** The archive: local entries, directory, end record. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(local.toByteArray());
        out.writeBytes(central.toByteArray());
        out.writeBytes(PickleBuilder.le(4, 0x06054b50));
        out.writeBytes(PickleBuilder.le(4, 0));
        out.writeBytes(PickleBuilder.le(2, count));
        out.writeBytes(PickleBuilder.le(2, count));
        out.writeBytes(PickleBuilder.le(4, central.size()));
        out.writeBytes(PickleBuilder.le(4, local.size()));
        out.writeBytes(PickleBuilder.le(2, 0));
        return out.toByteArray();
    }

    static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** Raw deflate (no zlib header) of {@code size} zero bytes, as a zip entry holds it. */
    static byte[] deflatedZeros(long size) {
        return deflate(new byte[1 << 20], size);
    }

    /** Raw deflate of {@code size} bytes made by repeating {@code unit}. */
    static byte[] deflate(byte[] unit, long size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(unit.length, left);
            deflater.setInput(unit, 0, n);
            left -= n;
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
