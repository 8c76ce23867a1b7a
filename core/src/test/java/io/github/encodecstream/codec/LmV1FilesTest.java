package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by the main of before {@code encodec-stream-lm/2} ({@code encodec-stream-lm/1}: 48 kHz
 * with {@code lms}, 24 kHz as one stream; resources {@code lm-v1/}, see the README there) decode to
 * the codes whose SHA-256 that main computed, and to exactly the audio of their plain twins (the
 * same input encoded without the LM by the same main).
 */
class LmV1FilesTest {
    static final String DIR = "lm-v1/";

    static byte[] resource(String name) {
        try (InputStream in = LmV1FilesTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code sha256 name} lines of {@code codes.sha256}: each v1 file's codes. */
    static Map<String, String> expectedCodeHashes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(resource("codes.sha256"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.trim().split("\\s+");
                out.put(f[1], f[0]);
            }
        }
        return out;
    }

    static Models modelsFor(ModelFamily family) {
        return family == ModelFamily.ENCODEC_24KHZ ? LmFilesTest.models24() : ReferenceCases.models();
    }

    /**
     * SHA-256 over all blocks of a file's codes in order: per block the segment, the first step
     * (int32 BE), the scale's float bits, then the codes (int32 BE, step-major).
     */
    static String codesSha256(byte[] file, Models models) throws IOException {
        MessageDigest sha = sha256();
        try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(file), models)) {
            for (EcdcCodes.Block b = codes.read(37); b != null; b = codes.read(37)) {
                ByteBuffer buf = ByteBuffer.allocate(12 + 4 * b.codes().length);
                buf.putInt(b.segment()).putInt(b.firstStep()).putInt(Float.floatToRawIntBits(b.scale()));
                for (int c : b.codes()) {
                    buf.putInt(c);
                }
                sha.update(buf.array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static float[] decode(byte[] file, Models models, int threads) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file),
                DecoderOptions.defaults().withModels(models).withThreads(threads))) {
            return Samples.drain(decoder);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1_48k_6kbps", "v1_48k_24kbps", "v1_24k_6kbps", "v1_24k_24kbps"})
    void v1FileDecodesAsBefore(String name) throws IOException {
        byte[] file = resource(name + ".ecdc");
        byte[] plain = resource(name.replace("v1_", "plain_") + ".ecdc");
        EcdcMetadata m = EcdcHeader.read(new ByteArrayInputStream(file)).metadata();
        assertEquals("encodec-stream-lm/1", m.lmVersion());
        Models models = modelsFor(m.family());
        if (m.family().isSegmented()) {
            assertEquals(m.audioLength() == 0 ? 0 : (m.audioLength() + 47_519) / 47_520, m.lmSegmentBytes().length);
        } else {
            assertNull(m.lmSegmentBytes());
        }
        assertEquals(expectedCodeHashes().get(name + ".ecdc"), codesSha256(file, models));
        assertEquals(codesSha256(plain, models), codesSha256(file, models));
        for (int threads = 1; threads <= 2; threads++) {
            assertArrayEquals(decode(plain, models, threads), decode(file, models, threads));
        }
    }
}
