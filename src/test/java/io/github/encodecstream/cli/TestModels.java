package io.github.encodecstream.cli;

import io.github.encodecstream.testing.ReferenceData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * System properties that make in-process CLI runs use the reference models, offline, on the CPU
 * with 2 threads, never touching the network; {@link #restore()} puts the old values back.
 */
final class TestModels {
    private static final Map<String, String> SAVED = new HashMap<>();

    private TestModels() {}

    /** Sets the properties ({@code cache}: an empty directory). */
    static synchronized void use(Path cache) {
        set("encodec.models", ReferenceData.models().toString());
        set("encodec.offline", "true");
        set("encodec.device", "cpu");
        set("encodec.threads", "2");
        set("encodec.cache", cache.toString());
        set("encodec.modelsUrl", "http://127.0.0.1:9/");
    }

    /** Restores the values from before {@link #use}. */
    static synchronized void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        SAVED.clear();
    }

    private static void set(String key, String value) {
        SAVED.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }
}
