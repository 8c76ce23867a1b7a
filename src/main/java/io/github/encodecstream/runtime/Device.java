package io.github.encodecstream.runtime;

import java.util.Locale;

/**
 * Where inference runs: {@code cpu}, {@code cuda} (GPU 0), {@code cuda:N}, or {@code auto} (a
 * random visible GPU when ONNX Runtime's CUDA provider loads, else the CPU).
 *
 * @param kind the device kind
 * @param index the GPU index for {@link Kind#CUDA}, or -1
 */
public record Device(Kind kind, int index) {
    /** Kinds of device. */
    public enum Kind { CPU, CUDA, AUTO }

    /** The CPU. */
    public static final Device CPU = new Device(Kind.CPU, -1);
    /** Automatic choice. */
    public static final Device AUTO = new Device(Kind.AUTO, -1);

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N}, {@code auto}, or a bare GPU number {@code N}. */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("auto") || s.isEmpty()) {
            return AUTO;
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return new Device(Kind.CUDA, 0);
        }
        String number = s.startsWith("cuda:") ? s.substring(5) : s;
        try {
            int index = Integer.parseInt(number);
            if (index >= 0) {
                return new Device(Kind.CUDA, index);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("unknown device '" + text + "': use cpu, cuda, cuda:N or auto");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case CUDA -> "cuda:" + index;
        };
    }
}
