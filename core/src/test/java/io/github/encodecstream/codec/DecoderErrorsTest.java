package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.github.encodecstream.codec.Decoding.CountingSource;
import io.github.encodecstream.codes.BitPacker;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.NotEcdcException;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.TruncatedEcdcException;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.EcdcSeeds;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Broken, cut and unsupported files through the decoder. */
class DecoderErrorsTest {
    /** What a decoder delivered before it threw, and the length it reported. */
    record Partial(float[] audio, EcdcFormatException error, long length) {}

    static Partial decodeUntilError(byte[] file) throws IOException {
        float[] out = new float[0];
        int n = 0;
        try (EcdcDecoder decoder = EcdcDecoder.open(CountingSource.of(file), ReferenceCases.options())) {
            long length = decoder.length();
            try {
                for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                    out = Arrays.copyOf(out, n + chunk.length);
                    System.arraycopy(chunk, 0, out, n, chunk.length);
                    n += chunk.length;
                }
            } catch (EcdcFormatException e) {
                assertSame(e, assertThrows(EcdcFormatException.class, decoder::read), "a later read repeats the error");
                return new Partial(out, e, length);
            }
            return new Partial(out, null, length);
        }
    }

    @Test
    void cut24kFileDeliversEveryCompleteFrameThenThrows() throws IOException {
        Case c = ReferenceCases.named("24k_full");
        byte[] bytes = Files.readAllBytes(c.file(".ecdc"));
        long dataOffset = EcdcHeader.read(new ByteArrayInputStream(bytes)).frameDataOffset();
        int bitsPerStep = c.codebooks() * BitPacker.BITS;
        int cut = (int) (bytes.length * 0.6);
        if ((cut - dataOffset) * 8 % bitsPerStep == 0) {
            cut += 3; // mid-frame
        }
        long completeSteps = (cut - dataOffset) * 8 / bitsPerStep;
        Partial p = decodeUntilError(Arrays.copyOf(bytes, cut));
        TruncatedEcdcException e = assertInstanceOfTruncated(p.error());
        assertEquals(cut, e.byteOffset(), e.getMessage());
        assertEquals(completeSteps * 320, p.audio().length, "samples before the cut");
        assertEquals((completeSteps + 1) * 320, p.length(), "the length ends with the step of the cut");
        float[] reference = Decoding.reference(c);
        double all = Samples.maxError(reference, 0, p.audio());
        double lastFrame = Samples.maxError(reference, 0, p.audio(), p.audio().length - 320, p.audio().length);
        System.out.printf("24k cut at byte %d of %d: %d samples (%d complete frames) delivered, max error %.3g"
                + " (last frame %.3g), then %s%n", cut, bytes.length, p.audio().length, completeSteps, all, lastFrame,
                e.getMessage());
        // the causal model's output of a frame depends on earlier frames only: even the last frame is exact
        assertTrue(all <= Decoding.TOLERANCE, "max error " + all);
    }

    @ParameterizedTest(name = "cut in segment {0} at {1} bytes into its record")
    @CsvSource({"5, -1", "5, 2", "0, -1", "15, -1"})
    void cut48kFileDeliversSegmentsBeforeTheCutThenThrows(int segment, int into) throws IOException {
        Case c = ReferenceCases.named("48k_full");
        byte[] bytes = Files.readAllBytes(c.file(".ecdc"));
        EcdcHeader header = EcdcHeader.read(new ByteArrayInputStream(bytes));
        SegmentLayout layout = SegmentLayout.of(header);
        long record = layout.byteOffset(segment);
        int cut = (int) (record + (into >= 0 ? into : layout.byteSize(segment) / 2 + 1));
        Partial p = decodeUntilError(Arrays.copyOf(bytes, cut));
        TruncatedEcdcException e = assertInstanceOfTruncated(p.error());
        assertEquals(cut, e.byteOffset(), e.getMessage());
        long start = layout.segment(segment).start();
        long delivered = p.audio().length / 2;
        assertTrue(delivered >= start && delivered <= start + 480,
                delivered + " samples delivered for a cut in the segment starting at " + start);
        assertEquals(start + layout.segment(segment).length(), p.length(), "the length ends with the segment of the cut");
        float[] reference = Decoding.reference(c);
        double before = Samples.maxError(reference, 0, p.audio(), 0, (int) start * 2);
        double tail = Samples.maxError(reference, 0, p.audio(), (int) start * 2, p.audio().length);
        System.out.printf("48k cut at byte %d (segment %d): %d samples delivered, max error %.3g before sample %d,"
                + " %.3g in the held overlap after it, then %s%n", cut, segment, delivered, before, start, tail,
                e.getMessage());
        assertTrue(before <= Decoding.TOLERANCE, "max error " + before);
    }

    /** Issue 17, row 9: an 80-byte file declaring a week; its size bounds the length, unless it is not known. */
    @Test
    void declaredLengthIsNotBelievedBeyondTheData() throws IOException {
        byte[] week = EcdcSeeds.eightyByteWeek();
        Partial p = decodeUntilError(week);
        assertEquals(7 * 320, p.length());
        assertEquals(6 * 320, p.audio().length, "the six complete steps");
        assertInstanceOfTruncated(p.error());
        try (EcdcDecoder stream = EcdcDecoder.open(new ByteArrayInputStream(week))) {
            assertEquals(EcdcMetadata.MAX_AUDIO_LENGTH, stream.length(), "a stream's size is not known");
        }
    }

    private static TruncatedEcdcException assertInstanceOfTruncated(EcdcFormatException e) {
        assertTrue(e instanceof TruncatedEcdcException, "expected a TruncatedEcdcException, got " + e);
        return (TruncatedEcdcException) e;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{|broken JSON",
        "{\"m\":\"encodec_96khz\",\"al\":1,\"nc\":2,\"lm\":false}|unknown model",
        "{\"m\":\"encodec_24khz\",\"al\":1,\"nc\":33,\"lm\":false}|nc = 33",
        "{\"m\":\"encodec_48khz\",\"al\":1,\"nc\":17,\"lm\":false}|nc = 17",
        "{\"m\":\"encodec_48khz\",\"al\":-1,\"nc\":2,\"lm\":false}|al = -1",
        "{\"m\":\"encodec_48khz\",\"al\":29030400001,\"nc\":2,\"lm\":false}|al = 29030400001",
        "{\"m\":\"encodec_24khz\",\"al\":99999999999999999999999,\"nc\":2,\"lm\":false}|outside"})
    void badHeaderFailsInOpenAndClosesTheSource(String caseText) throws IOException {
        String[] parts = caseText.split("\\|");
        byte[] json = parts[0].getBytes(StandardCharsets.UTF_8);
        byte[] file = ByteBuffer.allocate(9 + json.length + 100).put(EcdcHeader.MAGIC).put((byte) 0)
                .putInt(json.length).put(json).array();
        CountingSource source = CountingSource.of(file);
        EcdcFormatException e = assertThrows(EcdcFormatException.class,
                () -> EcdcDecoder.open(source, ReferenceCases.options()));
        assertFalse(e instanceof NotEcdcException);
        assertTrue(e.byteOffset() >= EcdcHeader.FIXED_LENGTH && e.byteOffset() <= EcdcHeader.FIXED_LENGTH + json.length,
                e.getMessage());
        if (!parts[1].equals("broken JSON")) {
            assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
            assertEquals(EcdcHeader.FIXED_LENGTH, e.byteOffset());
        }
        assertTrue(source.closed, "source left open");
    }

    @Test
    void wrongMagicEmptyAndCutHeaderFailInOpen() throws IOException {
        byte[] real = Files.readAllBytes(ReferenceCases.named("24k_short").file(".ecdc"));
        byte[] wrong = real.clone();
        wrong[2] = 'X';
        CountingSource source = CountingSource.of(wrong);
        EcdcFormatException e = assertThrows(NotEcdcException.class, () -> EcdcDecoder.open(source, ReferenceCases.options()));
        assertEquals(2, e.byteOffset());
        assertTrue(source.closed);

        CountingSource empty = CountingSource.of(new byte[0]);
        e = assertThrows(TruncatedEcdcException.class, () -> EcdcDecoder.open(empty, ReferenceCases.options()));
        assertEquals(0, e.byteOffset());
        assertTrue(empty.closed);

        CountingSource cut = CountingSource.of(Arrays.copyOf(real, 20));
        e = assertThrows(TruncatedEcdcException.class, () -> EcdcDecoder.open(cut, ReferenceCases.options()));
        assertEquals(20, e.byteOffset());
        assertTrue(cut.closed);
    }

    @Test
    void entropyCodedFileOpensButDoesNotDecode() throws IOException {
        Case c = ReferenceCases.named("48k_bw6_lm");
        Models models = mock(Models.class);
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(c.file(".ecdc")),
                ReferenceCases.options().withModels(models))) {
            assertTrue(decoder.header().metadata().lm());
            assertEquals(c.length(), decoder.length());
            assertEquals(2, decoder.channels());
            for (int attempt = 0; attempt < 2; attempt++) {
                UnsupportedEcdcFeatureException e = assertThrows(UnsupportedEcdcFeatureException.class, decoder::read);
                assertTrue(e.getMessage().contains("not written by encodec-stream's deterministic LM"), e.getMessage());
                assertEquals(decoder.header().frameDataOffset(), e.byteOffset());
            }
            decoder.seek(c.length() / 2);
            assertThrows(UnsupportedEcdcFeatureException.class, decoder::read);
            verify(models, never()).decoder(any()); // no model is loaded for a file that cannot be decoded
        }
    }
}
