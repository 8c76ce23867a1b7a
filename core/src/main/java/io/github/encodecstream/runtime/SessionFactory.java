package io.github.encodecstream.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.graph.OnnxGraphBuilder;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

/**
 * Creates ONNX Runtime sessions from serialised graphs on the configured device, each run on one
 * thread (the calling one).
 *
 * <p>The device is resolved once, when the factory is made:
 * <ul>
 *   <li>{@code cpu} and {@code cuda:N} are taken as they are. A CUDA device that cannot be used
 *       (a build without the CUDA provider, CUDA libraries missing, no such GPU) makes
 *       {@link #create} fail with an {@link IOException} saying why; it never falls back to the
 *       CPU silently.</li>
 *   <li>{@code auto} takes a random visible GPU when ONNX Runtime's CUDA provider loads, else
 *       the CPU. Visible GPUs are counted from {@code CUDA_VISIBLE_DEVICES} when it is set (empty
 *       or {@code -1}: none), else from {@code nvidia-smi -L} when that command exists, else
 *       taken to be one. The choice is logged in exactly one DEBUG line (logger
 *       {@code io.github.encodecstream.runtime.SessionFactory}) that says why.</li>
 * </ul>
 *
 * <p>The factory is immutable and thread-safe. The sessions it makes may be shared: ONNX
 * Runtime's {@code OrtSession.run} may be called from several threads at once.
 */
public final class SessionFactory {
    /** The name of the logger that the {@code auto} choice goes to. */
    public static final String LOGGER_NAME = SessionFactory.class.getName();
    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    /** What a GPU needs, for error and log messages. */
    static final String GPU_BUILD_HINT =
            "GPUs need the onnxruntime_gpu build (Maven profile -Pgpu) and CUDA 12 with cuDNN 9";
    /** How long {@code nvidia-smi -L} may take. */
    static final long NVIDIA_SMI_TIMEOUT_MS = 3000;

    private final InferenceSettings settings;
    private final Device resolved;

    /** A factory for the given settings; resolves {@code auto} once, here. */
    public SessionFactory(InferenceSettings settings) {
        this(settings, GpuProbe.SYSTEM);
    }

    SessionFactory(InferenceSettings settings, GpuProbe probe) {
        this(settings, probe, count -> ThreadLocalRandom.current().nextInt(count));
    }

