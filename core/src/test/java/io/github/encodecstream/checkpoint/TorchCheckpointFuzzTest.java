package io.github.encodecstream.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the checkpoint reader ({@link TorchCheckpoint#read(java.io.InputStream)}: zip or legacy
 * container, the pickle, the tensor records) and every tensor's conversion: the outcome is a
 * state dict whose tensors convert, or an {@link IOException} with a message
 * ({@link CheckpointFormatException}). The seeds include every {@link HostileCheckpoints} input,
 * which are also kept as regression inputs.
 */
class TorchCheckpointFuzzTest {
    static Stream<Arguments> seeds() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] pickle = PickleBuilder.stateDict()
                .tensor("w", "FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .tensor("t", "FloatStorage", "0", 6, 1, new long[] {2, 2}, new long[] {1, 2})
                .tensor("i", "LongStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .tensor("h", "HalfStorage", "2", 2, 0, new long[] {2}, new long[] {1})
                .endDict();
        Map<String, byte[]> storages = Map.of("0", PickleBuilder.floats(1, 2, 3, 4, 5, 6),
                "1", PickleBuilder.le(16, 7), "2", new byte[] {0, 0x3c, 0, (byte) 0xc0});
        seeds.put("zip, stored", PickleBuilder.zip(pickle, storages, true));
        seeds.put("zip, deflated", PickleBuilder.zip(pickle, storages, false));
        PickleBuilder b = PickleBuilder.stateDict().str("view");
        b.rebuild(() -> b.storage("FloatStorage", "root", 4, true, new Object[] {"v", 1L, 3L}), 0, new long[] {3},
                new long[] {1});
        seeds.put("legacy", PickleBuilder.legacy(b.endDict(), List.of("root"), List.of(PickleBuilder.floats(1, 2, 3, 4)),
                List.of(4L)));
        seeds.putAll(HostileCheckpoints.all());
        return FuzzOracle.seeds(seeds);
    }

    @MethodSource("seeds")
    @FuzzTest
    void checkpoint(byte[] data) {
        FuzzOracle.check(() -> {
            for (Tensor t : TorchCheckpoint.read(new ByteArrayInputStream(data)).values()) {
                t.toFloats();
            }
        });
    }
}
