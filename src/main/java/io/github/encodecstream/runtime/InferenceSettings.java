package io.github.encodecstream.runtime;

/**
 * How ONNX Runtime sessions are created: the device and the number of intra-op threads
 * (0 lets ONNX Runtime choose).
 *
 * <p>{@link #fromEnvironment()} reads the system properties {@code encodec.device} (else the
 * environment variable {@code ENCODEC_DEVICE}, default {@code auto}) and {@code encodec.threads}
 * (else {@code ENCODEC_THREADS}, default 0).
 */
public record InferenceSettings(Device device, int threads) {
    /** Validates the thread count. */
    public InferenceSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    /** Settings from system properties and environment variables. */
    public static InferenceSettings fromEnvironment() {
        String device = setting("encodec.device", "ENCODEC_DEVICE");
        String threads = setting("encodec.threads", "ENCODEC_THREADS");
        return new InferenceSettings(device == null ? Device.AUTO : Device.parse(device),
                threads == null ? 0 : Integer.parseInt(threads.trim()));
    }

    /** The same settings with another device. */
    public InferenceSettings withDevice(Device d) {
        return new InferenceSettings(d, threads);
    }

    /** The same settings with another thread count. */
    public InferenceSettings withThreads(int n) {
        return new InferenceSettings(device, n);
    }

    static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
