package io.github.encodecstream.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes the subset of pickle protocol 2 that {@code torch.save} emits, to build test checkpoints. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder() {
        op(0x80, 2);
    }

    /** Starts {@code OrderedDict()} followed by MARK, ready for {@link #tensor} entries. */
    static PickleBuilder stateDict() {
        return new PickleBuilder().global("collections", "OrderedDict").op(')', 'R', '(');
    }

    PickleBuilder op(int... codes) {
        for (int c : codes) {
            out.write(c);
        }
        return this;
    }

    PickleBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBuilder global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').raw(le(4, b.length)).raw(b);
    }

    PickleBuilder integer(long v) {
        return v == (int) v ? op('J').raw(le(4, v)) : op(0x8a, 8).raw(le(8, v));
    }

    PickleBuilder ints(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    /** Persistent id {@code ('storage', torch.<storageClass>, key, 'cpu', numel[, view])}; view is null (zip) or {key, offset, size}. */
    PickleBuilder storage(String storageClass, String key, long numel, boolean legacy, Object[] view) {
        op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel);
        if (view != null) {
            op('(').str((String) view[0]).integer((Long) view[1]).integer((Long) view[2]).op('t');
        } else if (legacy) {
            op('N');
        }
        return op('t', 'Q');
    }

    /** {@code _rebuild_tensor_v2(<storage>, offset, size, stride, False, OrderedDict())}; the storage pid must follow MARK. */
    PickleBuilder rebuild(Runnable storage, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        storage.run();
        integer(offset).ints(size).ints(stride).op(0x89).global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    /** A state-dict entry: name and a zip-format tensor. */
    PickleBuilder tensor(String name, String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        str(name);
        return rebuild(() -> storage(storageClass, key, numel, false, null), offset, size, stride);
    }

    /** Ends the state dict (SETITEMS) and the pickle (STOP). */
    byte[] endDict() {
        return op('u').stop();
    }

    byte[] stop() {
        return op('.').out.toByteArray();
    }

    static byte[] le(int width, long v) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** A zip-format checkpoint: {@code archive/data.pkl} plus {@code archive/data/<key>}. */
    static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Files.write(file, zip(pickle, storages, false));
        return file;
    }

    /** {@link #zip(Path, byte[], Map)} in memory; {@code stored}: entries uncompressed, as {@code torch.save} writes them. */
    static byte[] zip(byte[] pickle, Map<String, byte[]> storages, boolean stored) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "archive/data.pkl", pickle, stored);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                entry(zip, "archive/data/" + e.getKey(), e.getValue(), stored);
            }
            entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), stored);
        }
        return bytes.toByteArray();
    }

    /** Writes a zip entry; {@code stored}: uncompressed. */
    static void entry(ZipOutputStream zip, String name, byte[] data, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** A legacy checkpoint: magic, protocol, sys_info, the state pickle, the key list, then each storage. */
    static byte[] legacy(byte[] pickle, List<String> keys, List<byte[]> storages, List<Long> counts) {
        PickleBuilder b = new PickleBuilder().op(0x8a, 10).raw(new byte[] {
            0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19}).op('.');
        b.op(0x80, 2).integer(1001).op('.');
        b.op(0x80, 2).op('}', '(').str("little_endian").op(0x88).op('u', '.');
        b.raw(pickle);
        b.op(0x80, 2, ']', '(');
        keys.forEach(b::str);
        b.op('e', '.');
        for (int i = 0; i < storages.size(); i++) {
            b.raw(le(8, counts.get(i))).raw(storages.get(i));
        }
        return b.out.toByteArray();
    }
}
