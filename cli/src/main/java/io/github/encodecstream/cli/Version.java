package io.github.encodecstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The version printed by {@code --version}: {@code encodec-stream VERSION (ONNX Runtime VERSION)}, the
 * jar's implementation version and the version of the ONNX Runtime jar on the class or module path.
 * ONNX Runtime's version is read from its jar (its manifest, else its Maven {@code pom.properties} or
 * {@code pom.xml}), without initialising ONNX Runtime: its native library is not loaded.
 */
final class Version implements CommandLine.IVersionProvider {
    /** ONNX Runtime's Maven artifacts: the CPU build and the CUDA build ({@code -Pgpu}). */
    private static final List<String> ONNX_RUNTIME_ARTIFACTS = List.of("onnxruntime", "onnxruntime_gpu");

    @Override
    public String[] getVersion() {
        return new String[] {"encodec-stream " + projectVersion() + " (ONNX Runtime " + onnxRuntimeVersion() + ")"};
    }

    /**
     * The jar's implementation version (class path), else the module's version (module path), or
     * "(development build)" when run from classes.
     */
    static String projectVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        if (v == null && Main.class.getModule().getDescriptor() != null) {
            v = Main.class.getModule().getDescriptor().rawVersion().orElse(null);
        }
        return v == null ? "(development build)" : v;
    }

    /** ONNX Runtime's version, or "(version unknown)"; never loads its native library. */
    static String onnxRuntimeVersion() {
        // a class literal loads the class without initialising it (OrtEnvironment's initialiser loads the natives)
        Class<?> ort = ai.onnxruntime.OrtException.class;
        Package p = ort.getPackage();
        // ONNX Runtime's own jar says so in its manifest; in a shaded jar the manifest is encodec-stream's
        if (p != null && p.getImplementationVersion() != null && p.getImplementationTitle() != null
                && ONNX_RUNTIME_ARTIFACTS.contains(p.getImplementationTitle())) {
            return p.getImplementationVersion();
        }
        for (String artifact : ONNX_RUNTIME_ARTIFACTS) {
            String dir = "/META-INF/maven/com.microsoft.onnxruntime/" + artifact + "/";
            String properties = read(ort, dir + "pom.properties");
            if (properties != null) {
                Properties values = new Properties();
                try {
                    values.load(new StringReader(properties));
                } catch (IOException e) {
                    continue;
                }
                String v = values.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
            String v = pomVersion(read(ort, dir + "pom.xml"));
            if (v != null) {
                return v;
            }
        }
        return "(version unknown)";
    }

    /** The patterns of {@link #pomVersion}, compiled on first use (picocli makes a Version for every command line). */
    private static final class Pom {
        static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
        static final Pattern PARENT = Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);
        static final Pattern NESTED = Pattern.compile("<(dependencies|dependencyManagement|build|profiles)>.*",
                Pattern.DOTALL);
        static final Pattern VERSION = Pattern.compile("<version>\\s*([^<\\s]+)\\s*</version>");
    }

    /** The project's own {@code <version>} in a {@code pom.xml} (not its parent's or a dependency's); null if none. */
    static String pomVersion(String pom) {
        if (pom == null) {
            return null;
        }
        String s = Pom.COMMENT.matcher(pom).replaceAll("");
        s = Pom.PARENT.matcher(s).replaceAll("");
        s = Pom.NESTED.matcher(s).replaceFirst("");
        Matcher m = Pom.VERSION.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static String read(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
