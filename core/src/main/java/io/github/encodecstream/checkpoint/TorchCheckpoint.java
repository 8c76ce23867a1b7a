package io.github.encodecstream.checkpoint;

import io.github.encodecstream.checkpoint.TorchUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PyTorch state dicts written by {@code torch.save}, in pure Java.
 *
 * <p>Both the zip format (torch 1.6 and later) and the legacy format (a sequence of pickles
 * followed by raw storages) are supported. Only plain CPU tensors of the {@link DType}s are
 * accepted; any other Python global in the pickle is rejected rather than interpreted.
 *
 * <p>A checkpoint from elsewhere is not trusted, and the work it can cause is bounded by its size.
 * All sizes read from the file are checked against the bytes actually present before allocating;
 * inflated zip entries and the copies of strided or broadcast (stride 0) tensors together stay
 * within {@code max(1 MiB, 4 × file size)} bytes, checked before anything is allocated; zip
 * entries that share data are refused; the pickle is read through an allow-list of opcodes and
 * globals, with bounded work, and never through the pickle library's global constructor
 * registry. Whatever the file holds, a read ends in a state dict or in a
 * {@link CheckpointFormatException}; the hostile files known to the tests end within a second
 * in a 96 MB heap.
 */
public final class TorchCheckpoint {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private TorchCheckpoint() {}

    /** Storage bytes by key, each buffer starting at index 0. */
    private interface Storages {
        ByteBuffer get(String key) throws IOException;
    }

    /**
     * Reads a state dict; keys in file order. The file is mapped into memory, not read: the
     * tensors of a {@code torch.save} zip (whose entries are stored uncompressed) are views of the
     * mapping, so reading costs no heap and only the pages of the tensors used are ever loaded.
     *
     * @return a new mutable map from parameter name to tensor
     * @throws CheckpointFormatException if the file is not a readable state dict of tensors
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        ByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > MAX_ARRAY) {
                throw new CheckpointFormatException("checkpoint too large: " + size + " bytes");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        return read(mapped);
    }

    /**
     * Reads a state dict from a stream, buffering it in memory; keys in file order. The stream is
     * read to its end but not closed.
     *
     * @throws CheckpointFormatException if the data is not a readable state dict of tensors
     */
    public static Map<String, Tensor> read(InputStream in) throws IOException {
        return read(ByteBuffer.wrap(in.readAllBytes()));
    }

    private static Map<String, Tensor> read(ByteBuffer file) throws IOException {
        AllocationBudget budget = AllocationBudget.forFile(file.capacity());
        if (isZip(file)) {
            return readZip(file, budget);
        }
        return readLegacy(file, budget);
    }

    private static boolean isZip(ByteBuffer head) {
        return head.capacity() >= 4 && head.get(0) == 'P' && head.get(1) == 'K' && head.get(2) == 3 && head.get(3) == 4;
    }

    private static Map<String, Tensor> readZip(ByteBuffer file, AllocationBudget budget) throws IOException {
        ZipView zip = ZipView.of(file, budget);
        ZipView.Entry pickle = null;
        for (ZipView.Entry entry : zip.entries()) {
            if (entry.name().matches("[^/]+/data\\.pkl")) {
                pickle = entry;
                break;
            }
        }
        if (pickle == null) {
            throw new CheckpointFormatException("zip has no <archive>/data.pkl: not a torch.save checkpoint");
        }
        String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        ZipView.Entry byteOrder = zip.entry(prefix + "byteorder");
        if (byteOrder != null && !StandardCharsets.US_ASCII.decode(zip.data(byteOrder)).toString().trim().equals("little")) {
            throw new CheckpointFormatException("big-endian checkpoints are not supported");
        }
        TorchUnpickler unpickler = new TorchUnpickler();
        Object root = unpickle(unpickler, new BufferInputStream(zip.data(pickle)));
        Map<String, ByteBuffer> cache = new HashMap<>();
        return materialize(root, budget, key -> {
            ByteBuffer storage = cache.get(key);
            if (storage == null) {
                ZipView.Entry entry = zip.entry(prefix + "data/" + key);
                if (entry == null) {
                    throw new CheckpointFormatException("missing storage " + prefix + "data/" + key);
                }
                storage = zip.data(entry);
                cache.put(key, storage);
            }
            return storage;
        });
    }

