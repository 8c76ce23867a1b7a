package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Encodec-Stream's {@code -i}: the seed files' {@code seed-info.txt}, Python's number and JSON forms. */
class LegacyInfoTest {
    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6"})
    void matchesEncodecStream(String name) throws IOException {
        Path file = ReferenceData.file("seed/" + name + ".ecdc");
        CliRun run = CliRun.of("-i", file.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        List<String> expected = new ArrayList<>(Files.readAllLines(ReferenceData.file("seed/" + name + ".seed-info.txt")));
        if (expected.contains("M: \"encodec_24khz\"")) {
            // the one deliberate difference: Encodec-Stream printed twice the duration of 24 kHz files
            int at = expected.indexOf("Duration: 14.0");
            expected.set(at, "Duration: 7.0");
        }
        assertEquals(expected, run.out().lines().toList());
    }

    @Test
    void otherKeysAreUpperCasedJsonInFileOrder(@TempDir Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        EcdcMetadata m = EcdcMetadata.builder().model("encodec_48khz").audioLength(96_000).codebooks(4).lm(false)
                .putExtra("zeta", json.readTree("{\"a\": [1, 2.5, \"\\u00e9\\n\"], \"b\": null}"))
                .putExtra("big", json.readTree("1e20")).putExtra("tiny", json.readTree("0.00001")).build();
        Path file = dir.resolve("x.ecdc");
        Files.write(file, EcdcHeader.of(0, m).toBytes());
        CliRun run = CliRun.of("-i", file.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals(List.of("Version: 0", "Duration: 2.0", "M: \"encodec_48khz\"", "AL: 96000", "NC: 4", "LM: false",
                "ZETA: {\"a\": [1, 2.5, \"\\u00e9\\n\"], \"b\": null}", "BIG: 1e+20", "TINY: 1e-05"), run.out().lines().toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"7.0|7.0", "14|14.0", "0.75|0.75", "-2.5|-2.5", "1e16|1e+16", "1.5e-5|1.5e-05",
        "0.0001|0.0001", "123456789012345.6|123456789012345.6", "1234567890123456.0|1234567890123456.0",
        "2.3333333333333335|2.3333333333333335", "0.1|0.1", "100|100.0", "1e-4|0.0001", "9.99e-5|9.99e-05",
        "3.0e100|3e+100", "0|0.0", "-0.0|-0.0"})
    void pythonRepr(double value, String python) {
        assertEquals(python, PythonJson.repr(value));
    }

    @Test
    void pythonJsonStrings() {
        StringBuilder out = new StringBuilder();
        PythonJson.string("\u00dcber \"Lied\" \u2713 \\ / \t\u0001\u007f\ud83d\ude00", out);
        assertEquals("\"\\u00dcber \\\"Lied\\\" \\u2713 \\\\ / \\t\\u0001\\u007f\\ud83d\\ude00\"", out.toString());
    }
}
