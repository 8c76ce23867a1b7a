package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code info}: JSON and text output against the manifest and the seed files, and its errors. */
class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Case> cases() {
        return ReferenceCases.all().stream();
    }

    static Stream<Path> seeds() throws IOException {
        try (Stream<Path> files = Files.list(ReferenceData.file("seed"))) {
            return files.filter(p -> p.toString().endsWith(".ecdc")).sorted().collect(Collectors.toList()).stream();
        }
    }

    static JsonNode infoJson(Path file) throws IOException {
        CliRun run = CliRun.of("info", "--json", file.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        return JSON.readTree(run.stdout());
    }

    /** The header's own JSON, read independently of the library. */
    static JsonNode rawMetadata(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int length = b.getInt(5);
        return JSON.readTree(Arrays.copyOfRange(b.array(), 9, 9 + length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jsonMatchesManifest(Case c) throws IOException {
        JsonNode info = infoJson(c.file(".ecdc"));
        assertEquals(List.of("version", "model", "sample_rate", "channels", "length", "duration_seconds", "codebooks",
                "bandwidth_kbps", "lm", "lm_version", "lm_checksum", "lm_chunk_steps", "lm_index", "name", "source", "thumbnail",
                "extra"), fieldNames(info));
        assertEquals(0, info.get("version").asInt());
        assertEquals(c.model(), info.get("model").asText());
        assertEquals(c.sampleRate(), info.get("sample_rate").asInt());
        assertEquals(c.channels(), info.get("channels").asInt());
        assertEquals(c.length(), info.get("length").asLong());
        assertEquals(c.codebooks(), info.get("codebooks").asInt());
        assertEquals(c.lm(), info.get("lm").asBoolean());
        assertTrue(info.get("lm").isBoolean());
        assertEquals((double) c.length() / c.sampleRate(), info.get("duration_seconds").asDouble(), 1e-12);
        assertEquals(c.json().get("bandwidth").asDouble(), info.get("bandwidth_kbps").asDouble(), 1e-9);
        assertTrue(info.get("name").isNull());
        assertTrue(info.get("source").isNull());
        assertTrue(info.get("thumbnail").isNull());
        assertTrue(info.get("extra").isObject() && info.get("extra").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void jsonMatchesSeedKeys(Path file) throws IOException {
        JsonNode raw = rawMetadata(file);
        JsonNode info = infoJson(file);
        assertEquals(193, info.get("version").asInt());
        assertEquals(raw.get("m").asText(), info.get("model").asText());
        assertEquals(raw.get("al").asLong(), info.get("length").asLong());
        assertEquals(raw.get("nc").asInt(), info.get("codebooks").asInt());
        assertEquals(raw.get("sr").asInt(), info.get("sample_rate").asInt());
        assertEquals(raw.get("br").asDouble(), info.get("bandwidth_kbps").asDouble(), 1e-9);
        assertEquals(raw.get("al").asDouble() / raw.get("sr").asDouble(), info.get("duration_seconds").asDouble(), 1e-12);
        assertEquals(7.0, info.get("duration_seconds").asDouble(), 1e-12); // every seed file is 7 s of audio
        for (String[] keys : new String[][] {{"n", "name"}, {"s", "source"}, {"t", "thumbnail"}}) {
            JsonNode expected = raw.get(keys[0]);
            JsonNode actual = info.get(keys[1]);
            if (expected == null) {
                assertTrue(actual.isNull(), keys[1]);
            } else {
                assertEquals(expected.asText(), actual.asText(), keys[1]);
            }
        }
        assertEquals(raw.get("m").asText().equals("encodec_48khz") ? 2 : 1, info.get("channels").asInt());
    }

    @Test
    void seedInfoAgreesWithTheEarlierTool() throws IOException {
        Path file = ReferenceData.file("seed/seed_b6.ecdc");
        JsonNode info = infoJson(file);
        List<String> seedInfo = Files.readAllLines(ReferenceData.file("seed/seed_b6.seed-info.txt"));
        assertTrue(seedInfo.contains("Name: " + JSON.writeValueAsString(info.get("name").asText())), seedInfo.toString());
        assertTrue(seedInfo.contains("Source: \"" + info.get("source").asText() + "\""));
        assertTrue(seedInfo.contains("Thumbnail: \"" + info.get("thumbnail").asText() + "\""));
        assertTrue(seedInfo.contains("Duration: " + info.get("duration_seconds").asDouble()));
        assertTrue(seedInfo.contains("Sample Rate: " + info.get("sample_rate").asInt()));
        assertTrue(seedInfo.contains("AL: " + info.get("length").asLong()));
        assertTrue(seedInfo.contains("NC: " + info.get("codebooks").asInt()));
        assertEquals("Test Song", info.get("name").asText());
    }

    @Test
    void nonAsciiNameIsEscapedInJson() throws IOException {
        CliRun run = CliRun.of("info", "--json", ReferenceData.file("seed/seed_b4.5.ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.out().chars().allMatch(ch -> ch < 128), run.out());
        assertEquals("\u00dcber Lied \u2713", JSON.readTree(run.stdout()).get("name").asText());
    }

    @Test
    void textForm() {
        CliRun run = CliRun.of("info", ReferenceData.file("seed/seed_b6.ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().collect(Collectors.toList());
        assertEquals(List.of("version: 193", "model: encodec_48khz", "sample_rate: 48000", "channels: 2",
                "length: 336000", "duration_seconds: 7.0", "codebooks: 4", "bandwidth_kbps: 6.0", "lm: false",
                "name: Test Song", "source: https://example.com/test", "thumbnail: https://example.com/thumb.jpg",
                "weights: Meta's EnCodec checkpoint encodec_48khz-7e698e3e.th, licensed CC-BY-NC 4.0 (non-commercial),"
                        + " separately from encodec-stream and not part of it"),
                lines);
    }

    @Test
    void textFormLeavesOutAbsentKeysAndNamesEachFile() {
        Path a = ReferenceData.file("vectors/24k_bw6.ecdc");
        Path b = ReferenceData.file("vectors/48k_bw6_lm.ecdc");
        CliRun run = CliRun.of("info", a.toString(), b.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        String out = run.out();
        assertTrue(out.startsWith(a + ":\n"), out);
        assertTrue(out.contains("\n" + b + ":\n"), out);
        assertTrue(out.contains("lm: true"), out);
        assertFalse(out.contains("null"), out);
        assertFalse(out.contains("extra"), out);
    }

    @Test
    void missingFileExits3() {
        CliRun run = CliRun.of("info", "/no/such/file.ecdc");
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertEquals(List.of("encodec-stream: /no/such/file.ecdc: no such file or directory"), List.of(run.errLines()));
        assertEquals(0, run.stdout().length);
    }

    @Test
    void nonEcdcFileExits3() {
        Path wav = ReferenceData.file("audio/test_24k.wav");
        CliRun run = CliRun.of("info", "--json", wav.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().contains(wav + ": not an .ecdc file"), run.stderr());
    }

    @Test
    void truncatedHeaderExits3(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("cut.ecdc");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(ReferenceData.file("vectors/24k_short.ecdc")), 20));
        CliRun run = CliRun.of("info", cut.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().startsWith("encodec-stream: " + cut + ": "), run.stderr());
    }

    @Test
    void directoryExits3(@TempDir Path dir) {
        CliRun run = CliRun.of("info", dir.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
    }

    @Test
    void badFileAmongGoodOnesStillPrintsTheOthers() throws IOException {
        Path good = ReferenceData.file("vectors/48k_short.ecdc");
        CliRun run = CliRun.of("info", "--json", "/no/such/file.ecdc", good.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertEquals(1, run.errLines().length, run.stderr());
        assertEquals(100, JSON.readTree(run.stdout()).get("length").asInt());
    }

    @Test
    void usageErrors() {
        assertUsage(CliRun.of("info"));
        assertUsage(CliRun.of("info", "--bogus", "x.ecdc"));
    }

    static void assertUsage(CliRun run) {
        assertEquals(Main.USAGE, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().startsWith("encodec-stream: "), run.stderr());
        assertTrue(run.stderr().contains("--help"), run.stderr());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
