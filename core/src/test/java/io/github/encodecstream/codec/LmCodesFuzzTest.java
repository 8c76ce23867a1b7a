package io.github.encodecstream.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmSegmentEncoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.LmIndex;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.FuzzOracle;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the decoding of entropy-coded files (the deterministic LM, the quantised CDFs, the
 * arithmetic decoder, the index of record lengths and checksums) on whole files through
 * {@link EcdcCodes}, every block in order. The seeds are files the LM coder writes here from
 * seeded random codes, for both models, a few bandwidths and lengths around frame and segment
 * edges, with a small LM generated from a seed whose checksum they carry, so that the fuzzer
 * starts inside the coded bodies. The outcome is codes within 0..1023, or an
 * {@link IOException} with a message.
 */
class LmCodesFuzzTest {
    /** The checksum ({@code lmh}) of the generated LM, as the seed files carry it. */
    private static final String CHECKSUM = "5eed0c0d";
    private static Models models;

    /** Models that know only the generated LMs (codes need no codec network). */
    private static synchronized Models models() {
        if (models == null) {
            try {
                ModelStore store = ModelStore.builder().modelsDirectory(Files.createTempDirectory("lm-fuzz-models"))
                        .offline(true).build();
                models = Models.builder().store(store).device("cpu").threads(1).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (ModelFamily family : ModelFamily.values()) {
                // small (dim 16, one layer) so that the fuzzer runs many inputs a second; same code path
                models.useLm(family, LmWeights.random(7, family.maxCodebooks(), 16, 1, 32), CHECKSUM);
            }
        }
        return models;
    }

    static Stream<Arguments> seeds() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long[] lengths24 = {1, 320, 321, 24_000, 375 * 320, 375 * 320 + 1};
        for (double kbps : new double[] {1.5, 6}) {
            for (long n : lengths24) {
                files.put("24k " + kbps + " kbps " + n, lmFile(ModelFamily.ENCODEC_24KHZ, kbps, n));
            }
        }
        long[] lengths48 = {1, 48_000, 48_001, 96_000};
        for (double kbps : new double[] {3, 6}) {
            for (long n : lengths48) {
                files.put("48k " + kbps + " kbps " + n, lmFile(ModelFamily.ENCODEC_48KHZ, kbps, n));
            }
        }
        return FuzzOracle.seeds(files);
    }

    /** The seeds are whole, valid files: the fuzzer starts from bodies that decode to every step. */
    @org.junit.jupiter.api.Test
    void theSeedsDecodeToEveryStep() throws IOException {
        for (ModelFamily family : ModelFamily.values()) {
            double kbps = family == ModelFamily.ENCODEC_24KHZ ? 6 : 3;
            long samples = family.sampleRate() + 1L;
            byte[] file = lmFile(family, kbps, samples);
            SegmentLayout layout = SegmentLayout.of(EncoderOptions.of(family, kbps).header(samples));
            long expected = 0;
            for (int i = 0; i < layout.segmentCount(); i++) {
                expected += layout.segment(i).steps();
            }
            long steps = 0;
            try (EcdcCodes codes = EcdcCodes.open(ByteSource.of(file), models())) {
                for (EcdcCodes.Block b = codes.read(37); b != null; b = codes.read(37)) {
                    steps += b.steps();
                }
            }
            org.junit.jupiter.api.Assertions.assertEquals(expected, steps, family + ": " + file.length + " bytes");
        }
    }

    @MethodSource("seeds")
    @FuzzTest
    void lmCodes(byte[] data) {
        FuzzOracle.check(() -> {
            try (EcdcCodes codes = EcdcCodes.open(ByteSource.of(data), models())) {
                for (EcdcCodes.Block b = codes.read(37); b != null; b = codes.read(37)) {
                    for (int c : b.codes()) {
                        if (c < 0 || c > 1023) {
                            throw new AssertionError("code " + c + " in segment " + b.segment());
                        }
                    }
                }
            }
        });
    }

    /**
     * An entropy-coded ({@code encodec-stream-lm/2}) file of {@code samples} samples per channel
     * with seeded random codes: 48 kHz segments, or 24 kHz chunks of
     * {@link io.github.encodecstream.format.EcdcMetadata#LM_CHUNK_STEPS} steps, with their index.
     */
    static byte[] lmFile(ModelFamily family, double kbps, long samples) {
        EncoderOptions options = EncoderOptions.of(family, kbps).withLm(true);
        int nc = options.codebooks();
        SegmentLayout layout = SegmentLayout.of(options.header(samples));
        SplittableRandom random = new SplittableRandom(samples * 31 + nc);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<int[]> records = new ArrayList<>();
        try {
            // the very LM the decoder gets
            LmSegmentEncoder coder = new LmSegmentEncoder(models().lm(family, nc).weights(), nc,
                    DeterministicLm.pastContext(family.frameRate()));
            DataOutputStream out = new DataOutputStream(body);
            for (int i = 0; i < layout.segmentCount(); i++) {
                int[][] codes = new int[layout.segment(i).steps()][nc];
                for (int[] step : codes) {
                    for (int k = 0; k < nc; k++) {
                        step[k] = random.nextInt(1024);
                    }
                }
                int chunk = family.isSegmented() ? codes.length : EcdcMetadata.LM_CHUNK_STEPS;
                for (int first = 0; first < codes.length; first += chunk) {
                    int start = body.size();
                    if (family.isSegmented()) {
                        out.writeFloat(0.5f + random.nextInt(100) / 100f);
                    }
                    byte[] coded = coder.encode(Arrays.copyOfRange(codes, first, Math.min(codes.length, first + chunk)));
                    out.write(coded);
                    byte[] record = Arrays.copyOfRange(body.toByteArray(), start, body.size());
                    records.add(new int[] {coded.length, LmIndex.crc32c(record, 0, record.length)});
                }
            }
            LmIndex index = new LmIndex(records.stream().mapToInt(r -> r[0]).toArray(),
                    records.stream().mapToInt(r -> r[1]).toArray());
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            options.header(samples, CHECKSUM, index).write(file);
            body.writeTo(file);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
