package io.github.encodecstream.graph;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A file of tensor data that ONNX models refer to ({@code TensorProto} external data, ONNX's
 * {@code location}/{@code offset}/{@code length}), written by {@link OnnxGraphBuilder#write}. Each
 * tensor starts at a multiple of {@value #ALIGNMENT} bytes, so that ONNX Runtime can map it; a
 * tensor whose bytes are already in the file (the same weights in two graphs of one network) is
 * not written again. Not thread-safe.
 */
public final class ExternalData implements Closeable {
    /** Where each tensor starts: a multiple of this many bytes (a page). */
    public static final int ALIGNMENT = 4096;
    /** Constants smaller than this many bytes stay inline in the model. */
    public static final int MIN_BYTES = 1024;

    /** Where a tensor's bytes are: the data file's name (relative to the model's directory), offset and length. */
    public record Ref(String location, long offset, long length) {}

    /** What identifies equal contents before comparing them: the length and two CRCs. */
    private record Key(long length, int crc, int crcC) {}

    private final String location;
    private final FileChannel channel;
    private final ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final Map<Key, List<Long>> written = new HashMap<>();
    private long size;

    /** Creates (or truncates) the data file. */
    public ExternalData(Path file) throws IOException {
        this.location = file.getFileName().toString();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
    }

    /** The file's length so far. */
    public long size() {
        return size;
    }

    /** Adds floats (as little-endian bytes) unless the same bytes are already in the file. */
    public Ref add(float[] values) throws IOException {
        return add(TensorData.of(values));
    }

    /** Adds longs (as little-endian bytes) unless the same bytes are already in the file. */
    public Ref add(long[] values) throws IOException {
        return add(TensorData.of(values));
    }

    Ref add(TensorData data) throws IOException {
        long length = data.byteLength();
        CRC32 crc = new CRC32();
        CRC32C crcC = new CRC32C();
        data.write(chunk, (b, n) -> {
            crc.update(b.array(), 0, n);
            crcC.update(b.array(), 0, n);
        });
        Key key = new Key(length, (int) crc.getValue(), (int) crcC.getValue());
        List<Long> offsets = written.computeIfAbsent(key, k -> new ArrayList<>(1));
        for (long offset : offsets) {
            if (sameBytes(data, offset)) {
                return new Ref(location, offset, length);
            }
        }
        long offset = (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        long[] position = {offset};
        data.write(chunk, (b, n) -> {
            ByteBuffer part = ByteBuffer.wrap(b.array(), 0, n);
            while (part.hasRemaining()) {
                position[0] += channel.write(part, position[0]);
            }
        });
        size = offset + length;
        offsets.add(offset);
        return new Ref(location, offset, length);
    }

    /** Whether the file holds the bytes of these values at {@code offset}. */
    private boolean sameBytes(TensorData data, long offset) throws IOException {
        ByteBuffer stored = ByteBuffer.allocate(chunk.capacity());
        long[] position = {offset};
        boolean[] same = {true};
        data.write(chunk, (b, n) -> {
            if (!same[0]) {
                return;
            }
            stored.clear().limit(n);
            while (stored.hasRemaining()) {
                int got = channel.read(stored, position[0] + stored.position());
                if (got < 0) {
                    same[0] = false;
                    return;
                }
            }
            position[0] += n;
            same[0] = Arrays.equals(stored.array(), 0, n, b.array(), 0, n);
        });
        return same[0];
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
