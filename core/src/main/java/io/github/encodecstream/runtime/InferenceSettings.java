package io.github.encodecstream.runtime;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where networks run and on how many threads: the device, and the CPU budget of one decoder or
 * encoder (how many network runs go at once, each on one thread; 0: the available processors).
 *
 * <p>{@link #fromEnvironment()} reads the system properties {@code encodec.device} (else the
 * environment variable {@code ENCODEC_DEVICE}, default {@code auto}) and {@code encodec.threads}
 * (else {@code ENCODEC_THREADS}, default 0). A blank value counts as unset.
 *
 * @param device where sessions run (see {@link Device#parse})
 * @param threads the thread budget, 0 for the available processors
 */
public record InferenceSettings(Device device, int threads) {
    /** System property naming the device. */
    public static final String DEVICE_PROPERTY = "encodec.device";
    /** Environment variable naming the device, read when the property is unset. */
    public static final String DEVICE_ENV = "ENCODEC_DEVICE";
    /** System property giving the thread count. */
    public static final String THREADS_PROPERTY = "encodec.threads";
    /** Environment variable giving the thread count, read when the property is unset. */
    public static final String THREADS_ENV = "ENCODEC_THREADS";

    /** Validates the device and thread count. */
    public InferenceSettings {
        Objects.requireNonNull(device, "device");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = the available processors), got " + threads);
        }
    }

    /** The defaults: {@code auto}, the available processors. */
    public static InferenceSettings defaults() {
        return new InferenceSettings(Device.AUTO, 0);
    }

    /**
     * Settings from system properties and environment variables.
     *
     * @throws IllegalArgumentException naming the property or variable when its value is not a
     *     device, or not a whole number of threads of 0 or more
     */
    public static InferenceSettings fromEnvironment() {
        return from(System::getProperty, System::getenv);
    }

    /** {@link #fromEnvironment()} with the given property and environment look-ups (for tests). */
    static InferenceSettings from(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Setting device = Setting.read(properties, environment, DEVICE_PROPERTY, DEVICE_ENV);
        Setting threads = Setting.read(properties, environment, THREADS_PROPERTY, THREADS_ENV);
        Device d = Device.AUTO;
        if (device != null) {
            try {
                d = Device.parse(device.value());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(device.source() + ": " + e.getMessage(), e);
            }
        }
        return new InferenceSettings(d, threads == null ? 0 : parseThreads(threads));
    }

    private static int parseThreads(Setting setting) {
        String text = setting.value().strip();
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting.source() + " must be a whole number of threads"
                    + " (0 = the available processors), got '" + setting.value() + "'", e);
        }
        if (n < 0) {
            throw new IllegalArgumentException(setting.source() + " must be >= 0"
                    + " (0 = the available processors), got " + n);
        }
        return n;
    }

    /** The same settings with another device. */
    public InferenceSettings withDevice(Device d) {
        return new InferenceSettings(d, threads);
    }

    /** The same settings with another thread count. */
    public InferenceSettings withThreads(int n) {
        return new InferenceSettings(device, n);
    }

    /** A non-blank value and where it came from ("system property x" or "environment variable X"). */
    private record Setting(String value, String source) {
        static Setting read(UnaryOperator<String> properties, UnaryOperator<String> environment,
                String property, String env) {
            String value = properties.apply(property);
            if (value != null && !value.isBlank()) {
                return new Setting(value, "system property " + property);
            }
            value = environment.apply(env);
            if (value != null && !value.isBlank()) {
                return new Setting(value, "environment variable " + env);
            }
            return null;
        }
    }
}
