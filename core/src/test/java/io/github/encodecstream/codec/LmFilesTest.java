package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.Samples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files entropy-coded by the deterministic LM: lossless against the same input encoded without it
 * (48 kHz on the reference's test LM checkpoint, 24 kHz on LM weights generated from a seed and
 * injected, as the reference set has no 24 kHz LM), decoding, seeking, refusals.
 */
class LmFilesTest {
    private static Models models24;

    /** Reference models plus a 24 kHz LM generated from a seed (no 24 kHz test checkpoint exists). */
    static synchronized Models models24() {
        if (models24 == null) {
            io.github.encodecstream.store.ModelStore store = io.github.encodecstream.store.ModelStore.builder()
                    .modelsDirectory(ReferenceData.models()).offline(true).build();
            models24 = Models.builder().store(store).device("cpu").threads(2).build();
            models24.useLm(ModelFamily.ENCODEC_24KHZ, LmWeights.random(24, 32), "0123abcd");
        }
        return models24;
    }

    private static Models modelsFor(ModelFamily family) {
        return family == ModelFamily.ENCODEC_24KHZ ? models24() : ReferenceCases.models();
    }

    private static float[] input(ModelFamily family, int samples) {
        float[] wav = Encoding.wav(family == ModelFamily.ENCODEC_24KHZ ? "test_24k.wav" : "test_48k.wav");
        int channels = family.channels();
        float[] out = new float[samples * channels];
        for (int i = 0; i < out.length; i++) {
            out[i] = wav[i % wav.length];
        }
        return out;
    }

    private static byte[] encode(float[] pcm, ModelFamily family, double kbps, boolean lm) throws IOException {
        EncoderOptions options = EncoderOptions.of(family, kbps).withModels(modelsFor(family)).withLm(lm);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcEncoder.encode(pcm, options, out);
        return out.toByteArray();
    }