    private static Map<String, Tensor> readLegacy(ByteBuffer file, AllocationBudget budget) throws IOException {
        BufferInputStream in = new BufferInputStream(file);
        TorchUnpickler unpickler = new TorchUnpickler(); // one for the five pickles: its limits hold for them all
        if (!LEGACY_MAGIC.equals(unpickleHeader(unpickler, in))) {
            throw new CheckpointFormatException("not a PyTorch checkpoint (neither zip nor legacy magic number)");
        }
        Object protocol = unpickle(unpickler, in);
        if (!(protocol instanceof Integer) || (Integer) protocol != LEGACY_PROTOCOL) {
            throw new CheckpointFormatException("unsupported legacy protocol version "
                    + (protocol instanceof Number ? protocol : TorchUnpickler.typeName(protocol)));
        }
        Object sysInfo = unpickle(unpickler, in);
        if (!(sysInfo instanceof Map) || !Boolean.TRUE.equals(((Map<?, ?>) sysInfo).get("little_endian"))) {
            throw new CheckpointFormatException("legacy checkpoint is not little-endian");
        }
        Object root = unpickle(unpickler, in);
        Object keys = unpickle(unpickler, in);
        if (!(keys instanceof List)) {
            throw new CheckpointFormatException("legacy checkpoint: expected the list of storage keys");
        }
        // Each storage: int64 element count, then the elements.
        ByteBuffer data = file.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        int length = data.capacity();
        int pos = in.position();
        Map<String, ByteBuffer> storages = new HashMap<>();
        for (Object key : (List<?>) keys) {
            DType type = key instanceof String ? unpickler.storageType((String) key) : null;
            if (type == null) {
                throw new CheckpointFormatException("legacy checkpoint: unknown storage key "
                        + (key instanceof String ? key : TorchUnpickler.typeName(key)));
            }
            if (length - pos < 8) {
                throw new CheckpointFormatException("legacy checkpoint truncated at storage " + key);
            }
            long count = data.getLong(pos);
            pos += 8;
            if (count < 0 || count > (length - pos) / type.byteSize()) {
                throw new CheckpointFormatException("legacy checkpoint: storage " + key + " claims " + count
                        + " elements but only " + (length - pos) + " bytes remain");
            }
            int bytes = (int) count * type.byteSize();
            storages.put((String) key, data.slice(pos, bytes));
            pos += bytes;
        }
        return materialize(root, budget, storages::get);
    }

    private static Object unpickleHeader(TorchUnpickler unpickler, BufferInputStream in) throws CheckpointFormatException {
        try {
            return unpickle(unpickler, in);
        } catch (CheckpointFormatException e) {
            throw new CheckpointFormatException("not a PyTorch checkpoint (neither zip nor legacy pickle): "
                    + e.getMessage(), e);
        }
    }

    private static Object unpickle(TorchUnpickler unpickler, BufferInputStream in) throws CheckpointFormatException {
        try {
            return unpickler.load(in);
        } catch (IOException | RuntimeException e) { // the library signals malformed input with many exception types
            throw new CheckpointFormatException("malformed pickle: " + e, e);
        }
    }

    /**
     * The state dict's tensors. Every entry is checked, and every copy taken from {@code budget},
     * before the first copy is made: a file that asks for too much is refused at no cost.
     */
    private static Map<String, Tensor> materialize(Object root, AllocationBudget budget, Storages storages)
            throws IOException {
        if (!(root instanceof Map)) {
            throw new CheckpointFormatException("expected a state dict, found " + TorchUnpickler.typeName(root));
        }
        Map<String, TensorView> views = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointFormatException("state dict entry " + e.getKey() + " is not a tensor but "
                        + TorchUnpickler.typeName(e.getValue()));
            }
            ByteBuffer storage = storages.get(ref.storage().key());
            if (storage == null) {
                throw new CheckpointFormatException(name + ": storage " + ref.storage().key() + " has no data");
            }
            TensorView view = TensorView.of(name, ref, storage);
            if (view.copyBytes() > 0) {
                budget.take(view.copyBytes(), view.describe());
            }
            views.put(name, view);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorView> e : views.entrySet()) {
            out.put(e.getKey(), e.getValue().tensor());
        }
        return out;
    }
}
