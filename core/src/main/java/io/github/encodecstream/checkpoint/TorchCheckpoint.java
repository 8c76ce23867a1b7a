package io.github.encodecstream.checkpoint;

import io.github.encodecstream.checkpoint.TorchUnpickler.StorageRef;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static Map<String, Tensor> materialize(Object root, AllocationBudget budget, Storages storages)
            throws IOException {
        if (!(root instanceof Map)) {
            throw new CheckpointFormatException("expected a state dict, found " + TorchUnpickler.typeName(root));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointFormatException("state dict entry " + e.getKey() + " is not a tensor but "
                        + TorchUnpickler.typeName(e.getValue()));
            }
            ByteBuffer storage = storages.get(ref.storage().key());
            if (storage == null) {
                throw new CheckpointFormatException(name + ": storage " + ref.storage().key() + " has no data");
            }
            try {
                out.put(name, tensor(name, ref, storage, budget));
            } catch (ArithmeticException overflow) {
                throw new CheckpointFormatException(name + ": tensor size overflows", overflow);
            }
        }
        return out;
    }

    /**
     * Copies the view {@code ref} of {@code storage} into a row-major tensor (no copy when already
     * contiguous). A copy takes its bytes from {@code budget} first: a broadcast view (stride 0)
     * of a few elements reads as torch reads it, one that asks for gigabytes is refused.
     */
    private static Tensor tensor(String name, TensorRef ref, ByteBuffer storage, AllocationBudget budget)
            throws CheckpointFormatException {
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
        budget.take(numel * es, name + " (a " + (numel > last - first + 1 ? "broadcast" : "strided") + " view of "
                + Arrays.toString(ref.size()) + " by " + Arrays.toString(ref.stride()) + ", copied)");
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
