package io.github.encodecstream.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the container header and its metadata JSON ({@link EcdcHeader#read}): the outcome is a
 * header that writes back to the bytes it was read from and has a segment layout, or an
 * {@link java.io.IOException} with a message ({@link EcdcFormatException} and its kin).
 */
class EcdcHeaderFuzzTest {
    static Stream<Arguments> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        EcdcSeeds.files().forEach((name, file) -> seeds.put(name, EcdcBytes.headerBytes(file)));
        seeds.put("every key", EcdcBytes.header(193, "{\"m\":\"encodec_48khz\",\"al\":96000,\"nc\":16,\"lm\":true,"
                + "\"lmv\":\"encodec-stream-lm/1\",\"lmh\":\"0123abcd\",\"lms\":[1,2,3],\"br\":24.0,\"sr\":44100,"
                + "\"n\":\"\\u00e9\",\"s\":\"s\",\"t\":\"t\",\"x\":[null,true,{\"y\":-1e300}]}"));
        // encodec-stream-lm/2: the JSON followed by the LM index and the header CRC
        EcdcMetadata v2at24 = EcdcMetadata.builder().family(ModelFamily.ENCODEC_24KHZ).audioLength(240_001).codebooks(8)
                .lm(true).lmVersion(EcdcMetadata.LM_VERSION).lmChecksum("0123abcd").lmChunkSteps(375).build();
        seeds.put("lm v2 24 kHz", EcdcHeader.of(193, v2at24, new LmIndex(new int[] {900, 0, 17},
                new int[] {1, -2, 0x7fffffff})).toBytes());
        EcdcMetadata v2at48 = EcdcMetadata.builder().family(ModelFamily.ENCODEC_48KHZ).audioLength(96_000).codebooks(4)
                .lm(true).lmVersion(EcdcMetadata.LM_VERSION).lmChecksum("0123abcd").build();
        seeds.put("lm v2 48 kHz", EcdcHeader.of(193, v2at48, new LmIndex(new int[] {700, 701, 5},
                new int[] {3, 4, 5})).toBytes());
        return FuzzOracle.seeds(seeds);
    }

    @MethodSource("seeds")
    @FuzzTest
    void header(byte[] data) {
        FuzzOracle.check(() -> {
            EcdcHeader header = EcdcHeader.read(new ByteArrayInputStream(data));
            byte[] bytes = header.toBytes();
            if (!Arrays.equals(bytes, Arrays.copyOf(data, bytes.length))) {
                throw new AssertionError("header does not write back to its bytes");
            }
            SegmentLayout layout = SegmentLayout.of(header);
            if (layout.hasByteOffsets()) {
                layout.endOffset();
            }
            // what this library writes of the metadata reads back
            byte[] json = header.metadata().toJson(EcdcMetadata.JsonStyle.PYTHON).getBytes(StandardCharsets.UTF_8);
            MetadataJson.parse(json, EcdcHeader.FIXED_LENGTH);
            header.requireCodesDecodable();
        });
    }
}
