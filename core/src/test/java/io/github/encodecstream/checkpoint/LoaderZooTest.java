package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every tensor of {@code loader_zoo.json}, read from both the zip and the legacy file. */
class LoaderZooTest {
    private static final Map<String, Map<String, Tensor>> LOADED = new ConcurrentHashMap<>();

    private static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(ReferenceData.models().resolve("loader_zoo.json").toFile());
    }

    private static Map<String, Tensor> load(String file) {
        return LOADED.computeIfAbsent(file, f -> {
            try {
                return TorchCheckpoint.read(ReferenceData.models().resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Stream<Arguments> entries() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        JsonNode zoo = expected();
        for (String file : List.of("loader_zoo.th", "loader_zoo_legacy.th")) {
            zoo.fieldNames().forEachRemaining(name -> cases.add(Arguments.of(file, name)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("entries")
    void tensorMatchesReference(String file, String name) throws IOException {
        JsonNode want = expected().get(name);
        Tensor t = load(file).get(name);
        assertEquals(DType.valueOf(want.get("dtype").asText().toUpperCase(Locale.ROOT)), t.dtype());
        int[] shape = new int[want.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = want.get("shape").get(i).asInt();
        }
        assertArrayEquals(shape, t.shape());
        JsonNode values = want.get("values");
        assertEquals(values.size(), t.numel());
        float[] floats = t.toFloats();
        double[] doubles = t.toDoubles();
        long[] longs = t.toLongs();
        boolean[] bools = t.toBooleans();
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            double d = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
            String at = name + "[" + i + "]";
            assertEquals(d, doubles[i], 0.0, at); // exact: every stored value is representable
            assertEquals((float) d, floats[i], 0.0f, at);
            assertEquals((long) d, longs[i], at);
            assertEquals(d != 0, bools[i], at);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loader_zoo.th", "loader_zoo_legacy.th"})
    void keysInFileOrder(String file) throws IOException {
        List<String> want = new ArrayList<>();
        expected().fieldNames().forEachRemaining(want::add);
        assertEquals(want, new ArrayList<>(load(file).keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"loader_zoo.th", "loader_zoo_legacy.th"})
    void streamReadMatchesFileRead(String file) throws IOException {
        Path path = ReferenceData.models().resolve(file);
        Map<String, Tensor> fromStream;
        try (InputStream in = Files.newInputStream(path)) {
            fromStream = TorchCheckpoint.read(in);
        }
        assertEquals(load(file).keySet(), fromStream.keySet());
        load(file).forEach((k, t) -> assertArrayEquals(t.toDoubles(), fromStream.get(k).toDoubles(), 0.0, k));
    }
}
