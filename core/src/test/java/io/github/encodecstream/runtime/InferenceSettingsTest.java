package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceSettingsTest {
    private static final String[] PROPERTIES = {Settings.DEVICE_PROPERTY, Settings.THREADS_PROPERTY};

    /** Runs the body with the given system properties set (null: cleared), restoring them afterwards. */
    private static <T> T withProperties(String device, String threads, java.util.function.Supplier<T> body) {
        Map<String, String> saved = new HashMap<>();
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
        }
        try {
            set(Settings.DEVICE_PROPERTY, device);
            set(Settings.THREADS_PROPERTY, threads);
            return body.get();
        } finally {
            saved.forEach(InferenceSettingsTest::set);
        }
    }

    private static void set(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void systemProperties() {
        InferenceSettings s = withProperties("cuda:2", "3", InferenceSettings::fromEnvironment);
        assertEquals(new InferenceSettings(Device.cuda(2), 3), s);
        assertEquals(new InferenceSettings(Device.CPU, 1),
                withProperties(" CPU ", " 1 ", InferenceSettings::fromEnvironment));
        assertEquals(Device.cuda(1), withProperties("1", null, InferenceSettings::fromEnvironment).device());
    }

    @Test
    void propertiesAreRestored() {
        String before = System.getProperty(Settings.DEVICE_PROPERTY);
        withProperties("cpu", "4", () -> null);
        assertEquals(before, System.getProperty(Settings.DEVICE_PROPERTY));
    }

    @Test
    void defaultsWhenNothingIsSet() {
        InferenceSettings s = InferenceSettings.from(Settings.of(Map.of(), Map.of()));
        assertEquals(InferenceSettings.defaults(), s);
        assertEquals(new InferenceSettings(Device.AUTO, 0), s);
        Settings blank = Settings.of(Map.of("encodec.device", " ", "encodec.threads", " "),
                Map.of("ENCODEC_DEVICE", "", "ENCODEC_THREADS", ""));
        assertEquals(InferenceSettings.defaults(), InferenceSettings.from(blank));
    }

    @Test
    void environmentVariablesWhenPropertiesAreUnset() {
        Map<String, String> env = Map.of("ENCODEC_DEVICE", "cpu", "ENCODEC_THREADS", "5");
        assertEquals(new InferenceSettings(Device.CPU, 5), InferenceSettings.from(Settings.of(Map.of(), env)));
        // a blank property counts as unset
        Map<String, String> blank = Map.of("encodec.device", "", "encodec.threads", "");
        assertEquals(new InferenceSettings(Device.CPU, 5), InferenceSettings.from(Settings.of(blank, env)));
    }

    @Test
    void propertiesWinOverEnvironment() {
        Map<String, String> props = Map.of("encodec.device", "cuda:1", "encodec.threads", "2");
        Map<String, String> env = Map.of("ENCODEC_DEVICE", "cpu", "ENCODEC_THREADS", "5");
        assertEquals(new InferenceSettings(Device.cuda(1), 2), InferenceSettings.from(Settings.of(props, env)));
    }

    @Test
    void badThreadsPropertyNamesTheProperty() {
        for (String bad : new String[] {"many", "1.5", "2x", "99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withProperties(null, bad, InferenceSettings::fromEnvironment));
            assertTrue(e.getMessage().contains("encodec.threads"), e.getMessage());
            assertTrue(e.getMessage().contains("whole number"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperties(null, "-2", InferenceSettings::fromEnvironment));
        assertTrue(e.getMessage().contains("encodec.threads must be >= 0"), e.getMessage());
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }

    @Test
    void badEnvironmentVariableNamesTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InferenceSettings.from(Settings.of(Map.of(), Map.of("ENCODEC_THREADS", "-1"))));
        assertTrue(e.getMessage().contains("ENCODEC_THREADS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> InferenceSettings.from(Settings.of(Map.of(), Map.of("ENCODEC_DEVICE", "tpu"))));
        assertTrue(e.getMessage().contains("ENCODEC_DEVICE"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown device 'tpu'"), e.getMessage());
    }

    @Test
    void badDevicePropertyNamesTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperties("cuda:x", null, InferenceSettings::fromEnvironment));
        assertTrue(e.getMessage().contains("encodec.device"), e.getMessage());
    }

    @Test
    void withersAndValidation() {
        InferenceSettings s = InferenceSettings.defaults().withDevice(Device.CPU).withThreads(4);
        assertEquals(new InferenceSettings(Device.CPU, 4), s);
        assertThrows(IllegalArgumentException.class, () -> s.withThreads(-1));
        assertThrows(NullPointerException.class, () -> s.withDevice(null));
    }
}
