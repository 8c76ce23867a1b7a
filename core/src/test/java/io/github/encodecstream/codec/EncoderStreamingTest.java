package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.engine.EncoderModel;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming: the 24 kHz encoder in chunks equals encoding the whole input at once; the 48 kHz
 * encoder gives the same file however the input is cut into writes; the edges (empty input,
 * writes after the end).
 */
class EncoderStreamingTest {

    /** Encodes in writes of {@code piece} samples per channel. */
    static byte[] encodeInPieces(float[] pcm, EncoderOptions options, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcEncoder encoder = EcdcEncoder.create(out, options);
        int channels = options.channels();
        int frames = pcm.length / channels;
        for (int at = 0; at < frames; at += piece) {
            encoder.write(pcm, at * channels, Math.min(piece, frames - at));
        }
        encoder.finish();
        return out.toByteArray();
    }

    /**
     * The public API at several chunk sizes (the whole input in one chunk, the default 75 steps,
     * the smallest 7) on an input whose length is not a multiple of the hop: every file is the
     * reference's.
     */
    @ParameterizedTest(name = "chunk of {0} steps")
    @ValueSource(ints = {7, 75, 100_000})
    void chunks24kGiveTheReferenceCodes(int chunkFrames) throws IOException {
        Case c = ReferenceCases.named("24k_bw6");
        byte[] file = encodeInPieces(Encoding.input(c), Encoding.options(c).withChunkFrames(chunkFrames), 4099);
        List<int[]> expected = Encoding.referenceCodes(c);
        int[] actual = Encoding.read(file).codes().get(0);
        int same = 0;
        for (int i = 0; i < actual.length; i++) {
            same += actual[i] == expected.get(0)[i] ? 1 : 0;
        }
        System.out.printf("24 kHz stream, %d-step chunks: %d/%d codes equal the reference%n", chunkFrames, same,
                actual.length);
        assertTrue(same >= ReferenceEncodeTest.MIN_AGREEMENT * actual.length, same + " of " + actual.length);
    }

    /**
     * The model's streaming state, at the embedding (before quantisation): a 7-step first chunk,
     * then single steps, then an odd last chunk, equal the whole input encoded in one run.
     */
    @Test
    void streamingEmbeddingEqualsWholeInput() throws IOException {
        EncoderModel model = ReferenceCases.models().encoder(ModelFamily.ENCODEC_24KHZ);
        float[] pcm = Arrays.copyOf(Encoding.input(ReferenceCases.named("24k_full")), 40 * 320 + 123);
        float[] whole;
        try (EncoderModel.Stream stream = model.openStream(pcm.length)) {
            stream.input().put(pcm);
            whole = stream.embed(pcm.length);
        }
        int frames = whole.length / 128;
        assertEquals(41, frames);
        float[] streamed = new float[whole.length];
        int[] chunks = {7 * 320, 320, 320, 3 * 320, 28 * 320, 123};
        int at = 0;
        int frame = 0;
        try (EncoderModel.Stream stream = model.openStream(28 * 320)) {
            for (int n : chunks) {
                stream.input().put(pcm, at, n);
                float[] emb = stream.embed(n);
                int got = emb.length / 128;
                for (int d = 0; d < 128; d++) {
                    System.arraycopy(emb, d * got, streamed, d * frames + frame, got);
                }
                at += n;
                frame += got;
            }
        }
        assertEquals(pcm.length, at);
        assertEquals(frames, frame);
        double max = 0;
        double scale = 0;
        for (int i = 0; i < whole.length; i++) {
            max = Math.max(max, Math.abs(whole[i] - streamed[i]));
            scale = Math.max(scale, Math.abs(whole[i]));
        }
        System.out.printf("24 kHz streaming embedding vs whole: max abs difference %.3g (values up to %.3g)%n", max, scale);
        assertTrue(max <= 1e-5 * Math.max(1, scale), "max difference " + max);
    }

    /** How the 48 kHz input is cut into writes does not change the file. */
    @Test
    void writes48kInAnyPiecesGiveTheSameFile() throws IOException {
        Case c = ReferenceCases.named("48k_stride_plus_one");
        float[] pcm = Encoding.input(c);
        byte[] whole = Encoding.encode(pcm, Encoding.options(c));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcEncoder encoder = EcdcEncoder.create(out, Encoding.options(c));
        int frames = pcm.length / 2;
        int at = 0;
        for (int piece = 1; at < frames; piece = piece * 3 + 1) {
            int n = Math.min(piece, frames - at);
            encoder.write(pcm, at * 2, n);
            at += n;
        }
        assertEquals(frames, encoder.length());
        encoder.finish();
        assertArrayEquals(whole, out.toByteArray());
    }

    @Test
    void emptyInputWritesAHeaderOnly() throws IOException {
        for (ModelFamily family : ModelFamily.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EcdcHeader header = EcdcEncoder.create(out, EncoderOptions.of(family, 6).withModels(ReferenceCases.models()))
                    .finish();
            assertEquals(0, header.metadata().audioLength());
            assertArrayEquals(header.toBytes(), out.toByteArray());
            try (EcdcDecoder decoder = EcdcDecoder.open(new java.io.ByteArrayInputStream(out.toByteArray()))) {
                assertEquals(0, decoder.length());
                assertEquals(null, decoder.read());
            }
        }
    }

    @Test
    void refusesInputAfterTheEndAndBadRanges() throws IOException {
        EcdcEncoder encoder = EcdcEncoder.create(new ByteArrayOutputStream(),
                EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, 6).withModels(ReferenceCases.models()));
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.write(new float[10], 0, 6)); // 12 values needed
        encoder.write(new float[10], 0, 5);
        encoder.finish();
        assertThrows(IllegalStateException.class, () -> encoder.write(new float[2], 0, 1));
        assertThrows(IllegalStateException.class, encoder::finish);
    }
}
