package io.github.encodecstream.runtime;

import java.util.Locale;
import java.util.Objects;

/**
 * Where inference runs: {@code cpu}, {@code cuda} (GPU 0), {@code cuda:N}, or {@code auto} (a
 * random visible GPU when ONNX Runtime's CUDA provider loads, else the CPU).
 *
 * @param kind the device kind
 * @param index the GPU index for {@link Kind#CUDA} (0 or more), else -1
 */
public record Device(Kind kind, int index) {
    /** Kinds of device. */
    public enum Kind { CPU, CUDA, AUTO }

    /** The CPU. */
    public static final Device CPU = new Device(Kind.CPU, -1);
    /** Automatic choice. */
    public static final Device AUTO = new Device(Kind.AUTO, -1);

    /** Checks that a CUDA device has an index of 0 or more and the other kinds have -1. */
    public Device {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CUDA ? index < 0 : index != -1) {
            throw new IllegalArgumentException(kind == Kind.CUDA
                    ? "GPU index must be >= 0, got " + index
                    : "a " + kind.name().toLowerCase(Locale.ROOT) + " device takes no index (-1), got " + index);
        }
    }

    /** The CUDA device with the given index (as in {@code cuda:N}). */
    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /**
     * Parses a device name, ignoring case and surrounding blanks:
     * <ul>
     *   <li>{@code cpu};</li>
     *   <li>{@code auto};</li>
     *   <li>{@code cuda} or {@code gpu}: GPU 0;</li>
     *   <li>{@code cuda:N} or {@code gpu:N}: GPU {@code N};</li>
     *   <li>a bare number {@code N}, as the old tool's {@code -g N} took: GPU {@code N}, where
     *       {@code -1} means the CPU.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for anything else (including an empty string)
     */
    public static Device parse(String text) {
        Objects.requireNonNull(text, "device");
        String s = text.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "cpu", "-1":
                return CPU;
            case "auto":
                return AUTO;
            case "cuda", "gpu":
                return cuda(0);
            default:
                break;
        }
        String number = s;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String prefix = s.substring(0, colon).strip();
            if (!prefix.equals("cuda") && !prefix.equals("gpu")) {
                throw unknown(text);
            }
            number = s.substring(colon + 1).strip();
        }
        if (!number.isEmpty() && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return cuda(Integer.parseInt(number));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GPU index out of range in device '" + text + "'");
            }
        }
        throw unknown(text);
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException(
                "unknown device '" + text + "': use cpu, cuda, cuda:N (N = GPU index, e.g. cuda:1), a bare GPU index N, or auto");
    }

    /** The name that {@link #parse} reads back: {@code cpu}, {@code auto} or {@code cuda:N}. */
    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case CUDA -> "cuda:" + index;
        };
    }
}
