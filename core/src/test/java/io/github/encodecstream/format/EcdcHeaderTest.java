package io.github.encodecstream.format;

import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceCases;

import io.github.encodecstream.files.CountingInputStream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EcdcHeaderTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#all")
    void headerMatchesManifest(ReferenceCases.Case c) throws IOException {
        byte[] file = Files.readAllBytes(c.ecdc());
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(file));
        EcdcHeader h = EcdcHeader.read(in);
        assertEquals(EcdcHeader.VERSION_REFERENCE, h.version());
        assertEquals(c.model(), h.metadata().model());
        assertEquals(c.length(), h.metadata().audioLength());
        assertEquals(c.codebooks(), h.metadata().codebooks());
        assertEquals(c.lm(), h.metadata().lm());
        assertNull(h.metadata().bitrate());
        assertNull(h.metadata().shiftedSampleRate());
        assertTrue(h.metadata().extra().isEmpty());
        assertEquals(h.family().sampleRate(), h.metadata().effectiveSampleRate());
        assertEquals(EcdcHeader.FIXED_LENGTH + ByteBuffer.wrap(file, 5, 4).getInt(), h.frameDataOffset());
        assertEquals(h.frameDataOffset(), in.count(), "read exactly the header");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#allFiles")
    void headerBytesRoundTrip(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        EcdcHeader h = EcdcHeader.read(new ByteArrayInputStream(bytes));
        byte[] original = Arrays.copyOf(bytes, (int) h.frameDataOffset());
        assertArrayEquals(original, h.toBytes());
        EcdcHeader rewritten = EcdcHeader.of(h.version(), h.metadata());
        assertArrayEquals(original, rewritten.toBytes(), "re-serialised in the writer's own style");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewritten.write(out);
        assertArrayEquals(original, out.toByteArray());
        assertEquals(h.metadata(), EcdcHeader.read(new ByteArrayInputStream(out.toByteArray())).metadata());
    }

    @Test
    void seedHeadersCarryEncodecStreamKeys() throws IOException {
        EcdcMetadata b6 = read(ReferenceCases.seed("seed_b6")).metadata();
        assertEquals("encodec_48khz", b6.model());
        assertEquals(336_000, b6.audioLength());
        assertEquals(4, b6.codebooks());
        assertFalse(b6.lm());
        assertEquals(6.0, b6.bitrate());
        assertEquals(48_000, b6.shiftedSampleRate());
        assertEquals("Test Song", b6.name());
        assertEquals("https://example.com/test", b6.source());
        assertEquals("https://example.com/thumb.jpg", b6.thumbnail());
        assertEquals(7.0, b6.durationSeconds());

        EcdcMetadata b45 = read(ReferenceCases.seed("seed_b4.5")).metadata();
        assertEquals("\u00dcber Lied \u2713", b45.name());
        assertEquals(4.5, b45.bitrate());
        assertEquals(72_000, b45.effectiveSampleRate());
        assertNull(b45.source());
        assertNull(b45.thumbnail());

        EcdcMetadata b075 = read(ReferenceCases.seed("seed_b0.75")).metadata();
        assertEquals(ModelFamily.ENCODEC_24KHZ, b075.family());
        assertEquals(0.75, b075.bitrate());
        assertEquals(12_000, b075.effectiveSampleRate());
        // the old tool printed 14.0 here: it doubled 24 kHz durations
        assertEquals(7.0, b075.durationSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6"})
    void seedHeadersAreVersion193WithSevenSeconds(String seed) throws IOException {
        EcdcHeader h = read(ReferenceCases.seed(seed));
        assertEquals(EcdcHeader.VERSION_STREAM, h.version());
        assertEquals(7.0, h.metadata().durationSeconds(), 1e-9);
        assertTrue(h.metadata().bitrate() > 0);
    }

    // ---- bad input ----

    @Test
    void wrongMagicIsNotEcdc() {
        NotEcdcException e = assertThrows(NotEcdcException.class,
                () -> EcdcHeader.read(new ByteArrayInputStream("RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(0, e.byteOffset());
        e = assertThrows(NotEcdcException.class,
                () -> EcdcHeader.read(new ByteArrayInputStream("ECDX\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(3, e.byteOffset());
        assertTrue(e.getMessage().contains("at byte 3"), e.getMessage());
        assertInstanceOf(EcdcFormatException.class, e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.encodecstream.testing.ReferenceCases#allFiles")
    void truncatedHeaderAtEveryLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (int) read(file).frameDataOffset();
        for (int cut = 0; cut < headerLength; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            TruncatedEcdcException e = assertThrows(TruncatedEcdcException.class,
                    () -> EcdcHeader.read(new ByteArrayInputStream(part)), "cut at " + cut);
            assertEquals(cut, e.byteOffset(), "cut at " + cut);
            assertTrue(e.getMessage().contains("at byte " + cut), e.getMessage());
        }
    }

    @Test
    void unknownVersion() {
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> parse(1, "{}"));
        assertEquals(4, e.byteOffset());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EcdcHeader.of(194, minimal().build()));
    }

    @ParameterizedTest
    @ValueSource(longs = {0x7fffffffL, 0xffffffffL, EcdcHeader.MAX_JSON_LENGTH + 1L})
    void absurdJsonLengthFailsBeforeAllocating(long length) {
        ByteBuffer b = ByteBuffer.allocate(9).put(EcdcHeader.MAGIC).put((byte) 193).putInt((int) length);
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(b.array()) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                if (len > 1 << 16) {
                    throw new AssertionError("asked for " + len + " bytes");
                }
                return super.read(buf, off, len);
            }
        });
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> EcdcHeader.read(in));
        assertEquals(5, e.byteOffset());
        assertEquals(9, in.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "{", "{\"m\": \"encodec_24khz\", \"al\": 1", "[1, 2]", "null", "\"x\"",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":false} x",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":false,\"al\":2}",
        "{'m':'encodec_24khz'}"})
    void brokenJson(String json) {
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> parse(0, json));
        assertTrue(e.byteOffset() >= EcdcHeader.FIXED_LENGTH, e.getMessage());
        assertTrue(e.byteOffset() <= EcdcHeader.FIXED_LENGTH + json.length(), e.getMessage());
        assertFalse(e instanceof NotEcdcException);
    }

    @Test
    void invalidUtf8() {
        byte[] json = "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":false,\"n\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> EcdcHeader.read(new ByteArrayInputStream(EcdcBytes.header(0, json))));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"m\":\"encodec_96khz\",\"al\":1,\"nc\":2,\"lm\":false}|unknown model 'encodec_96khz'",
        "{\"m\":1,\"al\":1,\"nc\":2,\"lm\":false}|'m' must be a string",
        "{\"al\":1,\"nc\":2,\"lm\":false}|missing required key m",
        "{\"m\":\"encodec_24khz\",\"nc\":2,\"lm\":false}|missing required key al",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"lm\":false}|missing required key nc",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2}|missing required key lm",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":0,\"lm\":false}|nc = 0",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":33,\"lm\":false}|nc = 33",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":17,\"lm\":false}|nc = 17",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":-1,\"lm\":false}|nc = -1",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2.0,\"lm\":false}|'nc' must be an integer",
        "{\"m\":\"encodec_48khz\",\"al\":-1,\"nc\":2,\"lm\":false}|al = -1",
        "{\"m\":\"encodec_48khz\",\"al\":29030400001,\"nc\":2,\"lm\":false}|al = 29030400001",
        "{\"m\":\"encodec_48khz\",\"al\":1000000000000000000000,\"nc\":2,\"lm\":false}|is outside",
        "{\"m\":\"encodec_48khz\",\"al\":1.5,\"nc\":2,\"lm\":false}|'al' must be an integer",
        "{\"m\":\"encodec_48khz\",\"al\":\"100\",\"nc\":2,\"lm\":false}|'al' must be an integer",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":0}|'lm' must be true or false",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":false,\"sr\":0}|sr = 0",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":false,\"sr\":48000.5}|'sr' must be an integer",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":false,\"br\":\"6\"}|'br' must be a number",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":false,\"br\":-6}|br = -6",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":false,\"n\":5}|'n' must be a string"})
    void invalidMetadata(String caseText) {
        String[] parts = caseText.split("\\|");
        EcdcFormatException e = assertThrows(EcdcFormatException.class, () -> parse(193, parts[0]));
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
        assertEquals(EcdcHeader.FIXED_LENGTH, e.byteOffset());
    }

    @Test
    void boundsAreAccepted() throws IOException {
        EcdcMetadata m = parse(193, "{\"m\":\"encodec_48khz\",\"al\":29030400000,\"nc\":16,\"lm\":true}").metadata();
        assertEquals(EcdcMetadata.MAX_AUDIO_LENGTH, m.audioLength());
        assertEquals(32, parse(0, "{\"m\":\"encodec_24khz\",\"al\":0,\"nc\":32,\"lm\":false}").metadata().codebooks());
        assertEquals(1, parse(192, "{\"m\":\"encodec_24khz\",\"al\":0,\"nc\":1,\"lm\":false}").metadata().codebooks());
    }

    @Test
    void unknownKeysAreKeptInOrderAndNullOptionalsAreAbsent() throws IOException {
        String json = "{\"zz\":1,\"m\":\"encodec_48khz\",\"al\":5,\"aa\":{\"x\":[1,2.5,\"\u00e9\"]},\"nc\":2,"
                + "\"lm\":false,\"n\":null,\"mm\":null}";
        EcdcHeader h = parse(193, json);
        assertEquals(List.of("zz", "aa", "mm"), List.copyOf(h.metadata().extra().keySet()));
        assertNull(h.metadata().name());
        assertEquals("{\"m\":\"encodec_48khz\",\"al\":5,\"nc\":2,\"lm\":false,\"zz\":1,\"aa\":{\"x\":[1,2.5,\"\\u00e9\"]},\"mm\":null}",
                h.metadata().toJson());
        assertEquals("{\"m\": \"encodec_48khz\", \"al\": 5, \"nc\": 2, \"lm\": false, \"zz\": 1, \"aa\": {\"x\": [1, 2.5, \"\\u00e9\"]}, \"mm\": null}",
                h.metadata().toJson(EcdcMetadata.JsonStyle.PYTHON));
        EcdcHeader again = EcdcHeader.read(new ByteArrayInputStream(EcdcHeader.of(193, h.metadata()).toBytes()));
        assertEquals(h.metadata(), again.metadata());
    }

    private static EcdcHeader read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return EcdcHeader.read(in);
        }
    }

    static EcdcHeader parse(int version, String json) throws IOException {
        return EcdcHeader.read(new ByteArrayInputStream(EcdcBytes.header(version, json.getBytes(StandardCharsets.UTF_8))));
    }

    private static EcdcMetadata.Builder minimal() {
        return EcdcMetadata.builder().family(ModelFamily.ENCODEC_24KHZ).audioLength(0).codebooks(2).lm(false);
    }
}
