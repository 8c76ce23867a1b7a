package io.github.encodecstream.codec;

import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.checkpoint.TorchCheckpoint;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.runtime.SessionFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Loads each model's decoder (and, when asked, its encoder) once (checkpoint from the
 * {@link ModelStore}, graphs built and handed to ONNX Runtime) and shares it between all streams.
 * Thread-safe.
 */
public final class DecoderModels {
    private static final System.Logger LOG = System.getLogger(DecoderModels.class.getName());
    private static volatile DecoderModels shared;

    private final ModelStore store;
    private final InferenceSettings settings;
    private SessionFactory sessions;
    private final Map<ModelFamily, DecoderModel> loaded = new EnumMap<>(ModelFamily.class);
    private final Map<ModelFamily, EncoderModel> encoders = new EnumMap<>(ModelFamily.class);

    /** A provider using the given store and session settings; nothing is loaded before {@link #decoder}. */
    public DecoderModels(ModelStore store, InferenceSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The process-wide provider, configured from system properties and environment variables. */
    public static DecoderModels shared() {
        DecoderModels s = shared;
        if (s == null) {
            synchronized (DecoderModels.class) {
                s = shared;
                if (s == null) {
                    s = new DecoderModels(ModelStore.fromEnvironment(), InferenceSettings.fromEnvironment());
                    shared = s;
                }
            }
        }
        return s;
    }

    /** The decoder of a model family, loading it on first use. */
    public synchronized DecoderModel decoder(ModelFamily family) throws IOException {
        DecoderModel model = loaded.get(family);
        if (model == null) {
            model = load(family, "decoder", DecoderModel::load);
            loaded.put(family, model);
        }
        return model;
    }

    /**
     * The encoder of a model family, loading it on first use (from the same checkpoint, store and
     * session settings as the decoders).
     */
    public synchronized EncoderModel encoder(ModelFamily family) throws IOException {
        EncoderModel model = encoders.get(family);
        if (model == null) {
            model = load(family, "encoder", EncoderModel::load);
            encoders.put(family, model);
        }
        return model;
    }

    /** Builds one network of a family from its checkpoint, as {@code loader} says. */
    private <T> T load(ModelFamily family, String what, Loader<T> loader) throws IOException {
        if (sessions == null) {
            sessions = new SessionFactory(settings); // resolves the device once, on first use
        }
        Path file = store.locate(family.fileName());
        long t0 = System.nanoTime();
        T model = loader.load(family, TorchCheckpoint.read(file), sessions);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.log(Level.DEBUG, () -> String.format("loaded the %s of %s from %s on %s in %.1f s", what, family.fileName(),
                file, sessions.device(), seconds));
        return model;
    }

    /** Builds a network from a checkpoint's tensors. */
    @FunctionalInterface
    private interface Loader<T> {
        T load(ModelFamily family, Map<String, Tensor> checkpoint, SessionFactory sessions) throws IOException;
    }
}
