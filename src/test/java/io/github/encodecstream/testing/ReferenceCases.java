package io.github.encodecstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.codec.DecoderModels;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The cases of {@code vectors/manifest.json} and a decoder set up on the reference models. */
public final class ReferenceCases {
    private static DecoderModels models;

    private ReferenceCases() {}

    /** One manifest case. */
    public record Case(String name, String model, int sampleRate, int channels, long length, int codebooks, boolean lm,
            JsonNode json) {
        /** A file of this case, by suffix ({@code .ecdc}, {@code .out.f32}, {@code .codes.i16}). */
        public Path file(String suffix) {
            return ReferenceData.file("vectors/" + name + suffix);
        }

        @Override
        public String toString() {
            return name;
        }
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

    /** A case by name. */
    public static Case named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Networks loaded from the reference models folder, offline, on the CPU; shared by all tests. */
    public static synchronized DecoderModels models() {
        if (models == null) {
            ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
            models = new DecoderModels(store, new InferenceSettings(Device.CPU, 2));
        }
        return models;
    }

    /** Default decoder options on the reference models. */
    public static DecoderOptions options() {
        return DecoderOptions.defaults().withModels(models());
    }
}
