package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each hostile checkpoint is refused, in this JVM, by the guard meant for it (the message says
 * which); {@link HostileCheckpointChildJvmTest} shows the same in a 96 MB heap.
 */
class HostileCheckpointTest {
    /** The words of the refusal of each input: which guard caught it. */
    private static final Map<String, String> GUARDS = Map.ofEntries(
            Map.entry("stride-zero-2gib-tensors", "t0 (a broadcast view of [536870909] by [0], copied) needs 2147483636 bytes"),
            Map.entry("legacy-stride-zero-2gib-tensor", "t (a broadcast view of [536870909] by [0], copied) needs"),
            Map.entry("zip-entries-share-one-deflated-stream", "archive/data/1 overlaps archive/data/0"),
            Map.entry("deflated-entry-inflates-200mb", "inflating archive/data/0 needs 200000000 bytes"),
            Map.entry("transposed-views-copy-128mb", "(a strided view of [128, 128] by [1, 128], copied) needs 65536 bytes"),
            Map.entry("pickle-long-decimal-2m-digits", "inflating archive/data.pkl needs"),
            Map.entry("pickle-inst-registered-constructor", "opcode 0x69 ('i') is not one torch.save writes"),
            Map.entry("pickle-obj-opcode", "opcode 0x6f ('o') is not one torch.save writes"),
            Map.entry("pickle-newobj-opcode", "opcode 0x81 is not one torch.save writes"),
            Map.entry("pickle-global-line-without-end", "inflating archive/data.pkl needs"),
            Map.entry("pickle-empty-dicts-4m", "inflating archive/data.pkl needs"),
            Map.entry("pickle-nested-tuples-4m", "inflating archive/data.pkl needs"),
            Map.entry("pickle-memoize-4m", "inflating archive/data.pkl needs"),
            Map.entry("pickle-long4-huge", "opcode 0x8b is not one torch.save writes"),
            Map.entry("stored-pickle-dicts-and-memo-600k", "more than 262144 pickle opcodes"),
            Map.entry("stored-pickle-global-line-1m", "GLOBAL line longer than 65536 bytes"),
            Map.entry("stored-pickle-strings-12mb", "more than 8388608 bytes of strings"),
            Map.entry("stored-pickle-lists-nested-120k", "expected a state dict, found ArrayList"));

    static Stream<Arguments> inputs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        HostileCheckpoints.all().forEach((name, bytes) -> out.add(Arguments.of(name, bytes)));
        HostileCheckpoints.large().forEach((name, bytes) -> out.add(Arguments.of(name, bytes)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void refusedByItsGuard(String name, byte[] bytes) {
        String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpoint.read(new ByteArrayInputStream(bytes)))).getMessage();
        assertTrue(message.contains(GUARDS.get(name)), name + ": " + message);
    }

    @Test
    void everyGuardIsListed() throws IOException {
        assertEquals(HostileCheckpoints.all().size() + HostileCheckpoints.large().size(), GUARDS.size());
    }

    @Test
    void everySmallInputIsKeptAsARegressionInput() throws Exception {
        for (String name : HostileCheckpoints.all().keySet()) {
            assertTrue(Files.isRegularFile(HostileCheckpointChildJvmTest.keptInputs().resolve(name)),
                    name + " is not among the fuzz target's kept inputs: run HostileCheckpoints DIR");
        }
    }
}
