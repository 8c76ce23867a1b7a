package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile checkpoint ({@link HostileCheckpoints}, generated and kept) ends in a
 * {@link CheckpointFormatException} within a generous 5 s in a JVM with a 96 MB heap, and the
 * pickle library's global constructor registry, where the child has registered a constructor
 * as Spark does, is never called. (The tight figure, 1 s, is measured by
 * {@code scripts/hostile-checkpoints}.)
 */
class HostileCheckpointChildJvmTest {
    private static final long SECONDS_PER_INPUT = 5;

    @TempDir
    Path dir;

    @Test
    void everyHostileCheckpointEndsQuicklyInASmallHeap() throws Exception {
        Map<String, byte[]> inputs = new LinkedHashMap<>(HostileCheckpoints.all());
        inputs.putAll(HostileCheckpoints.large());
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Path kept = keptInputs();
        int count = inputs.size() + fileCount(kept);
        ProcessBuilder builder = ChildJvm.builder(HostileCheckpointProbe.class.getName(), dir.toString(), kept.toString());
        builder.command().add(builder.command().indexOf("-cp"), "-Xmx96m");
        ChildJvm.Result run = ChildJvm.run(builder, 30 + SECONDS_PER_INPUT * count);
        assertEquals(0, run.exitCode(), run.toString());

        List<String> lines = new String(run.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(count + 1, lines.size(), String.join("\n", lines));
        List<String> failures = new ArrayList<>();
        for (String line : lines.subList(0, count)) {
            String[] f = line.split("\t", 3);
            if (Long.parseLong(f[1]) > SECONDS_PER_INPUT * 1000
                    || !f[2].startsWith(CheckpointFormatException.class.getName() + ": ")) {
                failures.add(line);
            }
        }
        assertTrue(failures.isEmpty(), "not refused in time with a CheckpointFormatException:\n" + String.join("\n", failures));
        assertEquals(HostileCheckpointProbe.CALLS + " 0", lines.get(count), "the global registry's constructor was called");
    }

    /** The fuzz target's kept inputs, which hold every small hostile input (and findings of old). */
    static Path keptInputs() throws URISyntaxException {
        return Path.of(HostileCheckpointChildJvmTest.class.getResource("TorchCheckpointFuzzTestInputs/checkpoint").toURI());
    }

    private static int fileCount(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(Files::isRegularFile).count();
        }
    }
}
