package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertFalse(OrtEarlyStart.needed("decode", "--help"));
        assertFalse(OrtEarlyStart.needed("-d", "-h"));
        assertFalse(OrtEarlyStart.needed("encode", "-V"));
    }

    @Test
    void anErrorOfOnnxRuntimesStartSaysSoWithItsReason() {
        assertEquals("ONNX Runtime did not start: Could not initialize class ai.onnxruntime.OrtEnvironment",
                OrtEarlyStart.describe(new NoClassDefFoundError("Could not initialize class ai.onnxruntime.OrtEnvironment")));
        ExceptionInInitializerError init = new ExceptionInInitializerError(
                new java.io.IOException("Native library 'onnxruntime' not found at /x/libonnxruntime.so"));
        assertEquals("ONNX Runtime did not start: Native library 'onnxruntime' not found at /x/libonnxruntime.so",
                OrtEarlyStart.describe(init));
        ExceptionInInitializerError wrapped = new ExceptionInInitializerError(new RuntimeException(
                "Failed to load onnx-runtime library", new java.nio.file.NoSuchFileException("/proc/x/onnxruntime-java1")));
        assertEquals("ONNX Runtime did not start: Failed to load onnx-runtime library; NoSuchFileException: "
                + "/proc/x/onnxruntime-java1", OrtEarlyStart.describe(wrapped));
        assertEquals("Could not initialize class org.example.Other",
                OrtEarlyStart.describe(new NoClassDefFoundError("Could not initialize class org.example.Other")));
    }
}
