package io.github.encodecstream.sound;

import io.github.encodecstream.codec.Models;
import java.io.IOException;
import java.util.Locale;

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
        String value = System.getProperty(EcdcAudioFileReader.DECODE_AHEAD_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(EcdcAudioFileReader.DECODE_AHEAD_ENV);
        }
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !(v.equals("false") || v.equals("0") || v.equals("no") || v.equals("off"));
    }
}
