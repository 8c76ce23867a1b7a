package io.github.encodecstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Values written as Python writes them: {@code json.dumps} (default separators {@code ", "} and
 * {@code ": "}, non-ASCII escaped as lower-case {@code \}{@code uXXXX}) and {@code repr} of a float,
 * as Encodec-Stream's {@code -i} printed them.
 */
final class PythonJson {
    private PythonJson() {}

    /** {@code json.dumps(value)} of a parsed JSON value. */
    static String dumps(JsonNode v) {
        StringBuilder out = new StringBuilder();
        write(v, out);
        return out.toString();
    }

    private static void write(JsonNode v, StringBuilder out) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            out.append("null");
        } else if (v.isBoolean()) {
            out.append(v.booleanValue() ? "true" : "false");
        } else if (v.isIntegralNumber()) {
            out.append(v.bigIntegerValue());
        } else if (v.isNumber()) {
            out.append(repr(v.doubleValue()));
        } else if (v.isTextual()) {
            string(v.textValue(), out);
        } else if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(v.get(i), out);
            }
            out.append(']');
        } else if (v.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!first) {
                    out.append(", ");
                }
                first = false;
                string(e.getKey(), out);
                out.append(": ");
                write(e.getValue(), out);
            }
            out.append('}');
        } else {
            string(v.asText(), out);
        }
    }

    /** A JSON string with Python's {@code ensure_ascii} escapes. */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double, fixed
     * notation with at least one decimal for decimal exponents -4..15, else {@code 1.5e-05} style.
     */
    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = b.unscaledValue().toString();
        int exponent = digits.length() - 1 - b.scale(); // of the first digit
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            out.append(e < 10 ? "0" : "").append(e);
        } else if (exponent >= digits.length() - 1) {
            out.append(digits).append("0".repeat(exponent - digits.length() + 1)).append(".0");
        } else if (exponent >= 0) {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        } else {
            out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        }
        return out.toString();
    }
}
