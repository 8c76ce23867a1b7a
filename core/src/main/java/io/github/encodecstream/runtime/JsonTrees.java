package io.github.encodecstream.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads one JSON document into a {@link JsonNode} tree with jackson-core's streaming parser: the
 * nodes {@code ObjectMapper.readTree} makes (keys in document order; integers as int, long or
 * big-integer nodes by size, other numbers as doubles), duplicate keys and trailing tokens
 * rejected, but without databind's {@code ObjectMapper}, whose set-up costs a short command about
 * 0.2 s of CPU and 500 classes (docs/PERFORMANCE.md, "Start-up"). Internal, not API.
 */
public final class JsonTrees {
    /** Strict: a repeated key is an error. Thread-safe, as every {@link JsonFactory}. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    /**
     * The tree of the JSON document in {@code json} (UTF-8, -16 or -32, detected as Jackson does);
     * null for a document with no value (empty or blank).
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException invalid JSON, a repeated key or
     *     anything after the value; its location is where the parser stopped
     */
    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode root = value(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p,
                        "Trailing token (of type " + trailing + ") found after value");
            }
            return root;
        }
    }

    /** The value starting at the parser's current token; leaves the parser on its last token. */
    private static JsonNode value(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode node = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    node.set(key, value(p));
                }
                return node;
            }
            case START_ARRAY: {
                ArrayNode node = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    node.add(value(p));
                }
                return node;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return NODES.numberNode(p.getIntValue());
                    case LONG: return NODES.numberNode(p.getLongValue());
                    default: return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default: // an embedded object: never from a textual JSON parser
                throw new JsonParseException(p, "unexpected token " + p.currentToken());
        }
    }
}