    SessionFactory(InferenceSettings settings, GpuProbe probe, IntUnaryOperator pick) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resolved = resolve(settings.device(), probe, pick);
    }

    /** The device sessions run on ({@code cpu} or {@code cuda:N}, never {@code auto}). */
    public Device device() {
        return resolved;
    }

    /** The settings this factory was made with (the device as requested, perhaps {@code auto}). */
    public InferenceSettings settings() {
        return settings;
    }

    /**
     * Loads a session from a serialised ONNX model. The caller closes it.
     *
     * @throws IOException when ONNX Runtime cannot load the graph, or cannot use the CUDA device
     *     (the message says why and what a GPU needs)
     */
    public OrtSession create(byte[] model) throws IOException {
        Objects.requireNonNull(model, "model");
        return create((env, options) -> env.createSession(model, options));
    }

    /**
     * Loads a session from an ONNX model file, and the external data files it names (which ONNX
     * Runtime maps rather than copies where it can). The caller closes it.
     *
     * @throws IOException when ONNX Runtime cannot load the graph, or cannot use the CUDA device
     *     (the message says why and what a GPU needs)
     */
    public OrtSession create(Path model) throws IOException {
        Objects.requireNonNull(model, "model");
        return create((env, options) -> env.createSession(model.toString(), options));
    }

    /** Creates a session from the environment and options. */
    @FunctionalInterface
    private interface Loader {
        OrtSession load(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    private OrtSession create(Loader loader) throws IOException {
        if (resolved.kind() == Device.Kind.CUDA && !cudaProviderPresent()) {
            throw new IOException("device " + resolved + " was asked for, but this ONNX Runtime build has no"
                    + " CUDA provider: " + GPU_BUILD_HINT + "; or choose the device cpu or auto");
        }
        // native calls, as runs are: the JVM does not exit while a session is being made
        try (NativeCalls.Call call = NativeCalls.enter(); OrtSession.SessionOptions options = options()) {
            if (resolved.kind() == Device.Kind.CUDA) {
                try {
                    options.addCUDA(resolved.index());
                } catch (OrtException | RuntimeException | LinkageError e) {
                    throw new IOException("device " + resolved + ": ONNX Runtime's CUDA provider did not load ("
                            + GPU_BUILD_HINT + " on the library path): " + e.getMessage(), e);
                }
            }
            // The session keeps its own copy of the options, which are closed here.
            return loader.load(EnvironmentPin.environment(), options);
        } catch (OrtException e) {
            String hint = resolved.kind() == Device.Kind.CUDA
                    ? " (is GPU " + resolved.index() + " present and visible? " + GPU_BUILD_HINT + ")"
                    : "";
            throw new IOException("ONNX Runtime could not load the graph on " + resolved + hint + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * One thread per run: a run executes on the calling thread, so the decoders and encoders
     * choose how many run at once (the thread budget) and no count oversubscribes the cores. All
     * graph optimisations (done at each load; they take a small part of it); no memory pattern.
     */
    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // No memory pattern: ~15-20 MB less resident memory with two runs at once (48 kHz), no slower
            // (docs/PERFORMANCE.md, "Start-up and footprint"). The CPU arena stays: without it, glibc's heap grew more.
            options.setMemoryPatternOptimization(false);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    static boolean cudaProviderPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    /** Resolves {@code auto}; logs one DEBUG line when it does. */
    static Device resolve(Device requested, GpuProbe probe, IntUnaryOperator pick) {
        if (requested.kind() != Device.Kind.AUTO) {
            return requested;
        }
        String why = probe.unavailableReason();
        if (why == null) {
            int count = probe.visibleGpus();
            if (count <= 0) {
                why = "the CUDA provider loaded, but no GPU is visible (CUDA_VISIBLE_DEVICES is empty or -1)";
            } else {
                int index = pick.applyAsInt(count);
                if (index < 0 || index >= count) {
                    throw new IllegalStateException("GPU pick " + index + " is not in 0.." + (count - 1));
                }
                Device chosen = Device.cuda(index);
                String failed = probe.check(chosen);
                if (failed == null) {
                    LOG.log(Level.DEBUG, "device auto: using " + chosen + ", a random choice of " + count
                            + " visible GPU(s) (the CUDA provider loaded)");
                    return chosen;
                }
                why = "the CUDA provider loaded, but a test run on " + chosen + " failed: " + failed;
            }
        }
        LOG.log(Level.DEBUG, "device auto: using the CPU (" + why + ")");
        return Device.CPU;
    }

    /**
     * The number of GPUs CUDA will see: from {@code CUDA_VISIBLE_DEVICES} when it is set (CUDA
     * stops at the first empty or negative entry, so an empty value or {@code -1} means none),
     * else the count from {@code nvidia-smi} when positive, else 1.
     *
     * @param cudaVisibleDevices the variable's value, or null when unset
     * @param nvidiaSmi GPUs listed by {@code nvidia-smi -L}, 0 when unknown
     */
    static int countVisibleGpus(String cudaVisibleDevices, IntSupplier nvidiaSmi) {
        if (cudaVisibleDevices != null) {
            int n = 0;
            for (String entry : cudaVisibleDevices.split(",", -1)) {
                String e = entry.strip();
                if (e.isEmpty() || e.startsWith("-")) {
                    break;
                }
                n++;
            }
            return n;
        }
        int listed = nvidiaSmi.getAsInt();
        return listed > 0 ? listed : 1;
    }

    /** The GPUs in {@code nvidia-smi -L} output: its lines starting with {@code GPU }. */
    static int countNvidiaSmiGpus(String output) {
        return (int) output.lines().filter(line -> line.startsWith("GPU ")).count();
    }

    /** Runs {@code nvidia-smi -L} with a timeout; 0 when it is missing, fails or takes too long. */
    static int nvidiaSmiGpus() {
        Process process;
        try {
            process = new ProcessBuilder("nvidia-smi", "-L")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            return 0; // not installed, or not allowed to run
        }
        try (InputStream stdout = process.getInputStream()) {
            process.getOutputStream().close();
            // The listing is a few lines, far below a pipe's buffer, so waiting before reading is safe.
            if (!process.waitFor(NVIDIA_SMI_TIMEOUT_MS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return 0;
            }
            return countNvidiaSmiGpus(new String(stdout.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            process.destroyForcibly();
        }
    }

    /** Tells whether the CUDA provider can be used, and how many GPUs are visible. A test seam. */
    interface GpuProbe {
        /** Null when ONNX Runtime's CUDA provider loads, else why not. */
        String unavailableReason();

        /** Number of visible GPUs; 0 or less for none. Asked only when the provider loads. */
        int visibleGpus();

        /** Null when a session runs on the given GPU, else why not. Asked only for {@code auto}'s pick. */
        default String check(Device gpu) {
            return null;
        }

        /** The real machine. */
        GpuProbe SYSTEM = new GpuProbe() {
            @Override
            public String unavailableReason() {
                try {
                    if (!cudaProviderPresent()) {
                        return "this ONNX Runtime build has no CUDA provider; " + GPU_BUILD_HINT;
                    }
                } catch (RuntimeException | LinkageError e) {
                    return "ONNX Runtime's providers could not be listed: " + e;
                }
                try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
                    probe.addCUDA(0);
                    return null;
                } catch (OrtException | RuntimeException | LinkageError e) {
                    return "the CUDA provider did not load (" + GPU_BUILD_HINT + " on the library path): "
                            + e.getMessage();
                }
            }

            @Override
            public int visibleGpus() {
                return countVisibleGpus(System.getenv("CUDA_VISIBLE_DEVICES"), SessionFactory::nvidiaSmiGpus);
            }

            @Override
            public String check(Device gpu) {
                OnnxGraphBuilder g = new OnnxGraphBuilder("probe");
                g.input("x", ElementType.FLOAT, 1);
                g.node("Identity", List.of("x"), List.of("y"));
                g.output("y", ElementType.FLOAT, 1);
                OrtEnvironment env = EnvironmentPin.environment();
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.addCUDA(gpu.index());
                    try (OrtSession session = env.createSession(g.build(), options);
                         OnnxTensor x = OnnxTensor.createTensor(env, new float[] {1.5f});
                         OrtSession.Result result = session.run(Map.of("x", x))) {
                        float y = ((float[]) result.get(0).getValue())[0];
                        return y == 1.5f ? null : "the identity graph gave " + y;
                    }
                } catch (OrtException | RuntimeException | LinkageError e) {
                    return e.getMessage();
                }
            }
        };
    }
}
