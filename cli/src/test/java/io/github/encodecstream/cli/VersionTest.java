package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --version}: encodec-stream's version and ONNX Runtime's, read from its jar. */
class VersionTest {
    @Test
    void oneLineWithBothVersions() {
        String[] lines = new Version().getVersion();
        assertEquals(1, lines.length);
        assertTrue(lines[0].matches("encodec-stream \\S.* \\(ONNX Runtime \\d+\\.\\d+\\.\\d+\\S*\\)"), lines[0]);
    }

    /** Here ONNX Runtime is its own jar from the Maven repository, with its manifest. */
    @Test
    void onnxRuntimeVersionFromItsJar() {
        String expected = ai.onnxruntime.OrtException.class.getPackage().getImplementationVersion();
        assertEquals(expected, Version.onnxRuntimeVersion());
        assertTrue(Version.onnxRuntimeVersion().matches("\\d+\\.\\d+\\.\\d+\\S*"), Version.onnxRuntimeVersion());
    }

    @Test
    void pomVersionIsTheProjectsOwn() {
        assertEquals("1.26.0", Version.pomVersion("<?xml version=\"1.0\"?>\n<project>\n"
                + "  <!-- <version>0.0</version> -->\n"
                + "  <parent><groupId>p</groupId><artifactId>p</artifactId><version>9</version></parent>\n"
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.microsoft.onnxruntime</groupId>\n"
                + "  <artifactId>onnxruntime</artifactId>\n  <version> 1.26.0 </version>\n"
                + "  <dependencies><dependency><version>2</version></dependency></dependencies>\n</project>\n"));
        assertEquals("3", Version.pomVersion("<project><dependencies><dependency><version>2</version></dependency>"
                .replace("<dependencies>", "<version>3</version><dependencies>")));
        assertNull(Version.pomVersion("<project><dependencies><dependency><version>2</version></dependency>"
                + "</dependencies></project>"));
        assertNull(Version.pomVersion(null));
    }
}
