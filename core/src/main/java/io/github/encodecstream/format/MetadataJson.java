package io.github.encodecstream.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads and writes the metadata JSON; all range checks are {@link EcdcMetadata.Builder#build()}'s. */
final class MetadataJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private MetadataJson() {}

    /** Parses the JSON found at file offset {@code offset}; errors carry offsets into the file. */
    static EcdcMetadata parse(byte[] json, long offset) throws EcdcFormatException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new EcdcFormatException("metadata is not valid UTF-8", offset, e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            long at = where == null ? 0 : Math.max(0, where.getByteOffset());
            throw new EcdcFormatException("metadata is not valid JSON: " + e.getOriginalMessage(), offset + at, e);
        } catch (IOException e) {
            throw new EcdcFormatException("metadata is not valid JSON: " + e.getMessage(), offset, e);
        }
        if (root == null || !root.isObject()) {
            throw new EcdcFormatException("metadata is not a JSON object", offset);
        }
        try {
            return toMetadata(root);
        } catch (IllegalArgumentException e) {
            throw new EcdcFormatException("invalid metadata: " + e.getMessage(), offset, e);
        }
    }

    private static EcdcMetadata toMetadata(JsonNode root) {
        EcdcMetadata.Builder b = EcdcMetadata.builder();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "m": b.model(text(key, v)); break;
                case "al": b.audioLength(integer(key, v)); break;
                case "nc": b.codebooks(clampedInt(key, v)); break;
                case "lm":
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("'lm' must be true or false, not " + v);
                    }
                    b.lm(v.booleanValue());
                    break;
                case "lmv": b.lmVersion(text(key, v)); break;
                case "lmh": b.lmChecksum(text(key, v)); break;
                case "lms": b.lmSegmentBytes(lengths(v)); break;
                case "lmc": b.lmChunkSteps(clampedInt(key, v)); break;
                case "br":
                    if (!v.isNull() && !v.isNumber()) {
                        throw new IllegalArgumentException("'br' must be a number, not " + v);
                    }
                    b.bitrate(v.isNull() ? null : v.doubleValue());
                    break;
                case "sr":
                    b.shiftedSampleRate(v.isNull() ? null : clampedInt(key, v));
                    break;
                case "n": b.name(v.isNull() ? null : text(key, v)); break;
                case "s": b.source(v.isNull() ? null : text(key, v)); break;
                case "t": b.thumbnail(v.isNull() ? null : text(key, v)); break;
                default: b.putExtra(key, v);
            }
        }
        return b.build();
    }

    /** A JSON array of integers (each clamped to the int range; the builder checks the bounds). */
    private static int[] lengths(JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("'lms' must be an array of integers, not " + v.getNodeType());
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = clampedInt("lms", v.get(i));
        }
        return out;
    }

    private static String text(String key, JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string, not " + v);
        }
        return v.textValue();
    }

    /** An integral value; values beyond a long are clamped, so the builder's range check rejects them. */
    private static long integer(String key, JsonNode v) {
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, not " + v);
        }
        if (!v.canConvertToLong()) {
            return v.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return v.longValue();
    }

    /** An integral value clamped to the int range (the builder's range checks reject the clamped ends). */
    private static int clampedInt(String key, JsonNode v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, integer(key, v)));
    }

    static String write(EcdcMetadata m, EcdcMetadata.JsonStyle style) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (style == EcdcMetadata.JsonStyle.PYTHON) {
                g.setPrettyPrinter(new PythonPrinter());
            }
            g.writeStartObject();
            g.writeStringField("m", m.model());
            g.writeNumberField("al", m.audioLength());
            g.writeNumberField("nc", m.codebooks());
            g.writeBooleanField("lm", m.lm());
            writeOptional(g, "lmv", m.lmVersion());
            writeOptional(g, "lmh", m.lmChecksum());
            int[] lms = m.lmSegmentBytes();
            if (lms != null) {
                g.writeFieldName("lms");
                g.writeArray(lms, 0, lms.length);
            }
            if (m.lmChunkSteps() != null) {
                g.writeNumberField("lmc", m.lmChunkSteps());
            }
            if (m.bitrate() != null) {
                double br = m.bitrate();
                g.writeFieldName("br");
                if (br == Math.rint(br) && Math.abs(br) < 1e15) {
                    g.writeNumber((long) br);
                } else {
                    g.writeNumber(br);
                }
            }
            if (m.shiftedSampleRate() != null) {
                g.writeNumberField("sr", m.shiftedSampleRate());
            }
            writeOptional(g, "n", m.name());
            writeOptional(g, "s", m.source());
            writeOptional(g, "t", m.thumbnail());
            for (Map.Entry<String, JsonNode> e : m.extra().entrySet()) {
                g.writeFieldName(e.getKey());
                MAPPER.writeTree(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a StringWriter
        }
        return out.toString();
    }

    private static void writeOptional(JsonGenerator g, String key, String value) throws IOException {
        if (value != null) {
            g.writeStringField(key, value);
        }
    }

    /** Python's default separators: {@code ", "} and {@code ": "}, no line breaks. */
    private static final class PythonPrinter extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
