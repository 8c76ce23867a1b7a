package io.github.encodecstream.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codes.SegmentLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The keys of entropy-coded {@code encodec-stream-lm/1} files ({@code lmv}, {@code lmh}, {@code lms}), their checks
 * and the byte layout they give (version 2: {@link LmIndexTest}).
 */
class LmMetadataTest {
    private static EcdcMetadata.Builder lm48(long al, int... lms) {
        return EcdcMetadata.builder().family(ModelFamily.ENCODEC_48KHZ).audioLength(al).codebooks(4).lm(true)
                .lmVersion(EcdcMetadata.LM_VERSION_1).lmChecksum("0123abcd").lmSegmentBytes(lms);
    }

    private static EcdcHeader parse(String json) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(9 + j.length);
        b.put("ECDC".getBytes(StandardCharsets.US_ASCII)).put((byte) 193).putInt(j.length).put(j);
        return EcdcHeader.read(new ByteArrayInputStream(b.array()));
    }

    @Test
    void keysRoundTripThroughJson() throws IOException {
        EcdcMetadata m = lm48(60_000, 700, 150).build();
        assertEquals("{\"m\":\"encodec_48khz\",\"al\":60000,\"nc\":4,\"lm\":true,\"lmv\":\"encodec-stream-lm/1\","
                + "\"lmh\":\"0123abcd\",\"lms\":[700,150]}", m.toJson());
        EcdcHeader h = EcdcHeader.of(193, m);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.write(out);
        EcdcHeader back = EcdcHeader.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(m, back.metadata());
        assertTrue(back.metadata().codesDecodable());
        assertTrue(back.metadata().extra().isEmpty());
        back.requireCodesDecodable();
        SegmentLayout layout = SegmentLayout.of(back);
        assertTrue(layout.hasByteOffsets());
        long start = back.frameDataOffset();
        assertEquals(start, layout.byteOffset(0));
        assertEquals(start + 704, layout.byteOffset(1));
        assertEquals(start + 704 + 154, layout.endOffset());
        assertEquals(154, layout.byteSize(1));
    }

    @Test
    void invalidValuesAreFormatErrors() {
        String base = "{\"m\":\"encodec_48khz\",\"al\":60000,\"nc\":4,\"lm\":true,\"lmv\":\"encodec-stream-lm/1\","
                + "\"lmh\":\"0123abcd\",";
        assertThrows(EcdcFormatException.class, () -> parse(base + "\"lms\":[700]}")); // 2 segments
        assertThrows(EcdcFormatException.class, () -> parse(base + "\"lms\":[700,-1]}"));
        assertThrows(EcdcFormatException.class, () -> parse(base + "\"lms\":[700,99999999]}"));
        assertThrows(EcdcFormatException.class, () -> parse(base + "\"lms\":[700,1.5]}"));
        assertThrows(EcdcFormatException.class, () -> parse(base + "\"lms\":\"700\"}"));
        assertThrows(EcdcFormatException.class, () -> parse(
                "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":4,\"lm\":true,\"lmv\":\"x\",\"lmh\":\"0123ABCD\"}"));
        assertThrows(EcdcFormatException.class, () -> parse(
                "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":4,\"lm\":false,\"lmv\":\"encodec-stream-lm/1\"}"));
        assertThrows(EcdcFormatException.class, () -> parse(
                "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":true,\"lmv\":\"encodec-stream-lm/1\","
                        + "\"lmh\":\"0123abcd\",\"lms\":[3]}"));
    }

    @Test
    void undecodableLmFilesAreReadableButRefused() throws IOException {
        EcdcHeader unknown = parse("{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":true,"
                + "\"lmv\":\"encodec-stream-lm/9\",\"lmh\":\"0123abcd\"}");
        assertFalse(unknown.metadata().codesDecodable());
        UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class,
                unknown::requireCodesDecodable);
        assertTrue(e.getMessage().contains("unknown LM version"), e.getMessage());
        EcdcHeader reference = parse("{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":2,\"lm\":true}");
        e = assertThrows(UnsupportedEcdcFeatureException.class, reference::requireCodesDecodable);
        assertTrue(e.getMessage().contains("floating-point arithmetic"), e.getMessage());
        assertFalse(SegmentLayout.of(reference).hasByteOffsets());
        EcdcHeader noLengths = parse("{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":2,\"lm\":true,"
                + "\"lmv\":\"encodec-stream-lm/1\",\"lmh\":\"0123abcd\"}");
        assertThrows(UnsupportedEcdcFeatureException.class, noLengths::requireCodesDecodable);
        assertArrayEquals(new int[] {5}, lm48(1, 5).build().lmSegmentBytes());
    }
}
