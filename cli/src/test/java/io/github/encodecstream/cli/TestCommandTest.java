package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code test FILE...}: good, damaged, cut and plain files; the exit code and one line per problem. */
@ExtendWith(ReferenceModels.class)
class TestCommandTest {

    @Test
    void verifiesLmAndPlainFiles(@TempDir Path dir) throws Exception {
        Path wav = EncodeCommandTest.wavSlice(ReferenceData.file("audio/test_48k.wav"), 100_000, dir);
        Path plain = dir.resolve("plain.ecdc");
        Path coded = dir.resolve("lm.ecdc");
        assertEquals(Main.OK, CliRun.of("encode", "-q", "-b", "6", "-o", plain.toString(), wav.toString()).exitCode());
        assertEquals(Main.OK, CliRun.of("encode", "-q", "-b", "6", "--lm", "-o", coded.toString(), wav.toString())
                .exitCode());

        CliRun good = CliRun.of("test", coded.toString(), plain.toString());
        assertEquals(Main.OK, good.exitCode(), good.toString());
        assertTrue(good.out().contains(coded + ": ok (checked: header, LM index and header CRC, 3 segment checksums"),
                good.out());
        assertTrue(good.out().contains(plain + ": ok (checked: header, 3 segment lengths and scales)"), good.out());

        byte[] bytes = Files.readAllBytes(coded);
        EcdcHeader h = EcdcBytes.read(bytes);
        int segment1 = (int) (h.frameDataOffset() + 4 + h.lmIndex().length(0) + 4 + 10);
        byte[] flipped = bytes.clone();
        flipped[segment1] ^= 1;
        Path damaged = dir.resolve("damaged.ecdc");
        Files.write(damaged, flipped);
        CliRun bad = CliRun.of("test", coded.toString(), damaged.toString());
        assertEquals(Main.BAD_INPUT, bad.exitCode(), bad.toString());
        String[] lines = bad.out().split("\n");
        assertEquals(3, lines.length, bad.out());
        assertTrue(lines[1].startsWith(damaged + ": 0.990 s to 1.990 s: segment 1 is damaged: its CRC-32C"), lines[1]);
        assertTrue(lines[2].startsWith(damaged + ": 1 problem"), lines[2]);

        Path cut = dir.resolve("cut.ecdc");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        CliRun truncated = CliRun.of("test", cut.toString());
        assertEquals(Main.BAD_INPUT, truncated.exitCode(), truncated.toString());
        assertTrue(truncated.out().contains("1.980 s to 2.083 s: the file ends inside segment 2"), truncated.out());

        byte[] header = bytes.clone();
        header[20] ^= 4;
        Path badHeader = dir.resolve("header.ecdc");
        Files.write(badHeader, header);
        CliRun headerRun = CliRun.of("test", badHeader.toString());
        assertEquals(Main.BAD_INPUT, headerRun.exitCode(), headerRun.toString());

        CliRun info = CliRun.of("info", "--json", coded.toString());
        assertTrue(info.out().replace(" ", "").contains("\"lm_index\":true"), info.out());
        CliRun legacy = CliRun.of("-i", coded.toString()); // the JSON as stored, not the index after it
        assertEquals(Main.OK, legacy.exitCode(), legacy.toString());
        assertTrue(legacy.out().contains("encodec-stream-lm/2"), legacy.out());
        CliRun infoDamaged = CliRun.of("info", badHeader.toString());
        assertEquals(Main.BAD_INPUT, infoDamaged.exitCode(), infoDamaged.toString());
    }

    @Test
    void missingFileIsBadInput(@TempDir Path dir) {
        CliRun run = CliRun.of("test", dir.resolve("none.ecdc").toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
    }
}
