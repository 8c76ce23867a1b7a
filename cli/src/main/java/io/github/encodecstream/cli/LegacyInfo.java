package io.github.encodecstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Encodec-Stream's {@code -i} output: {@code Key: value} lines. {@code Version}; then {@code Name},
 * {@code Duration}, {@code Sample Rate}, {@code Bitrate}, {@code Thumbnail}, {@code Source}, each only
 * when present (the duration is always known); then every other metadata key in file order,
 * upper-cased, with its value as {@code json.dumps} writes it. Names, thumbnails and sources are
 * JSON strings too; numbers are written as Python prints them ({@code 7.0}, {@code 0.75}, {@code 6}).
 *
 * <p>One difference: Encodec-Stream printed a duration twice too long for files of the 24 kHz
 * model; this prints {@code al / sr}, the true playing time.
 */
final class LegacyInfo {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SHOWN = Set.of("n", "sr", "br", "t", "s");

    private LegacyInfo() {}

    /**
     * The lines for a header, ready to print: values are escaped as {@code json.dumps} does, and
     * what is left (a key's control characters) by {@link TerminalText}.
     */
    static List<String> lines(EcdcHeader header) {
        EcdcMetadata m = header.metadata();
        JsonNode raw = rawJson(header);
        List<String> out = new ArrayList<>();
        out.add("Version: " + header.version());
        if (present(raw, "n")) {
            out.add("Name: " + PythonJson.dumps(raw.get("n")));
        }
        out.add("Duration: " + PythonJson.repr(m.durationSeconds()));
        if (present(raw, "sr")) {
            out.add("Sample Rate: " + PythonJson.dumps(raw.get("sr")));
        }
        if (present(raw, "br")) {
            out.add("Bitrate: " + PythonJson.dumps(raw.get("br")));
        }
        if (present(raw, "t")) {
            out.add("Thumbnail: " + PythonJson.dumps(raw.get("t")));
        }
        if (present(raw, "s")) {
            out.add("Source: " + PythonJson.dumps(raw.get("s")));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = raw.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (!SHOWN.contains(e.getKey())) {
                out.add(e.getKey().toUpperCase(Locale.ROOT) + ": " + PythonJson.dumps(e.getValue()));
            }
        }
        out.replaceAll(TerminalText::escape);
        return out;
    }

    private static boolean present(JsonNode raw, String key) {
        return raw.has(key) && !raw.get(key).isNull();
    }

    /** The header's JSON as stored, keys in file order (it was validated when the header was read). */
    private static JsonNode rawJson(EcdcHeader header) {
        byte[] bytes = header.toBytes();
        try {
            return JSON.readTree(Arrays.copyOfRange(bytes, EcdcHeader.FIXED_LENGTH,
                    EcdcHeader.FIXED_LENGTH + header.jsonLength()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
