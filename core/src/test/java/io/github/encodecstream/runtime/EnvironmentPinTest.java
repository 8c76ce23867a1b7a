package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.graph.OnnxGraphBuilder;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import io.github.encodecstream.testing.ChildJvm;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's environment outlives the release its own shutdown hook makes: a child JVM makes
 * that release by hand (what the hook does), then creates and runs a session. Without the pin the
 * same child dies in ONNX Runtime (the control), which is why the pin exists.
 */
class EnvironmentPinTest {
    @Test
    void theFirstUsePinsTheEnvironment() {
        EnvironmentPin.environment();
        assertTrue(EnvironmentPin.pinned(), "the binding's private createHandle was not reachable");
    }

    @Test
    void aSessionStillRunsAfterOnnxRuntimesOwnRelease() throws Exception {
        ChildJvm.Result run = ChildJvm.run(ChildJvm.builder(AfterRelease.class.getName(), "pin"), 60);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("1.5" + System.lineSeparator(), new String(run.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutThePinTheSameRunDies() throws Exception {
        ChildJvm.Result run = ChildJvm.run(ChildJvm.builder(AfterRelease.class.getName(), "no-pin"), 60);
        assertNotEquals(0, run.exitCode(), "ONNX Runtime no longer needs the pin: " + run);
    }

    /** Child: takes the environment (pinned or not), releases it once as the hook does, runs an identity graph. */
    public static final class AfterRelease {
        public static void main(String[] args) throws Exception {
            OrtEnvironment env = args[0].equals("pin") ? EnvironmentPin.environment() : OrtEnvironment.getEnvironment();
            Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
            api.setAccessible(true);
            Field handle = OrtEnvironment.class.getDeclaredField("nativeHandle");
            handle.setAccessible(true);
            Method close = OrtEnvironment.class.getDeclaredMethod("close", long.class, long.class);
            close.setAccessible(true);
            close.invoke(null, api.getLong(null), handle.getLong(env)); // OrtEnvironment$OrtEnvCloser.run
            OnnxGraphBuilder g = new OnnxGraphBuilder("identity");
            g.input("x", ElementType.FLOAT, 1);
            g.node("Identity", List.of("x"), List.of("y"));
            g.output("y", ElementType.FLOAT, 1);
            try (OrtSession session = env.createSession(g.build());
                 OnnxTensor x = OnnxTensor.createTensor(env, new float[] {1.5f});
                 OrtSession.Result result = session.run(Map.of("x", x))) {
                System.out.println(((float[]) result.get(0).getValue())[0]);
            }
        }
    }
}
