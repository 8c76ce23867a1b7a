package io.github.encodecstream.sound;

import io.github.encodecstream.codec.Models;
import java.io.IOException;

/** The networks of the readers, writers and conversions that AudioSystem makes: {@link Models#shared()}. */
final class PluginModels {
    private PluginModels() {}

    /**
     * The shared models, configured on first use; loads nothing.
     *
     * @throws IOException when a setting is invalid (a bad device name, say)
     */
    static Models get() throws IOException {
        try {
            return Models.shared();
        } catch (RuntimeException e) {
            throw new IOException("invalid encodec-stream settings: " + e.getMessage(), e);
        }
    }
}
