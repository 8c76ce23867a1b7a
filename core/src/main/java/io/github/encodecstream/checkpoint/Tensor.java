package io.github.encodecstream.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable n-dimensional array read from a checkpoint, stored row-major (C order).
 *
 * <p>The {@code to*} methods return a fresh array each call, converting from the stored dtype.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int numel;
    /** Read-only, little-endian, exactly {@code numel * dtype.byteSize()} bytes from index 0. */
    private final ByteBuffer data;

    Tensor(DType dtype, int[] shape, ByteBuffer data) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (data.remaining() != n * dtype.byteSize()) {
            throw new IllegalArgumentException("data size does not match shape " + Arrays.toString(shape));
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.numel = (int) n;
        this.data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A tensor over the remaining bytes of {@code data} (little-endian, row-major), which are
     * viewed, not copied: they must not change while the tensor is in use.
     *
     * @throws IllegalArgumentException when the bytes do not fill the shape
     */
    public static Tensor of(DType dtype, int[] shape, ByteBuffer data) {
        return new Tensor(dtype, shape, data);
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The dimensions (a copy); empty for a 0-dimensional scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements (the product of the dimensions). */
    public long numel() {
        return numel;
    }

    /** All elements as floats; booleans become 0 or 1, wide integers are rounded. */
    public float[] toFloats() {
        float[] out = new float[numel];
        if (dtype == DType.FLOAT32) {
            view().asFloatBuffer().get(out);
        } else if (dtype.isFloatingPoint()) {
            for (int i = 0; i < numel; i++) {
                out[i] = (float) doubleAt(i);
            }
        } else {
            for (int i = 0; i < numel; i++) {
                out[i] = longAt(i);
            }
        }
        return out;
    }

    /** All elements as doubles; booleans become 0 or 1. */
    public double[] toDoubles() {
        double[] out = new double[numel];
        if (dtype == DType.FLOAT64) {
            view().asDoubleBuffer().get(out);
        } else {
            boolean fp = dtype.isFloatingPoint();
            for (int i = 0; i < numel; i++) {
                out[i] = fp ? doubleAt(i) : longAt(i);
            }
        }
        return out;
    }

    /** All elements as longs; floating-point values are truncated toward zero, booleans become 0 or 1. */
    public long[] toLongs() {
        long[] out = new long[numel];
        if (dtype == DType.INT64) {
            view().asLongBuffer().get(out);
        } else {
            boolean fp = dtype.isFloatingPoint();
            for (int i = 0; i < numel; i++) {
                out[i] = fp ? (long) doubleAt(i) : longAt(i);
            }
        }
        return out;
    }

    /** All elements as booleans: true where the element is non-zero (NaN counts as non-zero). */
    public boolean[] toBooleans() {
        boolean[] out = new boolean[numel];
        boolean fp = dtype.isFloatingPoint();
        for (int i = 0; i < numel; i++) {
            out[i] = fp ? doubleAt(i) != 0 : longAt(i) != 0;
        }
        return out;
    }

    /** A short description: dtype and shape. */
    @Override
    public String toString() {
        return "Tensor[" + dtype + ", " + Arrays.toString(shape) + "]";
    }

    private ByteBuffer view() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private double doubleAt(int i) {
        switch (dtype) {
            case FLOAT32: return data.getFloat(i * 4);
            case FLOAT64: return data.getDouble(i * 8);
            case FLOAT16: return halfToFloat(data.getShort(i * 2));
            case BFLOAT16: return Float.intBitsToFloat(data.getShort(i * 2) << 16);
            default: throw new AssertionError(dtype);
        }
    }

    private long longAt(int i) {
        switch (dtype) {
            case INT64: return data.getLong(i * 8);
            case INT32: return data.getInt(i * 4);
            case INT16: return data.getShort(i * 2);
            case INT8: return data.get(i);
            case UINT8: return data.get(i) & 0xFF;
            case BOOL: return data.get(i) != 0 ? 1 : 0;
            default: throw new AssertionError(dtype);
        }
    }

    /** IEEE 754 binary16 to float (exact). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign != 0 ? -value : value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
