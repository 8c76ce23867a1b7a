package io.github.encodecstream.cli;

import io.github.encodecstream.testing.ReferenceModels;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.dsp.PcmConversion;
import io.github.encodecstream.dsp.SignalMetrics;
import io.github.encodecstream.dsp.Sox;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance of Encodec-Stream's {@code -d} on the seed files: raw s16le, 48 kHz, stereo, exactly
 * the file's duration; 48 kHz files within 1 LSB of the reference decoder, resampled ones against
 * SoX's {@code rate -v} of the reference output; cuts at exact samples. Prints the measurements,
 * also against Encodec-Stream's own output ({@code NAME.seed.s16}).
 */
@ExtendWith(ReferenceModels.class)
class SeedDecodeTest {
    static final double MIN_SNR_DB = 40;
    private static final Map<String, short[]> DECODED = new ConcurrentHashMap<>();




    static Path seed(String name, String suffix) {
        return ReferenceData.file("seed/" + name + suffix);
    }

    static EcdcMetadata metadata(String name) throws IOException {
        try (InputStream in = Files.newInputStream(seed(name, ".ecdc"))) {
            return EcdcHeader.read(in).metadata();
        }
    }

    static short[] s16(byte[] bytes) {
        short[] out = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    /** {@code -d NAME.ecdc}, once per file. */
    static short[] decoded(String name) {
        return DECODED.computeIfAbsent(name, n -> {
            CliRun run = CliRun.of("-d", seed(n, ".ecdc").toString());
            assertEquals(Main.OK, run.exitCode(), run.toString());
            assertEquals("", run.stderr());
            assertEquals(0, run.stdout().length % 4, "whole s16 stereo frames");
            return s16(run.stdout());
        });
    }

    static double[] toDouble(short[] pcm) {
        double[] out = new double[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = pcm[i] / 32768.0;
        }
        return out;
    }

    static double[] stereo(float[] samples, int channels) {
        int frames = samples.length / channels;
        double[] out = new double[2 * frames];
        for (int i = 0; i < frames; i++) {
            out[2 * i] = samples[i * channels];
            out[2 * i + 1] = samples[i * channels + channels - 1];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_b0.75", "seed_b1.5", "seed_b2", "seed_b32", "seed_b4.5", "seed_b6"})
    void decodesAs48kStereoS16(String name) throws IOException {
        EcdcMetadata m = metadata(name);
        int sr = m.effectiveSampleRate();
        int channels = m.family().channels();
        short[] ours = decoded(name);
        long frames = Math.round(m.audioLength() * 48_000.0 / sr);
        assertEquals(336_000, frames, "every seed file is 7 s");
        assertEquals(2 * frames, ours.length, name + ": exactly round(al x 48000 / sr) frames");
        float[] reference = ReferenceData.readF32(seed(name, ".out.f32"));
        assertEquals(m.audioLength() * channels, reference.length);
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                assertEquals(ours[2 * i], ours[2 * i + 1], "mono is copied to both channels, frame " + i);
            }
        }
        String line;
        if (sr == 48_000) {
            int max = 0;
            for (int i = 0; i < ours.length; i++) {
                max = Math.max(max, Math.abs(ours[i] - PcmConversion.toInt(reference[i], 16)));
            }
            line = String.format("%s: sr %d, max difference from the reference output as s16: %d LSB", name, sr, max);
            assertTrue(max <= 1, line);
        } else {
            double[] expected = stereo(Sox.resample(reference, channels, sr, 48_000), channels);
            assertEquals(ours.length, expected.length, "sox's length");
            double band = 0.8 * Math.min(sr, 48_000) / 2;
            double inBand = SignalMetrics.bandSnrDb(expected, toDouble(ours), 2, 48_000, band);
            double full = SignalMetrics.bandSnrDb(expected, toDouble(ours), 2, 48_000, 24_000);
            line = String.format("%s: sr %d, SNR against sox rate -v: %.1f dB below %.0f Hz, %.1f dB full band",
                    name, sr, inBand, band, full);
            assertTrue(inBand >= MIN_SNR_DB, line);
        }
        System.out.println("-d " + line + "; " + againstSeed(name, ours, sr));
    }

    /** Encodec-Stream's own output against ours: gain and SNR over the frames both have. */
    private static String againstSeed(String name, short[] ours, int sr) throws IOException {
        short[] seed = ReferenceData.readI16(seed(name, ".seed.s16"));
        short[] theirs = Arrays.copyOf(seed, ours.length);
        double[] a = toDouble(ours);
        double[] b = toDouble(theirs);
        double ab = 0;
        double aa = 0;
        int maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
        }
        double gain = 20 * Math.log10(ab / aa);
        double band = 0.8 * Math.min(sr, 48_000) / 2;
        double[] scaled = a.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= ab / aa;
        }
        return String.format("seed.s16 (%d frames, %d more): theirs/ours gain %.2f dB, SNR %.1f dB below %.0f Hz "
                + "(%.1f dB after matching the gain), full band %.1f dB, max difference %d LSB",
                seed.length / 2, (seed.length - ours.length) / 2, gain, SignalMetrics.bandSnrDb(b, a, 2, 48_000, band),
                band, SignalMetrics.bandSnrDb(b, scaled, 2, 48_000, band), SignalMetrics.bandSnrDb(b, a, 2, 48_000, 24_000),
                maxDiff);
    }

    @Test
    void cutIsExactSamples() throws IOException {
        CliRun run = CliRun.of("-ss", "2.5", "-to", "5", "-d", seed("seed_b6", ".ecdc").toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        short[] cut = s16(run.stdout());
        assertEquals(2 * 120_000, cut.length, "samples 120000..239999");
        assertArrayEquals(Arrays.copyOfRange(decoded("seed_b6"), 2 * 120_000, 2 * 240_000), cut);
        float[] reference = ReferenceData.readF32(seed("seed_b6", ".out.f32"));
        int max = 0;
        for (int i = 0; i < cut.length; i++) {
            max = Math.max(max, Math.abs(cut[i] - PcmConversion.toInt(reference[2 * 120_000 + i], 16)));
        }
        assertTrue(max <= 1, "max difference " + max);
        short[] seedCut = ReferenceData.readI16(seed("seed_b6.ss2.5-to5", ".seed.s16"));
        System.out.printf("-ss 2.5 -to 5 -d seed_b6: %d frames = reference samples 120000..239999 (max %d LSB); "
                + "Encodec-Stream wrote %d frames%n", cut.length / 2, max, seedCut.length / 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed_b4.5", "seed_b0.75"})
    void resampledCutEqualsTheSameSamplesOfTheWhole(String name) {
        CliRun run = CliRun.of("-d", seed(name, ".ecdc").toString(), "-ss", "0:01.25", "-to", "3.5");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        short[] cut = s16(run.stdout());
        short[] whole = decoded(name);
        assertEquals(2 * (168_000 - 60_000), cut.length);
        int max = 0;
        for (int i = 0; i < cut.length; i++) {
            max = Math.max(max, Math.abs(cut[i] - whole[2 * 60_000 + i]));
        }
        System.out.printf("-ss 1.25 -to 3.5 -d %s: max difference from the same samples of the whole: %d LSB%n", name, max);
        assertTrue(max <= 1, name + ": " + max);
    }

    @Test
    void cutsPastTheEnd() {
        String file = seed("seed_b6", ".ecdc").toString();
        CliRun tail = CliRun.of("-ss", "6.5", "-to", "100", "-d", file);
        assertEquals(Main.OK, tail.exitCode(), tail.toString());
        assertArrayEquals(Arrays.copyOfRange(decoded("seed_b6"), 2 * 312_000, 2 * 336_000), s16(tail.stdout()));
        CliRun none = CliRun.of("-ss", "8", "-d", file);
        assertEquals(Main.OK, none.exitCode(), none.toString());
        assertEquals(0, none.stdout().length);
    }
}
