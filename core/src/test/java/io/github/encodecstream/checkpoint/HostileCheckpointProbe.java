package io.github.encodecstream.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.razorvine.pickle.Unpickler;

/**
 * Reads hostile checkpoints in a JVM of its own (started with a small heap, {@code -Xmx96m}) and
 * prints one line per file: {@code name TAB milliseconds TAB outcome}, the outcome being the
 * exception's class and message, or {@code read} when the file was read. Like Spark on an
 * executor, it first registers a constructor in the pickle library's global registry
 * ({@link HostileCheckpoints#PROBE_MODULE}); the last line, {@code registry-constructor-calls N},
 * says how often the reader called it.
 *
 * <p>Arguments: files, or folders whose files are read in name order. Used by
 * {@link HostileCheckpointChildJvmTest} and by {@code scripts/hostile-checkpoints}.
 */
public final class HostileCheckpointProbe {
    /** The line that ends the output, followed by the number of calls. */
    static final String CALLS = "registry-constructor-calls";

    private HostileCheckpointProbe() {}

    /** Reads every file named (or in every folder named) and prints the outcomes. */
    public static void main(String[] args) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Unpickler.registerConstructor(HostileCheckpoints.PROBE_MODULE, HostileCheckpoints.PROBE_CLASS, a -> {
            calls.incrementAndGet();
            return "made by the global registry";
        });
        for (Path file : files(args)) {
            long start = System.nanoTime();
            String outcome;
            try {
                TorchCheckpoint.read(file);
                outcome = "read";
            } catch (Throwable t) { // an OutOfMemoryError is an outcome to report, not to die of
                outcome = t.getClass().getName() + ": " + oneLine(t.getMessage());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println(file.getFileName() + "\t" + millis + "\t" + outcome);
            System.out.flush();
        }
        System.out.println(CALLS + " " + calls.get());
    }

    private static List<Path> files(String[] args) throws Exception {
        List<Path> out = new ArrayList<>();
        for (String arg : args) {
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(Files::isRegularFile).sorted().forEach(out::add);
                }
            } else {
                out.add(path);
            }
        }
        return out;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
