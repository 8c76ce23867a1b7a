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

    /**
     * A NaN or infinite sample is refused with an InputException naming its frame and channel,
     * before any of that call's samples are taken: the encoder goes on as if the call had not been
     * made (the same file as without it).
     */
    @Test
    void nonFiniteSamplesAreRefusedNamingThem() throws IOException {
        EncoderOptions options = onTestModels(EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 6));
        float[] clean = new float[2 * 4800]; // 0.2 s of stereo at 24 kHz: mixed to mono
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (float) Math.sin(i * 0.01) * 0.5f;
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (PcmEncoder encoder = PcmEncoder.create(expected, options, 24_000, 2)) {
            encoder.write(clean, 0, 4800);
            encoder.finish();
        }
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PcmEncoder encoder = PcmEncoder.create(out, options, 24_000, 2)) {
                encoder.write(clean, 0, 1000);
                float[] block = Arrays.copyOfRange(clean, 2000, 4000);
                block[2 * 37 + 1] = bad; // frame 1037 of the input, channel 1
                PcmEncoder.InputException e = assertThrows(PcmEncoder.InputException.class,
                        () -> encoder.write(block, 0, 1000));
                assertEquals(1037, e.frame());
                assertEquals(1, e.channel());
                assertTrue(e.getMessage().startsWith("sample 1037 (0.043 s) of channel 2 of 2 is " + bad),
                        e.getMessage());
                assertEquals(1000, encoder.inputLength());
                encoder.write(clean, 2000, 3800);
                encoder.finish();
            }
            assertArrayEquals(expected.toByteArray(), out.toByteArray(), "refused call left no trace (" + bad + ")");
        }
    }

    /** Finite samples beyond [-1, 1] are encoded as they are: the file EcdcEncoder (and the reference) makes of them. */
    @Test
    void outOfRangeSamplesPassAsTheyAre() throws IOException {
        for (ModelFamily family : ModelFamily.values()) {
            int channels = family.channels();
            float[] loud = new float[channels * family.sampleRate() / 4];
            for (int i = 0; i < loud.length; i++) {
                loud[i] = (float) Math.sin(i * 0.013) * 3.5f + (i % 7 == 0 ? 20f : 0f);
            }
            EncoderOptions options = onTestModels(EncoderOptions.of(family, 6));
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            EcdcEncoder.encode(loud, options, direct);
            assertArrayEquals(direct.toByteArray(), encode(loud, channels, family.sampleRate(), options),
                    family + ": unclipped");
        }
    }

    /**
     * The longest input a file holds, {@link io.github.encodecstream.format.EcdcMetadata#MAX_AUDIO_LENGTH}
     * samples per channel at the encoded rate, checked on the resampled length; one write that would
     * pass it is refused before anything is taken (a 1 Hz input makes a week's worth small).
     */
    @Test
    void lengthBoundary() throws IOException {
        long max = io.github.encodecstream.format.EcdcMetadata.MAX_AUDIO_LENGTH;
        EncoderOptions at48 = EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6);
        assertTrue(PcmEncoder.fits(max, 48_000, at48));
        assertFalse(PcmEncoder.fits(max + 1, 48_000, at48));
        assertFalse(PcmEncoder.fits(Long.MAX_VALUE, 48_000, at48));
        assertFalse(PcmEncoder.fits(Long.MAX_VALUE / 2, 44_100, at48)); // overflows 64 bits resampled
        // resampled: the largest 44.1 kHz length whose 48 kHz length is max
        long n = max * 44_100 / 48_000;
        while (PcmEncoder.encodedLength(n + 1, 44_100, at48) <= max) {
            n++;
        }
        while (PcmEncoder.encodedLength(n, 44_100, at48) > max) {
            n--;
        }
        assertTrue(PcmEncoder.fits(n, 44_100, at48));
        assertFalse(PcmEncoder.fits(n + 1, 44_100, at48));
        // 24 kHz model at a shifted rate: al counts samples at sr
        EncoderOptions shifted = EncoderOptions.forBitrate(4.5); // sr 72 000
        assertTrue(PcmEncoder.fits(max, shifted.inputSampleRate(), shifted));
        assertFalse(PcmEncoder.fits(max / 72_000 * 48_000 + 48_000, 48_000, shifted));

        assertEquals(604_800, max / 48_000); // one week at 1 Hz
        EncoderOptions options = onTestModels(EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, 6));
        assertTrue(PcmEncoder.fits(604_800 * 2, 1, options)); // 24 kHz model: al at 24 kHz, two weeks at 1 Hz
        assertFalse(PcmEncoder.fits(604_800 * 2 + 1, 1, options));
        float[] weeks = new float[604_800 * 2 + 1];
        try (PcmEncoder encoder = PcmEncoder.create(new ByteArrayOutputStream(), options, 1, 1)) {
            encoder.write(weeks, 0, 3);
            PcmEncoder.InputException e = assertThrows(PcmEncoder.InputException.class,
                    () -> encoder.write(weeks, 0, weeks.length - 3));
            assertEquals(3, e.frame());
            assertEquals(-1, e.channel());
            assertTrue(e.getMessage().startsWith("longer than an .ecdc file holds: 1209601 samples per channel at 1 Hz"),
                    e.getMessage());
            assertEquals(3, encoder.inputLength());
        }
    }
}
