package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code -ss} / {@code -to} values and their exact sample positions. */
class TimeValueTest {
    @ParameterizedTest
    @CsvSource({"2.5, 48000, 120000", "5, 48000, 240000", "0, 48000, 0", "1:02.5, 48000, 3000000",
        "1:00:00, 48000, 172800000", ".5, 12000, 6000", "3., 24000, 72000", "0.1, 44100, 4410",
        "0.00001, 48000, 0", "0.0000104166666666666667, 48000, 1", "0.00003125, 48000, 2", "0.0000208333, 48000, 1"})
    void samples(String text, int rate, long expected) {
        assertEquals(expected, TimeValue.parse(text).samples(rate));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1:2:3:4", "1e3", "1:", ":5", "1.5:00", "NaN", "1,5"})
    void rejected(String text) {
        assertThrows(CommandLine.TypeConversionException.class, () -> TimeValue.parse(text));
    }
}
