package io.github.encodecstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Random;

/**
 * Creates ONNX Runtime sessions from serialised graphs on the configured device. An explicit
 * {@code cuda} device fails when the CUDA provider cannot be loaded; {@code auto} falls back to the
 * CPU and logs one line saying why.
 */
public final class SessionFactory {
    private static final System.Logger LOG = System.getLogger(SessionFactory.class.getName());

    private final InferenceSettings settings;
    private final Device resolved;

    /** A factory for the given settings; resolves {@code auto} once. */
    public SessionFactory(InferenceSettings settings) {
        this(settings, GpuProbe.SYSTEM);
    }

    SessionFactory(InferenceSettings settings, GpuProbe probe) {
        this.settings = settings;
        this.resolved = resolve(settings.device(), probe);
    }

    /** The device sessions run on. */
    public Device device() {
        return resolved;
    }

    /** Loads a session from a serialised ONNX model. */
    public OrtSession create(byte[] model) throws IOException {
        try {
            OrtSession.SessionOptions options = options(resolved);
            return OrtEnvironment.getEnvironment().createSession(model, options);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime could not load the graph on " + resolved + ": " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions options(Device device) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setInterOpNumThreads(1);
        if (settings.threads() > 0) {
            options.setIntraOpNumThreads(settings.threads());
            if (settings.threads() == 1) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
        }
        if (device.kind() == Device.Kind.CUDA) {
            options.addCUDA(device.index());
        }
        return options;
    }

    private static Device resolve(Device requested, GpuProbe probe) {
        if (requested.kind() != Device.Kind.AUTO) {
            return requested;
        }
        String why = probe.unavailableReason();
        if (why != null) {
            LOG.log(Level.INFO, "device auto: using the CPU (" + why + ")");
            return Device.CPU;
        }
        int count = probe.visibleGpus();
        Device chosen = new Device(Device.Kind.CUDA, new Random().nextInt(count));
        LOG.log(Level.INFO, "device auto: using " + chosen + " of " + count + " visible GPU(s)");
        return chosen;
    }

    /** Tells whether the CUDA provider can be used, and how many GPUs are visible. */
    interface GpuProbe {
        /** Null when CUDA is usable, else why not. */
        String unavailableReason();

        /** Number of visible GPUs (at least 1 when usable). */
        int visibleGpus();

        GpuProbe SYSTEM = new GpuProbe() {
            @Override
            public String unavailableReason() {
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    return "this ONNX Runtime build has no CUDA provider; use the onnxruntime_gpu build (mvn -Pgpu)";
                }
                try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
                    probe.addCUDA(0);
                    return null;
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    return "the CUDA provider did not load: " + e.getMessage();
                }
            }

            @Override
            public int visibleGpus() {
                String visible = System.getenv("CUDA_VISIBLE_DEVICES");
                if (visible != null && !visible.isBlank()) {
                    return Math.max(1, visible.split(",").length);
                }
                return 1;
            }
        };
    }
}
