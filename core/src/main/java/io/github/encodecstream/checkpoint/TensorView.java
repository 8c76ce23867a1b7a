package io.github.encodecstream.checkpoint;

import io.github.encodecstream.checkpoint.TorchUnpickler.StorageRef;
import io.github.encodecstream.checkpoint.TorchUnpickler.TensorRef;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor of a checkpoint as a view of its storage (offset, size, stride), checked against the
 * storage's bytes: {@link #tensor()} is a slice of the storage when the view is contiguous, else
 * a row-major copy of {@link #copyBytes()} bytes.
 */
final class TensorView {
    private final String name;
    private final TensorRef ref;
    private final ByteBuffer storage;
    private final int[] shape;
    private final long numel;
    private final long first;
    private final long last;
    private final boolean contiguous;

    private TensorView(String name, TensorRef ref, ByteBuffer storage, int[] shape, long numel, long first, long last,
            boolean contiguous) {
        this.name = name;
        this.ref = ref;
        this.storage = storage;
        this.shape = shape;
        this.numel = numel;
        this.first = first;
        this.last = last;
        this.contiguous = contiguous;
    }

    /**
     * The view {@code ref} of {@code storage} (its bytes from index 0) for the tensor {@code name}.
     *
     * @throws CheckpointFormatException if sizes, strides or offset are invalid or reach past the storage
     */
    static TensorView of(String name, TensorRef ref, ByteBuffer storage) throws CheckpointFormatException {
        try {
            return check(name, ref, storage);
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(name + ": tensor size overflows", overflow);
        }
    }

    private static TensorView check(String name, TensorRef ref, ByteBuffer storage) throws CheckpointFormatException {
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
        if (numel > TorchCheckpoint.MAX_ARRAY / es) {
            throw new CheckpointFormatException(name + ": " + numel + " elements is too large");
        }
        long available = Math.min(storage.capacity() / es, s.offset() + s.numel());
        if (numel > 0 && last >= available) {
            throw new CheckpointFormatException(name + ": needs element " + last + " of storage " + s.key()
                    + ", which holds " + available + " (truncated or corrupt file)");
        }
        return new TensorView(name, ref, storage, shape, numel, first, last, contiguous || numel == 0);
    }

    /** The bytes {@link #tensor()} allocates: 0 for a contiguous view. */
    long copyBytes() {
        return contiguous ? 0 : numel * ref.storage().dtype().byteSize();
    }

    /** What the copy is, for a message: a broadcast view (stride 0) reads elements more than once. */
    String describe() {
        return name + " (a " + (numel > last - first + 1 ? "broadcast" : "strided") + " view of "
                + Arrays.toString(ref.size()) + " by " + Arrays.toString(ref.stride()) + ", copied)";
    }

    /** The tensor: a slice of the storage when contiguous, else a row-major copy. */
    Tensor tensor() {
        DType dtype = ref.storage().dtype();
        int es = dtype.byteSize();
        if (contiguous) {
            ByteBuffer data = numel == 0 ? ByteBuffer.allocate(0) : storage.slice((int) (first * es), (int) (numel * es));
            return new Tensor(dtype, shape, data);
        }
        byte[] out = new byte[(int) (numel * es)];
        long[] stride = ref.stride();
        int[] index = new int[shape.length];
        long pos = first;
        for (int i = 0; i < numel; i++) {
            storage.get((int) (pos * es), out, i * es, es);
            for (int d = shape.length - 1; d >= 0; d--) { // odometer over the row-major output index
                if (++index[d] < shape[d]) {
                    pos += stride[d];
                    break;
                }
                pos -= stride[d] * (shape[d] - 1);
                index[d] = 0;
            }
        }
        return new Tensor(dtype, shape, ByteBuffer.wrap(out));
    }
}
