package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.encodecstream.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LM's probabilities and coded bytes for fixed weights and codes are pinned by hashes, which every JVM mode
 * reproduces: this JVM, {@code -XX:UseAVX=0} (SSE only, no FMA hardware), {@code -XX:TieredStopAtLevel=1} (C1
 * only), {@code -Xint} (the interpreter; the short case only) and Java 25 where it is installed.
 */
class LmDeterminismTest {
    /** Pinned: change only with a new {@link DeterministicLm#ARITHMETIC_VERSION}. */
    static final String SHORT = "short probs=da87410ca13ea560e04fa0b83aa79966c53d695b46a04a899fe74c061a106301"
            + " bytes=de41d8868237e2826733b662c7257c6793d28ae55ee4163deade0feeb8e1252f";
    static final String LONG = "long probs=d698afb35fcca46e1fb7dcdac64971701a13ddb4d886b1d46bed2e5b53109880"
            + " bytes=cf550559d9b29d90f7754a670ea985b968e2edc6871963124edb443af0ae9863";
    static final String JAVA_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    @Test
    void thisJvmGivesThePinnedHashes() {
        LmWeights weights = LmWeights.random(LmHashMain.WEIGHT_SEED, LmHashMain.CODEBOOKS);
        assertEquals(SHORT, "short " + LmHashMain.hashes(weights, "short"));
        assertEquals(LONG, "long " + LmHashMain.hashes(weights, "long"));
    }

    @Test
    void withoutAvx() throws Exception {
        assertEquals(SHORT + "\n" + LONG + "\n", child(javaHere(), List.of("-XX:+IgnoreUnrecognizedVMOptions", "-XX:UseAVX=0"), "short", "long"));
    }

    @Test
    void c1Only() throws Exception {
        assertEquals(SHORT + "\n" + LONG + "\n", child(javaHere(), List.of("-XX:TieredStopAtLevel=1"), "short", "long"));
    }

    @Test
    void interpreterOnly() throws Exception {
        assertEquals(SHORT + "\n", child(javaHere(), List.of("-Xint"), "short"));
    }

    @Test
    void java25() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(JAVA_25)), "Java 25 is not installed at " + JAVA_25 + ": skipped");
        assertEquals(SHORT + "\n" + LONG + "\n", child(JAVA_25, List.of(), "short", "long"));
    }

    private static String javaHere() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String child(String java, List<String> options, String... cases) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LmHashMain.class.getName());
        command.addAll(List.of(cases));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("CLASSPATH"));
        ChildJvm.Result result = ChildJvm.run(builder, 600);
        assertEquals(0, result.exitCode(), () -> String.join(" ", options) + ": " + result);
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }
}
