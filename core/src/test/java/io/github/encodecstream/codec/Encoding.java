package io.github.encodecstream.codec;

import io.github.encodecstream.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared helpers of the encoder tests: the reference inputs, encoding, reading codes back. */
final class Encoding {
    private static final Map<String, float[]> WAVS = new ConcurrentHashMap<>();

    private Encoding() {}

    /** A file's codes and scales, segment by segment. */
    record Segments(EcdcHeader header, List<int[]> codes, List<Float> scales) {}

    /** The encoder input of a case (its manifest {@code input}), interleaved. */
    static float[] input(Case c) {
        JsonNode in = c.json().get("input");
        int length = in.get("length").asInt();
        if (in.has("silence") && in.get("silence").asBoolean()) {
            return new float[length * in.get("channels").asInt()];
        }
        float[] wav = wav(in.get("wav").asText());
        int channels = c.channels();
        int offset = in.get("offset").asInt();
        float[] out = new float[length * channels];
        System.arraycopy(wav, offset * channels, out, 0, out.length);
        return out;
    }

    /** A 16-bit PCM WAV of {@code audio/}, as {@code sample / 32768}, interleaved. */
    static float[] wav(String name) {
        return WAVS.computeIfAbsent(name, n -> {
            try {
                return Samples.readWav(ReferenceData.file("audio/" + n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The reference's options of a case: its model and bandwidth, on the test networks. */
    static EncoderOptions options(Case c) {
        ModelFamily family = ModelFamily.fromName(c.model()).orElseThrow();
        return EncoderOptions.of(family, c.json().get("bandwidth").asDouble()).withModels(ReferenceCases.models());
    }

    /** Encodes interleaved samples in one write. */
    static byte[] encode(float[] interleaved, EncoderOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EcdcEncoder.encode(interleaved, options, out);
        return out.toByteArray();
    }

    /** Reads a non-LM file's codes ({@code [codebook][step]} per segment) and scales. */
    static Segments read(byte[] file) throws IOException {
        InputStream in = new ByteArrayInputStream(file);
        EcdcHeader header = EcdcHeader.read(in);
        SegmentLayout layout = SegmentLayout.of(header);
        CodeReader reader = new CodeReader(layout, in, header.frameDataOffset());
        int nc = layout.codebooks();
        List<int[]> codes = new ArrayList<>();
        List<Float> scales = new ArrayList<>();
        for (int s = 0; s < layout.segmentCount(); s++) {
            scales.add(reader.beginSegment(s));
            int steps = layout.segment(s).steps();
            int[] stepMajor = new int[steps * nc];
            if (reader.readSteps(stepMajor, steps) != steps) {
                throw new IOException("segment " + s + " is short");
            }
            int[] bookMajor = new int[steps * nc];
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < nc; k++) {
                    bookMajor[k * steps + t] = stepMajor[t * nc + k];
                }
            }
            codes.add(bookMajor);
        }
        return new Segments(header, codes, scales);
    }

    /** The reference codes of a case, per segment, {@code [codebook][step]}. */
    static List<int[]> referenceCodes(Case c) throws IOException {
        short[] all = ReferenceData.readI16(c.file(".codes.i16"));
        List<int[]> out = new ArrayList<>();
        int at = 0;
        for (JsonNode frame : c.json().get("frames")) {
            int n = frame.get("steps").asInt() * c.codebooks();
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                codes[i] = all[at + i];
            }
            at += n;
            out.add(codes);
        }
        return out;
    }
}
