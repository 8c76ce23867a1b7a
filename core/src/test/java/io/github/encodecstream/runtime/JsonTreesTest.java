package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonTrees} makes the trees databind's {@code readTree} makes, and rejects what it rejects. */
class JsonTreesTest {
    /** The mapper the metadata was read with before: strict keys, no trailing tokens. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"m\":\"encodec_48khz\",\"al\":48000,\"nc\":8,\"lm\":false}",
        "{\"br\": 6, \"sr\": 48000.0, \"n\": \"\\u00e9t\\u00e9 \\ud83c\\udfb5\", \"t\": null}",
        "{\"int\": 2147483647, \"long\": 2147483648, \"big\": 123456789012345678901234567890, \"neg\": -9223372036854775809}",
        "{\"d\": 0.1, \"e\": 1e400, \"f\": -0.0, \"g\": 1E-5, \"h\": 12345678901234567890.5}",
        "{\"x\": {\"y\": [1, [2, {}], [], {\"z\": true}]}, \"w\": [null, false, \"s\"]}",
        "[1, 2, 3]", "\"text\"", "42", "null", "  {}  "})
    void sameTreeAsDatabind(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = MAPPER.readTree(bytes);
        JsonNode actual = JsonTrees.read(bytes);
        assertEquals(expected, actual);
        assertEquals(types(expected), types(actual));
        assertEquals(expected.toString(), actual.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":1}{}", "[1] 2", "{\"a\":}", "{\"a\":1",
        "{'a':1}", "[1,]", "nul", "{\"a\":NaN}"})
    void rejectsWhatDatabindRejects(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(bytes));
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonTrees.read(bytes));
        assertTrue(e.getLocation() != null && e.getLocation().getByteOffset() >= 0, e.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void noValueIsNull(String json) throws Exception {
        assertNull(JsonTrees.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The node classes of a tree, depth first, keys in order. */
    private static List<String> types(JsonNode node) {
        List<String> out = new ArrayList<>();
        out.add(node.getClass().getSimpleName());
        if (node.isObject()) {
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                out.add(key);
                out.addAll(types(node.get(key)));
            }
        } else if (node.isArray()) {
            node.forEach(child -> out.addAll(types(child)));
        }
        return out;
    }
}
