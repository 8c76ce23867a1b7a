package io.github.encodecstream.runtime;

import java.util.Objects;

/**
 * Where networks run and on how many threads: the device, and the CPU budget of one decoder or
 * encoder (how many network runs go at once, each on one thread; 0: the available processors).
 *
 * <p>{@link #fromEnvironment()} reads the system properties {@code encodec.device} (else the
 * environment variable {@code ENCODEC_DEVICE}, default {@code auto}) and {@code encodec.threads}
 * (else {@code ENCODEC_THREADS}, default 0) through {@link Settings}. A blank value counts as unset.
 *
 * @param device where sessions run (see {@link Device#parse})
 * @param threads the thread budget, 0 for the available processors
 */
public record InferenceSettings(Device device, int threads) {
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
        return from(Settings.fromSystem());
    }

    /** The device and thread count of {@code settings}. */
    public static InferenceSettings from(Settings settings) {
        return new InferenceSettings(settings.device(), settings.threads());
    }

    /** The same settings with another device. */
    public InferenceSettings withDevice(Device d) {
        return new InferenceSettings(d, threads);
    }

    /** The same settings with another thread count. */
    public InferenceSettings withThreads(int n) {
        return new InferenceSettings(device, n);
    }
}
