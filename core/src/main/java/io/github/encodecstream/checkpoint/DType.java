package io.github.encodecstream.checkpoint;

/** Element type of a {@link Tensor}, matching the PyTorch dtype of the same name. */
public enum DType {
    /** 32-bit IEEE float ({@code torch.float32}). */
    FLOAT32(4, "FloatStorage"),
    /** 16-bit IEEE half ({@code torch.float16}). */
    FLOAT16(2, "HalfStorage"),
    /** 16-bit brain float ({@code torch.bfloat16}). */
    BFLOAT16(2, "BFloat16Storage"),
    /** 64-bit IEEE double ({@code torch.float64}). */
    FLOAT64(8, "DoubleStorage"),
    /** Signed 64-bit integer ({@code torch.int64}). */
    INT64(8, "LongStorage"),
    /** Signed 32-bit integer ({@code torch.int32}). */
    INT32(4, "IntStorage"),
    /** Signed 16-bit integer ({@code torch.int16}). */
    INT16(2, "ShortStorage"),
    /** Signed 8-bit integer ({@code torch.int8}). */
    INT8(1, "CharStorage"),
    /** Unsigned 8-bit integer ({@code torch.uint8}). */
    UINT8(1, "ByteStorage"),
    /** Boolean, one byte each ({@code torch.bool}). */
    BOOL(1, "BoolStorage");

    private final int byteSize;
    private final String storageName;

    DType(int byteSize, String storageName) {
        this.byteSize = byteSize;
        this.storageName = storageName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this is a floating-point type. */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16 || this == FLOAT64;
    }

    /** The dtype of a legacy storage class such as {@code FloatStorage}, or null. */
    static DType forStorageClass(String name) {
        for (DType t : values()) {
            if (t.storageName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
