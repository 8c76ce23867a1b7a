package io.github.encodecstream.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The values of a constant tensor as references to arrays, never copied: int64 values, or float
 * values as a sequence of pieces of arrays (so that a reordering, such as the LSTM's gate blocks,
 * costs no copy). Serialised as little-endian bytes, chunk by chunk.
 */
final class TensorData {
    /** {@code array[offset, offset + length)}. */
    record Piece(float[] array, int offset, int length) {
        Piece {
            java.util.Objects.checkFromIndexSize(offset, length, array.length);
        }
    }

    private final List<Piece> floats;
    private final long[] longs;
    private final long count;

    private TensorData(List<Piece> floats, long[] longs) {
        this.floats = floats;
        this.longs = longs;
        long n = 0;
        if (floats != null) {
            for (Piece p : floats) {
                n += p.length();
            }
        } else {
            n = longs.length;
        }
        this.count = n;
    }

    /** A whole float array. */
    static TensorData of(float[] values) {
        return new TensorData(List.of(new Piece(values, 0, values.length)), null);
    }

    /** Float pieces, in order. */
    static TensorData of(List<Piece> pieces) {
        return new TensorData(List.copyOf(pieces), null);
    }

    /** A whole int64 array. */
    static TensorData of(long[] values) {
        return new TensorData(null, values);
    }

    /** The number of values. */
    long count() {
        return count;
    }

    /** The number of bytes serialised. */
    long byteLength() {
        return count * (floats != null ? Float.BYTES : Long.BYTES);
    }

    /** Receives serialised data chunk by chunk: {@code length} bytes from index 0 of the buffer's array. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(ByteBuffer chunk, int length) throws IOException;
    }

    /** Converts the values to little-endian bytes in pieces of at most {@code chunk}'s capacity and hands them on. */
    void write(ByteBuffer chunk, ChunkSink sink) throws IOException {
        if (floats != null) {
            int per = chunk.capacity() / Float.BYTES;
            for (Piece p : floats) {
                for (int i = 0; i < p.length(); i += per) {
                    int n = Math.min(per, p.length() - i);
                    chunk.clear();
                    chunk.asFloatBuffer().put(p.array(), p.offset() + i, n);
                    sink.accept(chunk, n * Float.BYTES);
                }
            }
        } else {
            int per = chunk.capacity() / Long.BYTES;
            for (int i = 0; i < longs.length; i += per) {
                int n = Math.min(per, longs.length - i);
                chunk.clear();
                chunk.asLongBuffer().put(longs, i, n);
                sink.accept(chunk, n * Long.BYTES);
            }
        }
    }
}