    /** All codes and scales of a file, in order, through {@link EcdcCodes}. */
    private static List<String> codes(byte[] file, Models models) throws IOException {
        List<String> out = new ArrayList<>();
        try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(file), models)) {
            for (EcdcCodes.Block b = codes.read(37); b != null; b = codes.read(37)) {
                out.add(b.segment() + ":" + b.firstStep() + ":" + b.scale() + ":" + Arrays.toString(b.codes()));
            }
        }
        return out;
    }

    private static float[] decode(byte[] file, Models models, int threads) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file),
                DecoderOptions.defaults().withModels(models).withThreads(threads))) {
            return Samples.drain(decoder);
        }
    }

    @ParameterizedTest(name = "{0} {1} kbps, {2} samples")
    @CsvSource({"ENCODEC_48KHZ, 6, 1", "ENCODEC_48KHZ, 6, 320", "ENCODEC_48KHZ, 6, 47520", "ENCODEC_48KHZ, 6, 47521", "ENCODEC_48KHZ, 6, 48001",
        "ENCODEC_48KHZ, 24, 48001", "ENCODEC_48KHZ, 24, 100000", "ENCODEC_48KHZ, 6, 0",
        "ENCODEC_24KHZ, 6, 1", "ENCODEC_24KHZ, 6, 320", "ENCODEC_24KHZ, 1.5, 24001", "ENCODEC_24KHZ, 24, 30000",
        // 24 kHz LM chunks of 375 steps (120 000 samples): a boundary, one step either side, several chunks
        "ENCODEC_24KHZ, 6, 119680", "ENCODEC_24KHZ, 6, 120000", "ENCODEC_24KHZ, 6, 120001", "ENCODEC_24KHZ, 1.5, 288017"})
    void lmFileHasTheCodesOfThePlainFile(ModelFamily family, double kbps, int samples) throws IOException {
        float[] pcm = input(family, samples);
        byte[] plain = encode(pcm, family, kbps, false);
        byte[] coded = encode(pcm, family, kbps, true);
        EcdcMetadata m = EcdcHeader.read(new ByteArrayInputStream(coded)).metadata();
        assertTrue(m.lm());
        assertEquals(EcdcMetadata.LM_VERSION, m.lmVersion());
        assertNotNull(m.lmChecksum());
        assertNull(m.lmSegmentBytes());
        EcdcHeader header = EcdcHeader.read(new ByteArrayInputStream(coded));
        if (family.isSegmented()) {
            assertNull(m.lmChunkSteps());
            assertEquals(samples == 0 ? 0 : (samples + 47_519) / 47_520, header.lmIndex().count());
        } else {
            assertEquals(EcdcMetadata.LM_CHUNK_STEPS, m.lmChunkSteps());
            assertEquals((family.stepsFor(samples) + 374) / 375, header.lmIndex().count());
        }
        io.github.encodecstream.codes.SegmentLayout layout = io.github.encodecstream.codes.SegmentLayout.of(header);
        assertEquals(coded.length, layout.endOffset());
        Models models = modelsFor(family);
        List<String> expected = codes(plain, models);
        assertEquals(expected, codes(coded, models));
        System.out.printf("lm %s %s kbps %d samples: plain %d bytes, lm %d bytes%n", family, kbps, samples,
                plain.length, coded.length);
    }

    @ParameterizedTest(name = "{0} threads {1}")
    @CsvSource({"ENCODEC_48KHZ, 1", "ENCODEC_48KHZ, 2", "ENCODEC_24KHZ, 1", "ENCODEC_24KHZ, 2"})
    void lmFileDecodesToThePlainFilesAudio(ModelFamily family, int threads) throws IOException {
        int samples = family.sampleRate() * 5 / 2 + 17;
        float[] pcm = input(family, samples);
        Models models = modelsFor(family);
        byte[] plain = encode(pcm, family, 6, false);
        byte[] coded = encode(pcm, family, 6, true);
        float[] a = decode(plain, models, threads);
        float[] b = decode(coded, models, threads);
        assertArrayEquals(a, b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ENCODEC_48KHZ", "ENCODEC_24KHZ"})
    void seekInAnLmFileGivesThePlainFilesAudio(ModelFamily family) throws IOException {
        int samples = family.sampleRate() * 3;
        float[] pcm = input(family, samples);
        Models models = modelsFor(family);
        byte[] plain = encode(pcm, family, 6, false);
        byte[] coded = encode(pcm, family, 6, true);
        long target = family.sampleRate() * 2L + 123;
        float[][] out = new float[2][];
        byte[][] files = {plain, coded};
        for (int i = 0; i < 2; i++) {
            try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(files[i]),
                    DecoderOptions.defaults().withModels(models))) {
                decoder.read();
                decoder.seek(target);
                out[i] = Samples.drain(decoder);
            }
        }
        assertEquals((samples - target) * family.channels(), out[1].length);
        assertArrayEquals(out[0], out[1]);
    }

    /** 24 kHz, several LM chunks: whole decodes and seeks into each chunk give the plain file's audio. */
    @Test
    void chunked24kFileDecodesAndSeeksAsThePlainFile() throws IOException {
        ModelFamily family = ModelFamily.ENCODEC_24KHZ;
        int samples = 3 * 120_000 + 5_000;
        float[] pcm = input(family, samples);
        byte[] plain = encode(pcm, family, 6, false);
        byte[] coded = encode(pcm, family, 6, true);
        assertEquals(4, EcdcHeader.read(new ByteArrayInputStream(coded)).lmIndex().count());
        for (int threads = 1; threads <= 2; threads++) {
            assertArrayEquals(decode(plain, models24(), threads), decode(coded, models24(), threads));
        }
        DecoderOptions options = DecoderOptions.defaults().withModels(models24());
        for (long target : new long[] {119_999, 120_000, 250_123, 360_000 + 4_000}) {
            float[][] out = new float[2][];
            byte[][] files = {plain, coded};
            for (int i = 0; i < 2; i++) {
                try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(files[i]), options)) {
                    decoder.seek(target);
                    out[i] = Samples.drain(decoder);
                }
            }
            assertEquals(samples - target, out[1].length);
            assertArrayEquals(out[0], out[1], "seek to " + target);
        }
    }

    /** {@link EcdcCodes} on a damaged chunk: the exception names it, the next read goes on after it. */
    @Test
    void codesReadOnAfterADamagedChunk() throws IOException {
        ModelFamily family = ModelFamily.ENCODEC_24KHZ;
        byte[] plain = encode(input(family, 3 * 120_000), family, 1.5, false);
        byte[] coded = encode(input(family, 3 * 120_000), family, 1.5, true);
        EcdcHeader h = EcdcHeader.read(new ByteArrayInputStream(coded));
        coded[(int) h.frameDataOffset() + h.lmIndex().length(0) + 5] ^= 1; // in chunk 1
        List<String> expected = codes(plain, models24());
        List<String> got = new ArrayList<>();
        try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(coded), models24())) {
            for (int i = 0; i < 2; i++) {
                try {
                    for (EcdcCodes.Block b = codes.read(37); b != null; b = codes.read(37)) {
                        got.add(b.segment() + ":" + b.firstStep() + ":" + b.scale() + ":" + Arrays.toString(b.codes()));
                    }
                } catch (io.github.encodecstream.format.DamagedRecordException e) {
                    assertEquals(1, e.record());
                    assertEquals(120_000, e.startSample());
                    assertEquals(240_000, e.endSample());
                    assertEquals(0, i);
                }
            }
        }
        // the same codes, blocks of 37 steps from 0 and from chunk 2 (step 750) on
        assertEquals(codesFrom(plain, 0, 375), got.subList(0, 11));
        assertEquals(codesFrom(plain, 750, 1125), got.subList(11, got.size()));
        assertTrue(expected.size() > got.size());
    }

    /** The plain file's codes of steps [from, to) in blocks of 37. */
    private static List<String> codesFrom(byte[] plain, int from, int to) throws IOException {
        List<String> out = new ArrayList<>();
        try (EcdcCodes codes = EcdcCodes.open(Decoding.CountingSource.of(plain), models24())) {
            int[] all = new int[0];
            int k = 0;
            for (EcdcCodes.Block b = codes.read(1000); b != null; b = codes.read(1000)) {
                k = b.codebooks();
                int at = all.length;
                all = Arrays.copyOf(all, at + b.codes().length);
                System.arraycopy(b.codes(), 0, all, at, b.codes().length);
            }
            for (int s = from; s < to; s += 37) {
                int n = Math.min(37, to - s);
                out.add("0:" + s + ":NaN:" + Arrays.toString(Arrays.copyOfRange(all, s * k, (s + n) * k)));
            }
        }
        return out;
    }

    /** 24 kHz: a forward seek on a forward-only stream reads the LM on; a seek back decodes it from the start. */
    @Test
    void seeks24kForwardOnAStreamAndBackOnAFile() throws IOException {
        ModelFamily family = ModelFamily.ENCODEC_24KHZ;
        float[] pcm = input(family, 24_000 * 4);
        byte[] plain = encode(pcm, family, 6, false);
        byte[] coded = encode(pcm, family, 6, true);
        DecoderOptions options = DecoderOptions.defaults().withModels(models24());
        float[] expected;
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(plain), options)) {
            decoder.read();
            decoder.seek(60_000);
            expected = Samples.drain(decoder);
        }
        try (EcdcDecoder decoder = EcdcDecoder.open(
                new io.github.encodecstream.source.StreamByteSource(new ByteArrayInputStream(coded)), options)) {
            decoder.read();
            decoder.seek(60_000);
            assertArrayEquals(expected, Samples.drain(decoder));
        }
        float[] fromStart;
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(plain), options)) {
            decoder.seek(10_000);
            fromStart = Samples.drain(decoder);
        }
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(coded), options)) {
            decoder.seek(80_000);
            decoder.read();
            decoder.seek(10_000);
            assertArrayEquals(fromStart, Samples.drain(decoder));
        }
    }

    @ParameterizedTest
    @CsvSource({"ENCODEC_48KHZ, 150000", "ENCODEC_48KHZ, 480000", "ENCODEC_24KHZ, 250017"}) // 480000: 11 segments, two batches
    void lmFileIsTheSameWhateverTheEncoderThreads(ModelFamily family, int samples) throws IOException {
        float[] pcm = input(family, samples);
        byte[][] files = new byte[3][];
        int[] threads = {1, 2, 3};
        for (int i = 0; i < 3; i++) {
            EncoderOptions options = EncoderOptions.of(family, 6).withModels(modelsFor(family))
                    .withLm(true).withThreads(threads[i]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EcdcEncoder.encode(pcm, options, out);
            files[i] = out.toByteArray();
        }
        assertArrayEquals(files[0], files[1]);
        assertArrayEquals(files[0], files[2]);
    }

    @Test
    void referenceLmFileIsRefusedBeforeAnyAudio() throws IOException {
        byte[] file = Files.readAllBytes(ReferenceData.file("vectors/48k_bw6_lm.ecdc"));
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class, decoder::read);
            assertTrue(e.getMessage().contains("not written by encodec-stream's deterministic LM"), e.getMessage());
            assertTrue(e.getMessage().contains("floating-point arithmetic"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
        assertThrows(UnsupportedEcdcFeatureException.class,
                () -> EcdcCodes.open(Decoding.CountingSource.of(file), ReferenceCases.models()));
    }

    @Test
    void unknownLmVersionIsRefused() throws IOException {
        byte[] coded = encode(input(ModelFamily.ENCODEC_48KHZ, 1000), ModelFamily.ENCODEC_48KHZ, 6, true);
        byte[] file = withMetadata(coded, m -> m.toBuilder().lmVersion("encodec-stream-lm/99").build());
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class, decoder::loadModel);
            assertTrue(e.getMessage().contains("unknown LM version"), e.getMessage());
        }
    }

    @Test
    void otherLmCheckpointIsAClearError() throws IOException {
        byte[] coded = encode(input(ModelFamily.ENCODEC_48KHZ, 1000), ModelFamily.ENCODEC_48KHZ, 6, true);
        byte[] file = withMetadata(coded, m -> m.toBuilder().lmChecksum("7add9fc3").build());
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            IOException e = assertThrows(IOException.class, decoder::loadModel);
            assertTrue(e.getMessage().contains("encodec_lm_48khz-7add9fc3.th"), e.getMessage());
        }
    }

    @Test
    void missingLmCheckpointNamesIt() throws IOException {
        byte[] coded = encode(input(ModelFamily.ENCODEC_24KHZ, 1000), ModelFamily.ENCODEC_24KHZ, 6, true);
        // the reference models hold no 24 kHz LM
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(coded), ReferenceCases.options())) {
            ModelStore.ModelNotFoundException e = assertThrows(ModelStore.ModelNotFoundException.class,
                    decoder::loadModel);
            assertTrue(e.getMessage().contains("encodec_lm_24khz-1608e3c0.th"), e.getMessage());
        }
    }

    @Test
    void wrongSegmentLengthIsAFormatError() throws IOException {
        byte[] coded = encode(input(ModelFamily.ENCODEC_48KHZ, 60_000), ModelFamily.ENCODEC_48KHZ, 6, true);
        EcdcHeader h = EcdcHeader.read(new ByteArrayInputStream(coded));
        int[] lengths = h.lmIndex().lengths();
        lengths[0]++;
        lengths[1]--;
        int[] crcs = {h.lmIndex().crc(0), h.lmIndex().crc(1)};
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        EcdcHeader.of(h.version(), h.metadata(), new io.github.encodecstream.format.LmIndex(lengths, crcs)).write(rewritten);
        rewritten.write(coded, (int) h.frameDataOffset(), coded.length - (int) h.frameDataOffset());
        byte[] file = rewritten.toByteArray();
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file),
                ReferenceCases.options().withDamage(Damage.FAIL))) {
            assertThrows(io.github.encodecstream.format.DamagedRecordException.class, () -> Samples.drain(decoder));
        }
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(file), ReferenceCases.options())) {
            Samples.drain(decoder); // concealed (the default): both records fail their CRC-32C
            assertEquals(2, decoder.concealedCount(), decoder.concealedSpans().toString());
        }
    }

    @Test
    void truncatedLmFileDeliversTheCompleteSegmentsThenSaysWhere() throws IOException {
        byte[] coded = encode(input(ModelFamily.ENCODEC_48KHZ, 150_000), ModelFamily.ENCODEC_48KHZ, 6, true);
        byte[] cut = Arrays.copyOf(coded, coded.length - 10);
        try (EcdcDecoder decoder = EcdcDecoder.open(Decoding.CountingSource.of(cut), ReferenceCases.options())) {
            assertNotNull(decoder.read());
            assertThrows(EcdcFormatException.class, () -> Samples.drain(decoder));
        }
    }

    private static byte[] withMetadata(byte[] file, java.util.function.UnaryOperator<EcdcMetadata> change)
            throws IOException {
        EcdcHeader h = EcdcHeader.read(new ByteArrayInputStream(file));
        EcdcMetadata m = change.apply(h.metadata());
        EcdcHeader changed = EcdcHeader.of(h.version(), m, m.hasLmIndex() ? h.lmIndex() : null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        changed.write(out);
        out.write(file, (int) h.frameDataOffset(), file.length - (int) h.frameDataOffset());
        return out.toByteArray();
    }
}
