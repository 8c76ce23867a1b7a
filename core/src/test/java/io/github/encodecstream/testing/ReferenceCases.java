package io.github.encodecstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.store.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The cases of {@code vectors/manifest.json} and a decoder set up on the reference models. */
public final class ReferenceCases {
    private static Models models;

    private ReferenceCases() {}

    /** One manifest case. */
    public record Case(String name, String model, int sampleRate, int channels, long length, int codebooks, boolean lm,
            JsonNode json) {
        /** A file of this case, by suffix ({@code .ecdc}, {@code .out.f32}, {@code .codes.i16}). */
        public Path file(String suffix) {
            return ReferenceData.file("vectors/" + name + suffix);
        }

        /** The {@code .ecdc} file. */
        public Path ecdc() {
            return ReferenceData.file("vectors/" + json.get("files").get(".ecdc").asText());
        }

        /** The {@code .codes.i16} file: per segment, codebook-major codes. */
        public Path codes() {
            return ReferenceData.file("vectors/" + json.get("files").get(".codes.i16").asText());
        }

        /** The segments: code steps and scale (null for the 24 kHz model). */
        public List<Frame> frames() {
            List<Frame> frames = new ArrayList<>();
            for (JsonNode f : json.get("frames")) {
                frames.add(new Frame(f.get("steps").asInt(), f.get("scale").isNull() ? null : f.get("scale").asDouble()));
            }
            return frames;
        }

        /** The codes of all segments, step-major ([segment][step][codebook]), as CodeReader gives them. */
        public int[] stepMajorCodes() throws IOException {
            short[] raw = ReferenceData.readI16(codes());
            int[] out = new int[raw.length];
            int base = 0;
            for (Frame f : frames()) {
                for (int k = 0; k < codebooks; k++) {
                    for (int s = 0; s < f.steps(); s++) {
                        out[base + s * codebooks + k] = raw[base + k * f.steps() + s];
                    }
                }
                base += f.steps() * codebooks;
            }
            if (base != raw.length) {
                throw new IllegalStateException(name + ": codes file has " + raw.length + " values, frames " + base);
            }
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** One segment of a case: its code steps and scale (null without one). */
    public record Frame(int steps, Double scale) {}

    /** The seed files written by Encodec-Stream ({@code seed/NAME.ecdc}). */
    public static final List<String> SEEDS =
            List.of("seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6");

    /** A seed file by name. */
    public static Path seed(String name) {
        return ReferenceData.file("seed/" + name + ".ecdc");
    }

    /** All .ecdc files: the vectors and the seed files. */
    public static List<Path> allFiles() {
        List<Path> files = new ArrayList<>(all().stream().map(Case::ecdc).toList());
        SEEDS.forEach(seed -> files.add(seed(seed)));
        return files;
    }

    /** Every case of the manifest. */
    public static List<Case> all() {
        try {
            JsonNode manifest = new ObjectMapper().readTree(ReferenceData.file("vectors/manifest.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : manifest.get("cases")) {
                cases.add(new Case(c.get("name").asText(), c.get("model").asText(), c.get("sample_rate").asInt(),
                        c.get("channels").asInt(), c.get("length").asLong(), c.get("num_codebooks").asInt(),
                        c.get("lm").asBoolean(), c));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases without entropy coding. */
    public static Stream<Case> nonLm() {
        return all().stream().filter(c -> !c.lm());
    }

    /** The cases without entropy coding, as a list. */
    public static List<Case> plainCases() {
        return nonLm().toList();
    }

    /** A case by name. */
    public static Case named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Networks loaded from the reference models folder, offline, on the CPU; shared by all tests. */
    public static synchronized Models models() {
        if (models == null) {
            ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
            models = Models.builder().store(store).device("cpu").threads(2).build();
        }
        return models;
    }

    /**
     * Makes the process-wide models ({@code Models.shared()}: the Java Sound plugin's,
     * {@code DecoderOptions.defaults()}) the reference models, offline, on the CPU with 2 threads,
     * through the system properties they follow; left set for the rest of this JVM.
     */
    public static void useForSharedModels() {
        System.setProperty("encodec.models", ReferenceData.models().toString());
        System.setProperty("encodec.offline", "true");
        System.setProperty("encodec.device", "cpu");
        System.setProperty("encodec.threads", "2");
    }

    /** Default decoder options on the reference models. */
    public static DecoderOptions options() {
        return DecoderOptions.defaults().withModels(models());
    }
}
