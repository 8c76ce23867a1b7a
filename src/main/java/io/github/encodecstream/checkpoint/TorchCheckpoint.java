package io.github.encodecstream.checkpoint;

import io.github.encodecstream.checkpoint.TorchUnpickler.StorageRef;
import io.github.encodecstream.checkpoint.TorchUnpickler.TensorRef;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch state dicts written by {@code torch.save}, in pure Java.
 *
 * <p>Both the zip format (torch 1.6 and later) and the legacy format (a sequence of pickles
 * followed by raw storages) are supported. Only plain CPU tensors of the {@link DType}s are
 * accepted; any other Python global in the pickle is rejected rather than interpreted. All sizes
 * read from the file are checked against the bytes actually present before allocating.
 */
public final class TorchCheckpoint {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private TorchCheckpoint() {}

    /** Storage bytes by key, each buffer starting at index 0. */
    private interface Storages {
        ByteBuffer get(String key) throws IOException;
    }

    /**
     * Reads a state dict; keys in file order.
     *
     * @return a new mutable map from parameter name to tensor
     * @throws CheckpointFormatException if the file is not a readable state dict of tensors
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (isZip(head)) {
            return readZip(file);
        }
        long size = Files.size(file);
        if (size > MAX_ARRAY) {
            throw new CheckpointFormatException("legacy checkpoint too large: " + size + " bytes");
        }
        return readLegacy(Files.readAllBytes(file));
    }

    /**
     * Reads a state dict from a stream, buffering it in memory (and, for the zip format, in a
     * temporary file); keys in file order. The stream is read to its end but not closed.
     *
     * @throws CheckpointFormatException if the data is not a readable state dict of tensors
     */
    public static Map<String, Tensor> read(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (!isZip(bytes)) {
            return readLegacy(bytes);
        }
        Path tmp = Files.createTempFile("checkpoint", ".th");
        try {
            Files.write(tmp, bytes);
            return readZip(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    private static Map<String, Tensor> readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().matches("[^/]+/data\\.pkl")) {
                    pickle = entry;
                    break;
                }
            }
            if (pickle == null) {
                throw new CheckpointFormatException("zip has no <archive>/data.pkl: not a torch.save checkpoint");
            }
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null && !new String(readEntry(zip, byteOrder), StandardCharsets.US_ASCII).trim().equals("little")) {
                throw new CheckpointFormatException("big-endian checkpoints are not supported");
            }
            TorchUnpickler unpickler = new TorchUnpickler();
            Object root = unpickle(unpickler, new ByteArrayInputStream(readEntry(zip, pickle)));
            Map<String, ByteBuffer> cache = new HashMap<>();
            return materialize(root, key -> {
                ByteBuffer storage = cache.get(key);
                if (storage == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                    if (entry == null) {
                        throw new CheckpointFormatException("missing storage " + prefix + "data/" + key);
                    }
                    storage = ByteBuffer.wrap(readEntry(zip, entry));
                    cache.put(key, storage);
                }
                return storage;
            });
        } catch (ZipException | EOFException | IllegalArgumentException e) { // what ZipFile throws on damaged archives
            throw new CheckpointFormatException("corrupt zip checkpoint: " + e, e);
        }
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry) throws IOException {
        long size = entry.getSize();
        if (size < 0 || size > MAX_ARRAY) {
            throw new CheckpointFormatException("bad size " + size + " for zip entry " + entry.getName());
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) size); // grows as it reads: no allocation from the declared size
            if (bytes.length != size) {
                throw new CheckpointFormatException("zip entry " + entry.getName() + " is truncated");
            }
            return bytes;
        }
    }

    private static Map<String, Tensor> readLegacy(byte[] file) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        if (!LEGACY_MAGIC.equals(unpickleHeader(in))) {
            throw new CheckpointFormatException("not a PyTorch checkpoint (neither zip nor legacy magic number)");
        }
        Object protocol = unpickle(new TorchUnpickler(), in);
        if (!(protocol instanceof Integer) || (Integer) protocol != LEGACY_PROTOCOL) {
            throw new CheckpointFormatException("unsupported legacy protocol version " + protocol);
        }
        Object sysInfo = unpickle(new TorchUnpickler(), in);
        if (!(sysInfo instanceof Map) || !Boolean.TRUE.equals(((Map<?, ?>) sysInfo).get("little_endian"))) {
            throw new CheckpointFormatException("legacy checkpoint is not little-endian");
        }
        TorchUnpickler unpickler = new TorchUnpickler();
        Object root = unpickle(unpickler, in);
        Object keys = unpickle(new TorchUnpickler(), in);
        if (!(keys instanceof List)) {
            throw new CheckpointFormatException("legacy checkpoint: expected the list of storage keys");
        }
        // Each storage: int64 element count, then the elements.
        ByteBuffer data = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int pos = file.length - in.available();
        Map<String, ByteBuffer> storages = new HashMap<>();
        for (Object key : (List<?>) keys) {
            DType type = key instanceof String ? unpickler.storageType((String) key) : null;
            if (type == null) {
                throw new CheckpointFormatException("legacy checkpoint: unknown storage key " + key);
            }
            if (file.length - pos < 8) {
                throw new CheckpointFormatException("legacy checkpoint truncated at storage " + key);
            }
            long count = data.getLong(pos);
            pos += 8;
            if (count < 0 || count > (file.length - pos) / type.byteSize()) {
                throw new CheckpointFormatException("legacy checkpoint: storage " + key + " claims " + count
                        + " elements but only " + (file.length - pos) + " bytes remain");
            }
            int bytes = (int) count * type.byteSize();
            storages.put((String) key, data.slice(pos, bytes));
            pos += bytes;
        }
        return materialize(root, key -> storages.get(key));
    }

    private static Object unpickleHeader(ByteArrayInputStream in) throws CheckpointFormatException {
        try {
            return unpickle(new TorchUnpickler(), in);
        } catch (CheckpointFormatException e) {
            throw new CheckpointFormatException("not a PyTorch checkpoint (neither zip nor legacy pickle): "
                    + e.getMessage(), e);
        }
    }

    private static Object unpickle(TorchUnpickler unpickler, ByteArrayInputStream in) throws CheckpointFormatException {
        try {
            return unpickler.load(in);
        } catch (IOException | RuntimeException e) { // the library signals malformed input with many exception types
            throw new CheckpointFormatException("malformed pickle: " + e, e);
        }
    }

    private static Map<String, Tensor> materialize(Object root, Storages storages) throws IOException {
        if (!(root instanceof Map)) {
            throw new CheckpointFormatException("expected a state dict, found "
                    + (root == null ? "None" : root.getClass().getSimpleName()));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointFormatException("state dict entry " + e.getKey() + " is not a tensor");
            }
            ByteBuffer storage = storages.get(ref.storage().key());
            if (storage == null) {
                throw new CheckpointFormatException(name + ": storage " + ref.storage().key() + " has no data");
            }
            try {
                out.put(name, tensor(name, ref, storage));
            } catch (ArithmeticException overflow) {
                throw new CheckpointFormatException(name + ": tensor size overflows", overflow);
            }
        }
        return out;
    }

    /** Copies the view {@code ref} of {@code storage} into a row-major tensor (no copy when already contiguous). */
    private static Tensor tensor(String name, TensorRef ref, ByteBuffer storage) throws CheckpointFormatException {
        StorageRef s = ref.storage();
        int es = s.dtype().byteSize();
        int rank = ref.size().length;
        if (ref.stride().length != rank || ref.offset() < 0) {
            throw new CheckpointFormatException(name + ": inconsistent size, stride or offset");
        }
        int[] shape = new int[rank];
        long numel = 1;
        long first = Math.addExact(s.offset(), ref.offset()); // element index into the storage
        long last = first;
        boolean contiguous = true;
        for (int d = rank - 1; d >= 0; d--) {
            long size = ref.size()[d];
            long stride = ref.stride()[d];
            if (size < 0 || size > Integer.MAX_VALUE || stride < 0) {
                throw new CheckpointFormatException(name + ": invalid size " + size + " or stride " + stride);
            }
            contiguous &= size == 1 || stride == numel;
            shape[d] = (int) size;
            if (size > 0) {
                last = Math.addExact(last, Math.multiplyExact(size - 1, stride));
            }
            numel = Math.multiplyExact(numel, size);
        }
        if (numel > MAX_ARRAY / es) {
            throw new CheckpointFormatException(name + ": " + numel + " elements is too large");
        }
        if (numel == 0) {
            return new Tensor(s.dtype(), shape, ByteBuffer.allocate(0));
        }
        long available = Math.min(storage.capacity() / es, s.offset() + s.numel());
        if (last >= available) {
            throw new CheckpointFormatException(name + ": needs element " + last + " of storage " + s.key()
                    + ", which holds " + available + " (truncated or corrupt file)");
        }
        if (contiguous) {
            return new Tensor(s.dtype(), shape, storage.slice((int) (first * es), (int) (numel * es)));
        }
        byte[] out = new byte[(int) (numel * es)];
        int[] index = new int[rank];
        long pos = first;
        for (int i = 0; i < numel; i++) {
            storage.get((int) (pos * es), out, i * es, es);
            for (int d = rank - 1; d >= 0; d--) { // odometer over the row-major output index
                if (++index[d] < shape[d]) {
                    pos += ref.stride()[d];
                    break;
                }
                pos -= ref.stride()[d] * (shape[d] - 1);
                index[d] = 0;
            }
        }
        return new Tensor(s.dtype(), shape, ByteBuffer.wrap(out));
    }
}
