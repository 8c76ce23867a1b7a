package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encodes the input of every non-LM reference case and compares with the reference encoder: codes
 * (at least 99.9% equal; a near-tie may go the other way), scales (within 1e-6 relative), and the
 * whole file (byte-identical when every code matches).
 */
class ReferenceEncodeTest {
    static final double MIN_AGREEMENT = 0.999;
    static final double SCALE_TOLERANCE = 1e-6;

    static Stream<Case> cases() {
        return ReferenceCases.nonLm();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceEncoder(Case c) throws IOException {
        byte[] file = Encoding.encode(Encoding.input(c), Encoding.options(c));
        Encoding.Segments ours = Encoding.read(file);
        List<int[]> expected = Encoding.referenceCodes(c);
        assertEquals(c.length(), ours.header().metadata().audioLength(), "al");
        assertEquals(c.codebooks(), ours.header().metadata().codebooks(), "nc");
        assertEquals(expected.size(), ours.codes().size(), "segments");
        long same = 0;
        long total = 0;
        double scaleError = 0;
        List<JsonNode> frames = Stream.of(c.json().get("frames")).flatMap(f -> {
            java.util.List<JsonNode> l = new java.util.ArrayList<>();
            f.forEach(l::add);
            return l.stream();
        }).toList();
        for (int s = 0; s < expected.size(); s++) {
            int[] e = expected.get(s);
            int[] a = ours.codes().get(s);
            assertEquals(e.length, a.length, "codes of segment " + s);
            for (int i = 0; i < e.length; i++) {
                total++;
                if (e[i] == a[i]) {
                    same++;
                }
            }
            JsonNode scale = frames.get(s).get("scale");
            if (!scale.isNull()) {
                double ref = scale.asDouble();
                scaleError = Math.max(scaleError, Math.abs(ours.scales().get(s) - ref) / ref);
            }
        }
        double agreement = total == 0 ? 1 : same / (double) total;
        byte[] reference = Files.readAllBytes(c.file(".ecdc"));
        boolean identical = java.util.Arrays.equals(reference, file);
        System.out.printf("encode %-20s codes %d/%d equal (%.5f%%), max scale rel. error %.3g, file %s%n", c.name(),
                same, total, 100 * agreement, scaleError, identical ? "byte-identical" : "differs");
        assertTrue(agreement >= MIN_AGREEMENT, c.name() + ": code agreement " + agreement);
        assertTrue(scaleError <= SCALE_TOLERANCE, c.name() + ": scale error " + scaleError);
        if (same == total) {
            assertArrayEquals(reference, file, c.name() + ": every code matches, so the file must be identical");
        }
    }
}
