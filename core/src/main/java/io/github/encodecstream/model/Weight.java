package io.github.encodecstream.model;

import java.util.Arrays;

/** A dense float32 array with a shape, row-major: the unit of weights inside the model package. */
public record Weight(float[] data, int[] shape) {
    /** Checks that the data fills the shape. */
    public Weight {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** The shape as ONNX wants it. */
    public long[] dims() {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
