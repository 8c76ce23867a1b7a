package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrtEarlyStartTest {
    @Test
    void commandsThatLoadANetworkStartOnnxRuntimeEarly() {
        assertTrue(OrtEarlyStart.needed("decode", "in.ecdc"));
        assertTrue(OrtEarlyStart.needed("-v", "encode", "-o", "out.ecdc", "in.wav"));
        assertTrue(OrtEarlyStart.needed("play", "in.ecdc"));
        assertTrue(OrtEarlyStart.needed("-d", "in.ecdc", "-ss", "10"));
        assertTrue(OrtEarlyStart.needed("-e", "out.ecdc", "-b", "6"));
    }

    @Test
    void commandsWithoutANetworkDoNot() {
        assertFalse(OrtEarlyStart.needed());
        assertFalse(OrtEarlyStart.needed("info", "in.ecdc"));
        assertFalse(OrtEarlyStart.needed("-i", "in.ecdc"));
        assertFalse(OrtEarlyStart.needed("test", "in.ecdc"));
        assertFalse(OrtEarlyStart.needed("--version"));
        assertFalse(OrtEarlyStart.needed("--help"));
        assertFalse(OrtEarlyStart.needed("decoded.ecdc")); // a file name is not a command
    }
}
