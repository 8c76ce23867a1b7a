package io.github.encodecstream.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The cases of {@code vectors/manifest.json} and the seed files. */
final class ReferenceVectors {
    private ReferenceVectors() {}

    record Frame(int steps, Double scale) {}

    record Case(String name, String model, boolean lm, long length, int numCodebooks, List<Frame> frames,
            Path ecdc, Path codes) {
        @Override
        public String toString() {
            return name;
        }

        /** The codes of all frames, step-major ([segment][step][codebook]), as CodeReader gives them. */
        int[] stepMajorCodes() throws IOException {
            short[] raw = ReferenceData.readI16(codes);
            int[] out = new int[raw.length];
            int base = 0;
            for (Frame f : frames) {
                for (int k = 0; k < numCodebooks; k++) {
                    for (int s = 0; s < f.steps(); s++) {
                        out[base + s * numCodebooks + k] = raw[base + k * f.steps() + s];
                    }
                }
                base += f.steps() * numCodebooks;
            }
            if (base != raw.length) {
                throw new IllegalStateException(name + ": codes file has " + raw.length + " values, frames " + base);
            }
            return out;
        }
    }

    static List<Case> cases() {
        Path vectors = ReferenceData.file("vectors");
        JsonNode manifest;
        try {
            manifest = new ObjectMapper().readTree(vectors.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : manifest.get("cases")) {
            List<Frame> frames = new ArrayList<>();
            for (JsonNode f : c.get("frames")) {
                frames.add(new Frame(f.get("steps").asInt(), f.get("scale").isNull() ? null : f.get("scale").asDouble()));
            }
            cases.add(new Case(c.get("name").asText(), c.get("model").asText(), c.get("lm").asBoolean(),
                    c.get("length").asLong(), c.get("num_codebooks").asInt(), frames,
                    vectors.resolve(c.get("files").get(".ecdc").asText()),
                    vectors.resolve(c.get("files").get(".codes.i16").asText())));
        }
        return cases;
    }

    static List<Case> plainCases() {
        return cases().stream().filter(c -> !c.lm()).toList();
    }

    static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** All .ecdc files: the vectors and the seed files. */
    static List<Path> allFiles() {
        List<Path> files = new ArrayList<>(cases().stream().map(Case::ecdc).toList());
        for (String seed : SEEDS) {
            files.add(seed(seed));
        }
        return files;
    }

    static final List<String> SEEDS = List.of("seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6");

    static Path seed(String name) {
        return ReferenceData.file("seed/" + name + ".ecdc");
    }
}
