package io.github.encodecstream.cli;

/**
 * Text from files, URLs, servers and exceptions made safe to print on a terminal: every control
 * character (C0, DEL, C1), the line and paragraph separators and the bidirectional formatting
 * characters become a visible escape, {@code \xNN} below U+0100 and {@code \}{@code uNNNN} above,
 * so that a name such as {@code ESC]0;title BEL} cannot retitle, clear or recolour the user's
 * terminal, nor hide or reorder the text around it. Everything else, other Unicode included, is
 * kept. A backslash is kept as it is, so escaping twice changes nothing (messages are built from
 * messages); an escape in the output may therefore also be text that the file spelled out.
 *
 * <p>Every line the command line prints goes through {@link #escape}: error and log messages,
 * {@code info}, {@code -i} and {@code play}'s status line. JSON output ({@code info --json}) is not
 * escaped here: its own string escapes already leave no control character, and keep the text exact.
 */
final class TerminalText {
    private TerminalText() {}

    /** {@code text} with the characters that a terminal would act on escaped (null prints as {@code null}). */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int first = 0;
        while (first < text.length() && !acted(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!acted(c)) {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** Whether a terminal (or its bidirectional layout) acts on the character rather than showing it. */
    private static boolean acted(char c) {
        return Character.getType(c) == Character.CONTROL // C0, DEL, C1
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') // embeddings, isolates
                || c == '\u200e' || c == '\u200f' || c == '\u061c'; // direction marks
    }
}
