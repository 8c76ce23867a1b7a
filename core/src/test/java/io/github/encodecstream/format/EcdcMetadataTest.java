package io.github.encodecstream.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EcdcMetadataTest {
    private static EcdcMetadata.Builder base() {
        return EcdcMetadata.builder().family(ModelFamily.ENCODEC_48KHZ).audioLength(336_000).codebooks(4).lm(false);
    }

    @Test
    void writesEncodecStreamStyle() {
        EcdcMetadata m = base().bitrate(6.0).shiftedSampleRate(48_000).name("Test Song")
                .source("https://example.com/test").thumbnail("https://example.com/thumb.jpg").build();
        assertEquals("{\"m\":\"encodec_48khz\",\"al\":336000,\"nc\":4,\"lm\":false,\"br\":6,\"sr\":48000,"
                + "\"n\":\"Test Song\",\"s\":\"https://example.com/test\",\"t\":\"https://example.com/thumb.jpg\"}",
                m.toJson());
        assertEquals("{\"m\": \"encodec_48khz\", \"al\": 336000, \"nc\": 4, \"lm\": false, \"br\": 6, \"sr\": 48000, "
                + "\"n\": \"Test Song\", \"s\": \"https://example.com/test\", \"t\": \"https://example.com/thumb.jpg\"}",
                m.toJson(EcdcMetadata.JsonStyle.PYTHON));
        assertEquals("{\"m\":\"encodec_48khz\",\"al\":336000,\"nc\":4,\"lm\":false,\"br\":4.5,\"n\":\"\\u00dc \\ud83c\\udfb5\"}",
                base().bitrate(4.5).name("\u00dc \ud83c\udfb5").build().toJson());
    }

    @Test
    void effectiveSampleRate() {
        assertEquals(48_000, base().build().effectiveSampleRate());
        assertEquals(7.0, base().build().durationSeconds());
        assertEquals(64_000, base().shiftedSampleRate(64_000).build().effectiveSampleRate());
        assertEquals(24_000, base().family(ModelFamily.ENCODEC_24KHZ).build().effectiveSampleRate());
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> base().model("encodec_32khz").build());
        assertThrows(IllegalArgumentException.class, () -> base().codebooks(0).build());
        assertThrows(IllegalArgumentException.class, () -> base().codebooks(17).build());
        assertThrows(IllegalArgumentException.class, () -> base().audioLength(-1).build());
        assertThrows(IllegalArgumentException.class, () -> base().audioLength(EcdcMetadata.MAX_AUDIO_LENGTH + 1).build());
        assertThrows(IllegalArgumentException.class, () -> base().bitrate(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> base().shiftedSampleRate(0).build());
        assertThrows(IllegalArgumentException.class, () -> base().putExtra("sr", JsonNodeFactory.instance.numberNode(1)));
        assertThrows(IllegalArgumentException.class, () -> EcdcMetadata.builder().build());
    }

    @Test
    void immutableAndRoundTrips() throws IOException {
        ObjectNode extra = JsonNodeFactory.instance.objectNode().put("k", 1);
        EcdcMetadata m = base().name("x").putExtra("custom", extra).build();
        extra.put("k", 2);
        assertEquals(1, m.extra().get("custom").get("k").asInt());
        ((ObjectNode) m.extra().get("custom")).put("k", 3);
        assertEquals(1, m.extra().get("custom").get("k").asInt());
        assertThrows(UnsupportedOperationException.class, () -> m.extra().clear());

        assertEquals(m, m.toBuilder().build());
        assertNotEquals(m, m.toBuilder().name(null).build());
        for (int version : new int[] {0, 192, 193}) {
            byte[] bytes = EcdcHeader.of(version, m).toBytes();
            EcdcHeader back = EcdcHeader.read(new ByteArrayInputStream(bytes));
            assertEquals(version, back.version());
            assertEquals(m, back.metadata());
            assertEquals(m.hashCode(), back.metadata().hashCode());
            assertEquals(bytes.length, back.frameDataOffset());
        }
        assertTrue(EcdcHeader.of(0, m).toString().contains("\"custom\": {\"k\": 1}"));
    }
}
