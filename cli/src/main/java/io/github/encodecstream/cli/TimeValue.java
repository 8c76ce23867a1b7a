package io.github.encodecstream.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import picocli.CommandLine;

/**
 * A point in time for {@code -ss} and {@code -to}: seconds ({@code 2.5}) or {@code [[H:]M:]S[.frac]}
 * ({@code 1:02.5}), kept exactly as a decimal so that {@code round(t × rate)} is exact.
 */
record TimeValue(BigDecimal seconds, String text) {
    /** Parses a time; picocli reports a bad one as a usage error. */
    static TimeValue parse(String text) {
        String s = text.strip();
        String[] parts = s.split(":", -1);
        if (parts.length > 3 || s.isEmpty()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a time (seconds, or [[H:]M:]S)");
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (!(last ? p.matches("\\d+(\\.\\d*)?|\\.\\d+") : p.matches("\\d+"))) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a time (seconds, or [[H:]M:]S)");
            }
            total = total.multiply(BigDecimal.valueOf(60)).add(new BigDecimal(p.startsWith(".") ? "0" + p : p));
        }
        return new TimeValue(total, s);
    }

    /** {@code round(seconds × rate)}, halves up. */
    long samples(int rate) {
        return seconds.multiply(BigDecimal.valueOf(rate)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    @Override
    public String toString() {
        return text;
    }

    /** The picocli converter. */
    static final class Converter implements CommandLine.ITypeConverter<TimeValue> {
        @Override
        public TimeValue convert(String value) {
            return parse(value);
        }
    }
}
