package io.github.encodecstream.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range: bytes FIRST-LAST/TOTAL} header.
 *
 * @param first the first byte of the body in the file
 * @param last the last byte of the body in the file
 * @param total the file's length, or -1 for {@code *}
 */
public record ContentRange(long first, long last, long total) {
    /** Numbers of up to 18 digits, so that each fits a long (more: a bad header). */
    private static final Pattern HEADER = Pattern.compile("bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)",
            Pattern.CASE_INSENSITIVE);

    /** The header's range, or null when it is missing or malformed. */
    public static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = HEADER.matcher(header.strip());
        if (!m.matches()) {
            return null;
        }
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return new ContentRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total);
    }

    /** The exclusive end of the body in the file. */
    public long end() {
        return last + 1;
    }
}
