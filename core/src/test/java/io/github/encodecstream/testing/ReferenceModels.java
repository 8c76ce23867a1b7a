package io.github.encodecstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class extension ({@code @ExtendWith(ReferenceModels.class)}) that makes everything
 * configured from system properties (the command line, {@code Models.shared()}) use the reference
 * models, offline, on the CPU with 2 threads, with a new cache directory (empty at the start: no
 * downloads; it receives prepared models and ONNX Runtime's libraries, and is deleted after the
 * class) and an unreachable download address, never touching the network; the old values come
 * back after the class.
 */
public final class ReferenceModels implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> saved = new HashMap<>();
    private Path cache;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cache = Files.createTempDirectory("encodec-empty-cache");
        set("encodec.models", ReferenceData.models().toString());
        set("encodec.offline", "true");
        set("encodec.device", "cpu");
        set("encodec.threads", "2");
        set("encodec.cache", cache.toString());
        set("encodec.modelsUrl", "http://127.0.0.1:9/");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        saved.clear();
        try (Stream<Path> paths = Files.walk(cache)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }
}
