package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our encoder's files decode with our decoder; Encodec-Stream's header for {@code -b 4.5 -n X}. */
class EncoderRoundTripTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"24k_bw6", "48k_bw6"})
    void decodesToTheReferenceDecoderOutput(String name) throws IOException {
        Case c = ReferenceCases.named(name);
        byte[] file = Encoding.encode(Encoding.input(c), Encoding.options(c));
        float[] decoded;
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            decoded = Samples.drain(decoder);
        }
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        assertEquals(expected.length, decoded.length);
        double error = Samples.maxError(expected, 0, decoded);
        System.out.printf("round trip %-8s max abs error vs reference decode %.3g%n", name, error);
        assertTrue(error <= Decoding.TOLERANCE, "error " + error);
    }

    /**
     * {@code -b 4.5 -n "Über Lied ✓"} on 7 s of 48 kHz stereo, resampled by the caller to 72 kHz
     * (504 000 samples; any samples do for the header): the header is the seed file's, and the file
     * decodes to 504 000 samples played at 72 kHz.
     */
    @Test
    void shiftedRateFileHasEncodecStreamsHeaderAndDecodes() throws IOException {
        byte[] seed = Files.readAllBytes(ReferenceData.file("seed/seed_b4.5.ecdc"));
        EcdcHeader seedHeader;
        try (InputStream in = new ByteArrayInputStream(seed)) {
            seedHeader = EcdcHeader.read(in);
        }
        EncoderOptions options = EncoderOptions.forBitrate(4.5).withName("\u00dcber Lied \u2713")
                .withModels(ReferenceCases.models());
        assertEquals(72_000, options.inputSampleRate());
        float[] pcm = Arrays.copyOf(Encoding.wav("test_48k.wav"), 504_000 * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcHeader header = EcdcEncoder.encode(pcm, options, out);
        assertEquals(seedHeader.metadata(), header.metadata());
        assertEquals(seedHeader, header, "same version and JSON bytes");
        byte[] file = out.toByteArray();
        assertEquals(seed.length, file.length, "11 segments of 2 codebooks, as the seed");
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            assertEquals(72_000, decoder.header().metadata().effectiveSampleRate());
            float[] decoded = Samples.drain(decoder);
            assertEquals(504_000 * 2, decoded.length);
        }
        assertArrayEquals(seedHeader.toBytes(), Arrays.copyOf(file, seedHeader.toBytes().length));
    }

    @Test
    void bitrateRuleMatchesEverySeedFile() throws IOException {
        for (String name : new String[] {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b4.5", "seed_b6", "seed_b32"}) {
            EcdcHeader seed;
            try (InputStream in = Files.newInputStream(ReferenceData.file("seed/" + name + ".ecdc"))) {
                seed = EcdcHeader.read(in);
            }
            EncoderOptions options = EncoderOptions.forBitrate(seed.metadata().bitrate());
            assertEquals(seed.family(), options.family(), name);
            assertEquals(seed.metadata().codebooks(), options.codebooks(), name);
            assertEquals(seed.metadata().shiftedSampleRate(), options.shiftedSampleRate().orElseThrow(), name);
            assertEquals(EcdcHeader.VERSION_STREAM, options.version(), name);
            EncoderOptions same = options.withName(seed.metadata().name()).withSource(seed.metadata().source())
                    .withThumbnail(seed.metadata().thumbnail());
            assertEquals(seed, same.header(seed.metadata().audioLength()), name + ": header bytes");
        }
        assertEquals(ModelFamily.ENCODEC_24KHZ, EncoderOptions.forBitrate(2.999).family());
        assertEquals(ModelFamily.ENCODEC_48KHZ, EncoderOptions.forBitrate(3).family());
        assertEquals(48_000, EncoderOptions.forBitrate(12).shiftedSampleRate().orElseThrow());
        assertEquals(8, EncoderOptions.forBitrate(12).codebooks());
        assertEquals(200_000, EncoderOptions.forBitrate(100).shiftedSampleRate().orElseThrow());
        assertEquals(16, EncoderOptions.forBitrate(100).codebooks());
        assertEquals(160, EncoderOptions.forBitrate(0.01).shiftedSampleRate().orElseThrow());
    }
}
