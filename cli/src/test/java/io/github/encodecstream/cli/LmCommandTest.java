package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code encode --lm}, {@code -e OUT --lm}, decoding and {@code info} of the entropy-coded files. */
@ExtendWith(ReferenceModels.class)
class LmCommandTest {

    @Test
    void encodeLmDecodesToThePlainFilesAudio(@TempDir Path dir) throws Exception {
        Path wav = EncodeCommandTest.wavSlice(ReferenceData.file("audio/test_48k.wav"), 60_000, dir);
        Path plain = dir.resolve("plain.ecdc");
        Path coded = dir.resolve("lm.ecdc");
        CliRun a = CliRun.of("encode", "-q", "-b", "6", "-o", plain.toString(), wav.toString());
        assertEquals(Main.OK, a.exitCode(), a.toString());
        CliRun b = CliRun.of("encode", "-q", "-b", "6", "--lm", "-o", coded.toString(), wav.toString());
        assertEquals(Main.OK, b.exitCode(), b.toString());
        EcdcMetadata m = EcdcBytes.read(Files.readAllBytes(coded)).metadata();
        assertTrue(m.lm());
        assertEquals(EcdcMetadata.LM_VERSION, m.lmVersion());
        Path outA = dir.resolve("a.f32");
        Path outB = dir.resolve("b.f32");
        CliRun da = CliRun.of("decode", "-q", "--native", "-o", outA.toString(), plain.toString());
        assertEquals(Main.OK, da.exitCode(), da.toString());
        CliRun db = CliRun.of("decode", "-q", "--native", "-o", outB.toString(), coded.toString());
        assertEquals(Main.OK, db.exitCode(), db.toString());
        assertArrayEquals(Files.readAllBytes(outA), Files.readAllBytes(outB));
        CliRun info = CliRun.of("info", "--json", coded.toString());
        assertEquals(Main.OK, info.exitCode(), info.toString());
        assertTrue(info.out().replace(" ", "").contains("\"lm_version\":\"encodec-stream-lm/2\""), info.out());
        CliRun text = CliRun.of("info", coded.toString());
        assertTrue(text.out().contains("lm_version: encodec-stream-lm/2"), text.toString() + text.out());
    }

    @Test
    void legacyEncodeWithLm(@TempDir Path dir) throws Exception {
        byte[] pcm = Arrays.copyOf(EncodeCommandTest.wavBytes(ReferenceData.file("audio/test_48k.wav"), 48_000),
                48_000 * 4);
        Path out = dir.resolve("lm.ecdc");
        CliRun run = CliRun.withInput(pcm, "-e", out.toString(), "--lm");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        EcdcHeader h = EcdcBytes.read(Files.readAllBytes(out));
        assertEquals(EcdcMetadata.LM_VERSION, h.metadata().lmVersion());
        assertEquals(2, h.lmIndex().count());
        CliRun misuse = CliRun.of("--lm", "-i", out.toString());
        assertEquals(2, misuse.exitCode(), misuse.toString());
    }
}
