package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final Map<String, String> HOME = Map.of("user.home", "/home/u", "os.name", "Linux");

    private static Settings props(String... keyValues) {
        return Settings.of(map(keyValues), Map.of());
    }

    private static Settings env(String... keyValues) {
        return Settings.of(Map.of(), map(keyValues));
    }

    private static Map<String, String> map(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        Settings s = Settings.of(HOME, Map.of());
        assertEquals(Optional.empty(), s.modelsDirectory());
        assertEquals(Optional.empty(), s.modelsUrl());
        assertEquals(Path.of("/home/u/.cache/encodec-stream"), s.cacheDirectory());
        assertFalse(s.offline());
        assertTrue(s.prepared());
        assertEquals(Device.AUTO, s.device());
        assertEquals(0, s.threads());
        assertTrue(s.decodeAhead());
        assertEquals(5, s.httpRetries());
        assertEquals(Duration.ofMillis(250), s.httpRetryDelay());
        assertEquals(Duration.ofSeconds(120), s.httpDeadline());
        assertFalse(s.httpInsecureRedirects());
        assertFalse(s.traceStartup());
    }

    @Test
    void propertyWinsOverEnvironmentVariable() {
        Map<String, String> props = Map.of("encodec.models", "/p", "encodec.modelsUrl", "http://p/",
                "encodec.cache", "/pc", "encodec.offline", "false", "encodec.device", "cpu", "encodec.threads", "2",
                "encodec.decodeAhead", "on");
        Map<String, String> env = Map.of("ENCODEC_MODELS", "/e", "ENCODEC_MODELS_URL", "http://e/",
                "ENCODEC_CACHE", "/ec", "ENCODEC_OFFLINE", "1", "ENCODEC_DEVICE", "cuda", "ENCODEC_THREADS", "7",
                "ENCODEC_DECODE_AHEAD", "off");
        Settings s = Settings.of(props, env);
        assertEquals(Optional.of(Path.of("/p")), s.modelsDirectory());
        assertEquals(Optional.of(URI.create("http://p/")), s.modelsUrl());
        assertEquals(Path.of("/pc"), s.cacheDirectory());
        assertFalse(s.offline());
        assertEquals(Device.CPU, s.device());
        assertEquals(2, s.threads());
        assertTrue(s.decodeAhead());

        Settings e = Settings.of(Map.of("encodec.models", " ", "encodec.threads", ""), env);
        assertEquals(Optional.of(Path.of("/e")), e.modelsDirectory(), "a blank property counts as unset");
        assertEquals(Optional.of(URI.create("http://e/")), e.modelsUrl());
        assertEquals(Path.of("/ec"), e.cacheDirectory());
        assertTrue(e.offline());
        assertEquals(Device.Kind.CUDA, e.device().kind());
        assertEquals(7, e.threads());
        assertFalse(e.decodeAhead());
    }

    @Test
    void booleans() {
        for (String yes : new String[] {"true", "TRUE", " 1 ", "yes", "Yes"}) {
            assertTrue(env("ENCODEC_OFFLINE", yes).offline(), yes);
        }
        for (String no : new String[] {"false", "0", "no", "on"}) {
            assertFalse(env("ENCODEC_OFFLINE", no).offline(), no);
        }
        for (String off : new String[] {"false", "0", "no", "off", " OFF "}) {
            assertFalse(env("ENCODEC_DECODE_AHEAD", off).decodeAhead(), off);
            assertFalse(props("encodec.decodeAhead", off).decodeAhead(), off);
        }
        assertTrue(props("encodec.decodeAhead", "yes").decodeAhead());
        assertFalse(props("encodec.prepared", " False ").prepared());
        assertTrue(props("encodec.prepared", "no").prepared());
        assertTrue(props("encodec.trace.startup", "TRUE").traceStartup());
        assertFalse(props("encodec.trace.startup", "1").traceStartup());
    }

    @Test
    void propertyOnlyKeysIgnoreTheEnvironment() {
        Settings s = env("ENCODEC_PREPARED", "false", "ENCODEC_HTTP_RETRIES", "9", "ENCODEC_TRACE_STARTUP", "true");
        assertTrue(s.prepared());
        assertEquals(5, s.httpRetries());
        assertFalse(s.traceStartup());
    }

    @Test
    void httpValues() {
        assertEquals(0, props("encodec.http.retries", " 0 ").httpRetries());
        assertEquals(Duration.ofMillis(10), props("encodec.http.retryDelay", "0.01").httpRetryDelay());
        assertEquals(Duration.ofHours(1), props("encodec.http.retryDelay", "3600").httpRetryDelay());
        assertEquals(Duration.ofMillis(1500), props("encodec.http.deadline", "1.5").httpDeadline());
        assertTrue(props("encodec.http.allowInsecureRedirects", "TRUE").httpInsecureRedirects());
        assertFalse(props("encodec.http.allowInsecureRedirects", "yes").httpInsecureRedirects());
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertMessage("encodec.http.retries must be a whole number >= 0, got 'x'",
                () -> props("encodec.http.retries", "x").httpRetries());
        assertMessage("encodec.http.retries must be a whole number >= 0, got '-1'",
                () -> props("encodec.http.retries", "-1").httpRetries());
        assertMessage("encodec.http.retryDelay must be a number of seconds (0 to 3600), got '3601'",
                () -> props("encodec.http.retryDelay", "3601").httpRetryDelay());
        assertMessage("encodec.http.deadline must be a number of seconds (0.001 to 86400), got '0'",
                () -> props("encodec.http.deadline", "0").httpDeadline());
        assertMessage("system property encodec.threads must be a whole number of threads",
                () -> props("encodec.threads", "many").threads());
        assertMessage("environment variable ENCODEC_THREADS must be >= 0",
                () -> env("ENCODEC_THREADS", "-3").threads());
        assertMessage("environment variable ENCODEC_DEVICE: ", () -> env("ENCODEC_DEVICE", "tpu").device());
        assertMessage("system property encodec.modelsUrl is not a URL",
                () -> props("encodec.modelsUrl", "http://a b").modelsUrl());
        assertMessage("environment variable ENCODEC_MODELS is not a path",
                () -> env("ENCODEC_MODELS", "a\0b").modelsDirectory());
    }

    @Test
    void anInvalidValueOnlyFailsItsAccessor() {
        Settings s = Settings.of(Map.of("encodec.threads", "many", "encodec.http.retries", "x"), Map.of());
        assertTrue(s.decodeAhead());
        assertEquals(Device.AUTO, s.device());
    }

    @Test
    void platformCacheDirectories() {
        assertEquals(Path.of("/x/encodec-stream"), Settings.of(HOME, Map.of("XDG_CACHE_HOME", "/x")).cacheDirectory());
        assertEquals(Path.of("C:\\Users\\u\\AppData\\Local", "encodec-stream"), Settings.of(
                Map.of("user.home", "C:\\Users\\u", "os.name", "Windows 11"),
                Map.of("LOCALAPPDATA", "C:\\Users\\u\\AppData\\Local")).cacheDirectory());
    }

    @Test
    void fromSystemReadsSystemProperties() {
        String before = System.getProperty(Settings.THREADS_PROPERTY);
        try {
            System.setProperty(Settings.THREADS_PROPERTY, "3");
            Settings s = Settings.fromSystem();
            System.setProperty(Settings.THREADS_PROPERTY, "4");
            assertEquals(3, s.threads(), "a snapshot");
            assertEquals(4, Settings.fromSystem().threads());
        } finally {
            if (before == null) {
                System.clearProperty(Settings.THREADS_PROPERTY);
            } else {
                System.setProperty(Settings.THREADS_PROPERTY, before);
            }
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
