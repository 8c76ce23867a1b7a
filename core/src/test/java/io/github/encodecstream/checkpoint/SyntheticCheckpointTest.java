package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built checkpoints for features the reference files do not cover. */
class SyntheticCheckpointTest {
    @TempDir
    Path dir;

    private Map<String, Tensor> readZip(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return TorchCheckpoint.read(PickleBuilder.zip(dir.resolve("t.th"), pickle, storages));
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void smallIntegerTypes() throws IOException {
        byte[] pickle = PickleBuilder.stateDict()
                .tensor("i8", "CharStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .tensor("i16", "ShortStorage", "1", 3, 0, new long[] {3}, new long[] {1})
                .tensor("u8", "ByteStorage", "0", 4, 1, new long[] {2}, new long[] {2}) // same bytes, other dtype
                .endDict();
        byte[] shorts = {(byte) 0x00, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x34, 0x12};
        Map<String, Tensor> t = readZip(pickle, Map.of("0", new byte[] {-128, -1, 0, 127}, "1", shorts));
        assertEquals(DType.INT8, t.get("i8").dtype());
        assertArrayEquals(new long[] {-128, -1, 0, 127}, t.get("i8").toLongs());
        assertEquals(DType.INT16, t.get("i16").dtype());
        assertArrayEquals(new long[] {-32768, -1, 0x1234}, t.get("i16").toLongs());
        assertArrayEquals(new float[] {255, 127}, t.get("u8").toFloats());
        assertArrayEquals(new boolean[] {true, true}, t.get("u8").toBooleans());
    }

    @Test
    void permutedViewWithOffsetIsMaterialisedRowMajor() throws IOException {
        long[] size = {2, 3, 4};
        long[] stride = {1, 8, 2};
        byte[] pickle = PickleBuilder.stateDict()
                .tensor("permuted", "FloatStorage", "0", 30, 5, size, stride)
                .tensor("whole", "FloatStorage", "0", 30, 0, new long[] {30}, new long[] {1})
                .endDict();
        Map<String, Tensor> t = readZip(pickle, Map.of("0", PickleBuilder.floats(iota(30))));
        float[] want = new float[24];
        int n = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    want[n++] = 5 + i * 1 + j * 8 + k * 2;
                }
            }
        }
        assertArrayEquals(new int[] {2, 3, 4}, t.get("permuted").shape());
        assertArrayEquals(want, t.get("permuted").toFloats());
        assertArrayEquals(iota(30), t.get("whole").toFloats());
    }

    @Test
    void broadcastStrideZeroAndScalar() throws IOException {
        byte[] pickle = PickleBuilder.stateDict()
                .tensor("expanded", "DoubleStorage", "0", 2, 1, new long[] {3, 2}, new long[] {0, 0})
                .tensor("scalar", "DoubleStorage", "0", 2, 0, new long[] {}, new long[] {})
                .endDict();
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-2.5);
        Map<String, Tensor> t = readZip(pickle, Map.of("0", b.array()));
        assertArrayEquals(new double[] {-2.5, -2.5, -2.5, -2.5, -2.5, -2.5}, t.get("expanded").toDoubles());
        assertArrayEquals(new int[0], t.get("scalar").shape());
        assertArrayEquals(new double[] {0.1}, t.get("scalar").toDoubles());
        assertArrayEquals(new long[] {0}, t.get("scalar").toLongs());
    }

    @Test
    void parameterWrapper() throws IOException {
        PickleBuilder b = PickleBuilder.stateDict().str("w").global("torch._utils", "_rebuild_parameter").op('(');
        b.rebuild(() -> b.storage("FloatStorage", "0", 2, false, null), 0, new long[] {2}, new long[] {1});
        byte[] pickle = b.op(0x88).global("collections", "OrderedDict").op(')', 'R', 't', 'R').endDict();
        Map<String, Tensor> t = readZip(pickle, Map.of("0", PickleBuilder.floats(1.5f, -2f)));
        assertArrayEquals(new float[] {1.5f, -2f}, t.get("w").toFloats());
    }

    @Test
    void legacyStorageView() throws IOException {
        PickleBuilder b = PickleBuilder.stateDict().str("view");
        b.rebuild(() -> b.storage("FloatStorage", "root", 10, true, new Object[] {"v", 2L, 5L}), 1, new long[] {4}, new long[] {1});
        b.str("root");
        b.rebuild(() -> b.storage("FloatStorage", "root", 10, true, null), 0, new long[] {10}, new long[] {1});
        byte[] file = PickleBuilder.legacy(b.endDict(), List.of("root"), List.of(PickleBuilder.floats(iota(10))), List.of(10L));
        Map<String, Tensor> t = TorchCheckpoint.read(new ByteArrayInputStream(file));
        assertArrayEquals(new float[] {3, 4, 5, 6}, t.get("view").toFloats());
        assertArrayEquals(iota(10), t.get("root").toFloats());

        PickleBuilder past = PickleBuilder.stateDict().str("view"); // view of 5 elements, tensor needs 6
        past.rebuild(() -> past.storage("FloatStorage", "root", 10, true, new Object[] {"v", 2L, 5L}), 0, new long[] {6}, new long[] {1});
        byte[] bad = PickleBuilder.legacy(past.endDict(), List.of("root"), List.of(PickleBuilder.floats(iota(10))), List.of(10L));
        assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(new ByteArrayInputStream(bad)));
    }

    @Test
    void legacyStorageCountBeyondFile() {
        PickleBuilder b = PickleBuilder.stateDict().str("x");
        b.rebuild(() -> b.storage("FloatStorage", "k", 2, true, null), 0, new long[] {2}, new long[] {1});
        byte[] file = PickleBuilder.legacy(b.endDict(), List.of("k"), List.of(PickleBuilder.floats(1, 2)), List.of(1L << 40));
        String message = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpoint.read(new ByteArrayInputStream(file))).getMessage();
        assertTrue(message.contains("claims"), message);
    }

    @Test
    void viewsOutsideTheStorageAreRejected() {
        Map<String, long[][]> cases = new LinkedHashMap<>();
        cases.put("past the end", new long[][] {{3}, {2}, {0}});
        cases.put("offset past the end", new long[][] {{2}, {1}, {3}});
        cases.put("negative size", new long[][] {{-1}, {1}, {0}});
        cases.put("negative offset", new long[][] {{1}, {1}, {-1}});
        cases.put("overflowing size", new long[][] {{Integer.MAX_VALUE, Integer.MAX_VALUE}, {0, 0}, {0}});
        cases.put("overflowing stride", new long[][] {{2}, {Long.MAX_VALUE}, {0}});
        cases.put("stride rank mismatch", new long[][] {{2}, {1, 1}, {0}});
        for (Map.Entry<String, long[][]> c : cases.entrySet()) {
            long[][] v = c.getValue();
            byte[] pickle = PickleBuilder.stateDict().tensor("x", "FloatStorage", "0", 4, v[2][0], v[0], v[1]).endDict();
            assertThrows(CheckpointFormatException.class,
                    () -> readZip(pickle, Map.of("0", PickleBuilder.floats(1, 2, 3, 4))), c.getKey());
        }
    }

    @Test
    void storageShorterThanItsPidIsRejected() {
        byte[] pickle = PickleBuilder.stateDict().tensor("x", "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).endDict();
        String message = assertThrows(CheckpointFormatException.class,
                () -> readZip(pickle, Map.of("0", PickleBuilder.floats(1, 2, 3)))).getMessage();
        assertTrue(message.contains("needs element 3"), message);
        assertThrows(CheckpointFormatException.class, () -> readZip(pickle, Map.of()));
    }

    @Test
    void nonTensorEntriesAreRejected() {
        byte[] pickle = PickleBuilder.stateDict().str("step").integer(5).endDict();
        String message = assertThrows(CheckpointFormatException.class, () -> readZip(pickle, Map.of())).getMessage();
        assertTrue(message.contains("step"), message);
        assertThrows(CheckpointFormatException.class, () -> readZip(new PickleBuilder().op(']').stop(), Map.of()));
    }
}
