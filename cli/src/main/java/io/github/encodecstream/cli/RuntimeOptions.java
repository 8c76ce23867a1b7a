package io.github.encodecstream.cli;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.runtime.OrtNatives;
import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.store.ModelStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of the commands that decode: models, device, threads, and the network ({@link HttpOptions}). */
class RuntimeOptions {
    /** Whether {@link #useCachedNatives} ran in this process. */
    private static final AtomicBoolean NATIVES_CHOSEN = new AtomicBoolean();

    @Option(names = "--offline", description = "Never download a model (like ENCODEC_OFFLINE=1).")
    boolean offline;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads to decode and encode with, 0: all cores (default: ENCODEC_THREADS, else all cores).")
    Integer threads;

    @Option(names = {"-g", "--device"}, paramLabel = "DEVICE",
            description = "cpu, cuda, cuda:N, a GPU number N (-1: cpu) or auto (default: ENCODEC_DEVICE, else auto).")
    String device;

    /** {@code --timeout} and {@code --retries}, for http(s) inputs. */
    @CommandLine.Mixin
    HttpOptions network;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /**
     * Networks for this run, from the environment and these options; runs in one process with the
     * same settings share them (loaded once: {@link Models.Builder#shared()}).
     */
    Models models() {
        Settings environment = Settings.fromSystem();
        ModelStore store = modelStore(environment, offline);
        InferenceSettings settings = inferenceSettings(environment);
        // what the library leaves to applications: ONNX Runtime's natives from the cache, a
        // collection after a checkpoint is read (the process is the command line's own)
        OrtEarlyStart.await(); // its failure, if any, is reported where a network loads (Main)
        useCachedNatives(store);
        return Models.builder().store(store).device(settings.device().toString()).threads(settings.threads())
                .afterBuild(System::gc).shared();
    }

    /** The inputs of this run: {@code -} reads {@code stdin}, http(s) URLs wait {@code --timeout}. */
    Inputs inputs(InputStream stdin) {
        return new Inputs(stdin, network.settings());
    }

    /** Checks the options that can be checked before anything is opened. */
    void validate() {
        network.settings();
        inferenceSettings(Settings.fromSystem());
    }

    /**
     * Points ONNX Runtime at its natives in {@code store}'s cache ({@link Models#cachedNativeLibraries}),
     * once per process (a cache that cannot be used is warned about once), unless {@value OrtNatives#PROPERTY}
     * is set already: a JVM-wide property, which only the command line's own process sets.
     */
    static void useCachedNatives(ModelStore store) {
        if (!NATIVES_CHOSEN.compareAndSet(false, true)) {
            return;
        }
        Path natives = Models.cachedNativeLibraries(store); // null once the property is set
        if (natives != null) {
            System.setProperty(OrtNatives.PROPERTY, natives.toString());
        }
    }

    /** The model store of the environment; {@code offline}: never download (as {@code --offline}). */
    static ModelStore modelStore(Settings environment, boolean offline) {
        Map<String, String> properties = new HashMap<>(environment.properties());
        if (offline) {
            properties.put(Settings.OFFLINE_PROPERTY, "true"); // --offline: as -Dencodec.offline=true
        }
        return ModelStore.fromEnvironment(properties, environment.environment());
    }

    private InferenceSettings inferenceSettings(Settings environment) {
        InferenceSettings settings;
        try {
            settings = InferenceSettings.from(environment);
        } catch (IllegalArgumentException e) {
            throw new Failure(Main.ERROR, Failure.message(e), e); // names the setting
        }
        if (threads != null) {
            if (threads < 0) {
                throw usage("--threads must be 0 or more, got " + threads);
            }
            settings = settings.withThreads(threads);
        }
        if (device != null) {
            try {
                settings = settings.withDevice(Device.parse(device));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return settings;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }
}
