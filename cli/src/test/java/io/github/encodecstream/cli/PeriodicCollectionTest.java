package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.encodecstream.testing.ChildJvm;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PeriodicCollection} sets G1's periodic collection only where the user and the collector leave it to us. */
class PeriodicCollectionTest {
    /** The child's probe: enables, then prints whether it did and the flag's value. */
    public static void main(String[] args) {
        boolean set = PeriodicCollection.enable();
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.print(set + " " + bean.getVMOption("G1PeriodicGCInterval").getValue());
    }

    @Test
    void setOnTheDefaultCollector() throws Exception {
        assertEquals("true " + PeriodicCollection.INTERVAL_MS, probe());
    }

    @Test
    void aUsersSettingStays() throws Exception {
        assertEquals("false 5000", probe("-XX:G1PeriodicGCInterval=5000"));
    }

    @Test
    void otherCollectorsAreLeftAlone() throws Exception {
        assertEquals("false 0", probe("-XX:+UseSerialGC"));
    }

    private static String probe(String... jvmOptions) throws Exception {
        ProcessBuilder builder = ChildJvm.builder(PeriodicCollectionTest.class.getName());
        List<String> command = builder.command();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command.addAll(command.indexOf(java) + 1, List.of(jvmOptions));
        ChildJvm.Result result = ChildJvm.run(builder, 60);
        assertEquals(0, result.exitCode(), result.toString());
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }
}
