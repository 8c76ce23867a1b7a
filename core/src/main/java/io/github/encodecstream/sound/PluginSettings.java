package io.github.encodecstream.sound;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.runtime.Settings;
import java.io.IOException;

/**
 * The settings of the readers, writers and conversions that AudioSystem makes: networks from
 * {@link Models#shared()}, decoding ahead unless {@value EcdcAudioFileReader#DECODE_AHEAD_PROPERTY}
 * (else {@value EcdcAudioFileReader#DECODE_AHEAD_ENV}) is {@code false}, {@code 0}, {@code no} or
 * {@code off}.
 */
final class PluginSettings {
    private PluginSettings() {}

    /**
     * The shared models, configured on first use; loads nothing.
     *
     * @throws IOException when a setting is invalid (a bad device name, say)
     */
    static Models models() throws IOException {
        try {
            return Models.shared();
        } catch (RuntimeException e) {
            throw new IOException("invalid encodec-stream settings: " + e.getMessage(), e);
        }
    }

    /** Whether streams decode ahead in a background thread, read at each call. */
    static boolean decodeAhead() {
        return Settings.fromSystem().decodeAhead();
    }
}
