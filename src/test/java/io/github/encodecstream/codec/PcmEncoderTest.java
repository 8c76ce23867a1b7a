package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.dsp.Resampler;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link PcmEncoder}: mixing and resampling in front of {@link EcdcEncoder}, each checked against
 * the same steps done by hand on the whole signal (byte-identical files), and the pass-through.
 */
class PcmEncoderTest {
    /** Uneven writes, to cross blocks, segments and the resampler's buffers at odd places. */
    private static final int[] PIECES = {1, 7, 999, 8192 + 3, 12_345, 40_000};

    private static EncoderOptions onTestModels(EncoderOptions options) {
        return options.withModels(ReferenceCases.models());
    }

    /** Encodes with a PcmEncoder, writing in {@link #PIECES}. */
    private static byte[] encode(float[] interleaved, int channels, int rate, EncoderOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcmEncoder encoder = PcmEncoder.create(out, options, rate, channels)) {
            int frames = interleaved.length / channels;
            int at = 0;
            for (int i = 0; at < frames; i++) {
                int n = Math.min(PIECES[i % PIECES.length], frames - at);
                encoder.write(interleaved, at * channels, n);
                at += n;
            }
            assertEquals(frames, encoder.inputLength());
            EcdcHeader header = encoder.finish();
            assertEquals(PcmEncoder.encodedLength(frames, rate, options), header.metadata().audioLength());
            assertEquals(header.metadata().audioLength(), encoder.length());
        }
        return out.toByteArray();
    }

    private static float[] mean(float[] interleaved, int channels) {
        float[] mono = new float[interleaved.length / channels];
        for (int i = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i * channels + c];
            }
            mono[i] = channels == 2 ? sum * 0.5f : sum / channels;
        }
        return mono;
    }

    private static float[] duplicate(float[] mono) {
        float[] stereo = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        return stereo;
    }

    /** At the model's rate and channels the samples pass untouched: the reference's file. */
    @Test
    void modelFormatPassesThrough() throws IOException {
        for (String name : new String[] {"48k_stride_plus_one", "24k_short"}) {
            Case c = ReferenceCases.named(name);
            byte[] file = encode(Encoding.input(c), c.channels(), c.sampleRate(), Encoding.options(c));
            assertArrayEquals(Files.readAllBytes(c.file(".ecdc")), file, name);
        }
    }

    /** 48 kHz stereo into the 24 kHz model: the mean of the channels, resampled to 24 kHz. */
    @Test
    void stereoToMonoAndDownsampled() throws IOException {
        float[] stereo = Arrays.copyOf(Encoding.wav("test_48k.wav"), 48_000 * 2);
        EncoderOptions options = onTestModels(EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 1.5));
        byte[] expected = Encoding.encode(Resampler.resample(mean(stereo, 2), 1, 48_000, 24_000), options);
        assertArrayEquals(expected, encode(stereo, 2, 48_000, options));
        assertEquals(24_000, EcdcHeader.read(new java.io.ByteArrayInputStream(expected)).metadata().audioLength());
    }

    /** 24 kHz mono at 4.5 kbps (Encodec-Stream's 48 kHz model at sr 72 000): resampled, then copied to both channels. */
    @Test
    void monoToStereoAndUpsampled() throws IOException {
        float[] mono = Arrays.copyOf(Encoding.wav("test_24k.wav"), 12_000);
        EncoderOptions options = onTestModels(EncoderOptions.forBitrate(4.5));
        assertEquals(72_000, options.inputSampleRate());
        byte[] expected = Encoding.encode(duplicate(Resampler.resample(mono, 1, 24_000, 72_000)), options);
        byte[] actual = encode(mono, 1, 24_000, options);
        assertArrayEquals(expected, actual);
        assertEquals(36_000, EcdcHeader.read(new java.io.ByteArrayInputStream(actual)).metadata().audioLength());
    }

    /** 44.1 kHz stereo into the 48 kHz model: resampled as stereo. */
    @Test
    void stereoResampled() throws IOException {
        float[] stereo = Arrays.copyOf(Encoding.wav("test_48k.wav"), 22_050 * 2);
        EncoderOptions options = onTestModels(EncoderOptions.forBitrate(6));
        byte[] expected = Encoding.encode(Resampler.resample(stereo, 2, 44_100, 48_000), options);
        assertArrayEquals(expected, encode(stereo, 2, 44_100, options));
    }

    /** Three channels: mixed to mono for the 24 kHz model, refused for the 48 kHz one. */
    @Test
    void moreChannels() throws IOException {
        float[] mono = Arrays.copyOf(Encoding.wav("test_24k.wav"), 6000);
        float[] three = new float[mono.length * 3];
        for (int i = 0; i < mono.length; i++) {
            three[3 * i] = mono[i];
            three[3 * i + 1] = -0.5f * mono[i];
            three[3 * i + 2] = 0.25f;
        }
        EncoderOptions options = onTestModels(EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 3));
        assertArrayEquals(Encoding.encode(mean(three, 3), options), encode(three, 3, 24_000, options));

        assertTrue(PcmEncoder.canMix(6, 1));
        assertTrue(PcmEncoder.canMix(1, 2));
        assertTrue(PcmEncoder.canMix(2, 2));
        assertFalse(PcmEncoder.canMix(3, 2));
        assertFalse(PcmEncoder.canMix(0, 1));
        EncoderOptions stereo = onTestModels(EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6));
        assertThrows(IllegalArgumentException.class,
                () -> PcmEncoder.create(new ByteArrayOutputStream(), stereo, 48_000, 3));
        assertThrows(IllegalArgumentException.class,
                () -> PcmEncoder.create(new ByteArrayOutputStream(), stereo, 0, 2));
    }

    /** {@code al} is the resampled length: round(N · sr / rate). */
    @Test
    void encodedLength() {
        EncoderOptions shifted = EncoderOptions.forBitrate(4.5);
        assertEquals(150, PcmEncoder.encodedLength(100, 48_000, shifted));
        assertEquals(Resampler.outputLength(44_101, 44_100, 72_000), PcmEncoder.encodedLength(44_101, 44_100, shifted));
        assertEquals(12_345, PcmEncoder.encodedLength(12_345, 48_000, EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6)));
    }
}
