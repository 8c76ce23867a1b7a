package io.github.encodecstream.checkpoint;

/**
 * The heap one read of a checkpoint may allocate beyond the file itself, derived from the file's
 * size: inflated zip entries and the copies of strided (non-contiguous) tensors together get at
 * most {@value #RATIO} times the file size, and at least {@value #FLOOR} bytes. Weights compress
 * little (float weights deflate by about 10%) and a strided view never needs more than its
 * storage, so a real checkpoint stays far below; a small file that asks for more is hostile or
 * corrupt, and is refused before the allocation.
 */
final class AllocationBudget {
    /** Bytes allowed per byte of the file. */
    static final int RATIO = 4;
    /** Bytes allowed whatever the file's size. */
    static final long FLOOR = 1 << 20;

    private final long allowed;
    private final long fileSize;
    private long left;

    private AllocationBudget(long allowed, long fileSize) {
        this.allowed = allowed;
        this.fileSize = fileSize;
        this.left = allowed;
    }

    /** The budget of a read of a file of {@code size} bytes (at most 2^31: a checkpoint is one buffer). */
    static AllocationBudget forFile(long size) {
        return new AllocationBudget(Math.max(FLOOR, size * RATIO), size);
    }

    /**
     * Takes {@code bytes} from the budget before they are allocated.
     *
     * @param what what the bytes are for, for the message
     * @throws CheckpointFormatException if fewer are left
     */
    void take(long bytes, String what) throws CheckpointFormatException {
        if (bytes < 0 || bytes > left) {
            throw new CheckpointFormatException(what + " needs " + bytes + " bytes of memory, but a " + fileSize
                    + "-byte checkpoint may ask for " + allowed + " in all (" + left + " left): refused as hostile or corrupt");
        }
        left -= bytes;
    }
}
