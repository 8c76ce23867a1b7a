package io.github.encodecstream.testing;

import io.github.encodecstream.codes.BitPacker;
import io.github.encodecstream.codes.SegmentLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small hand-made {@code .ecdc} files for the fuzz tests' seeds (no model, no reference data):
 * a header of each version and model, plain codes packed by {@link BitPacker} (with a scale per
 * 48 kHz segment), entropy-coded files with arbitrary coded bytes.
 */
public final class EcdcSeeds {
    private static final String LM = ",\"lm\":true,\"lmv\":\"encodec-stream-lm/1\",\"lmh\":\"0123abcd\"";

    private EcdcSeeds() {}

    /** The seeds by name. */
    public static Map<String, byte[]> files() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("24k one step", plain(193, "{\"m\":\"encodec_24khz\",\"al\":320,\"nc\":2,\"lm\":false}"));
        seeds.put("24k 0.2 s, 8 codebooks", plain(193,
                "{\"m\":\"encodec_24khz\",\"al\":4800,\"nc\":8,\"lm\":false,\"br\":6,\"n\":\"x\",\"s\":\"y\"}"));
        seeds.put("24k reference header", plain(0, "{\"m\": \"encodec_24khz\", \"al\": 640, \"nc\": 4, \"lm\": false}"));
        seeds.put("24k empty", plain(192, "{\"m\":\"encodec_24khz\",\"al\":0,\"nc\":2,\"lm\":false}"));
        seeds.put("48k two segments", plain(193, "{\"m\":\"encodec_48khz\",\"al\":48600,\"nc\":1,\"lm\":false,\"sr\":44100}"));
        seeds.put("48k one step", plain(193, "{\"m\":\"encodec_48khz\",\"al\":320,\"nc\":4,\"lm\":false,\"t\":\"z\"}"));
        seeds.put("24k lm", withData(EcdcBytes.header(193, "{\"m\":\"encodec_24khz\",\"al\":640,\"nc\":2" + LM + "}"),
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        seeds.put("48k lm with segment lengths", withData(EcdcBytes.header(193,
                "{\"m\":\"encodec_48khz\",\"al\":48600,\"nc\":2" + LM + ",\"lms\":[3,2]}"),
                new byte[] {0x3f, (byte) 0x80, 0, 0, 9, 8, 7, 0x3f, 0, 0, 0, 6, 5}));
        return seeds;
    }

    /**
     * The 80-byte file of the security review (issue 17, row 9): a 24 kHz header declaring a week
     * ({@code al} = {@link io.github.encodecstream.format.EcdcMetadata#MAX_AUDIO_LENGTH}) of two
     * codebooks, then 15 bytes of codes, six steps of 20 bits.
     */
    public static byte[] eightyByteWeek() {
        byte[] header = EcdcBytes.header(0, "{\"m\":\"encodec_24khz\",\"al\":"
                + io.github.encodecstream.format.EcdcMetadata.MAX_AUDIO_LENGTH + ",\"nc\":2,\"lm\":false}");
        byte[] file = java.util.Arrays.copyOf(header, 80);
        for (int i = header.length; i < file.length; i++) {
            file[i] = (byte) (i * 37);
        }
        return file;
    }

    /** A plain file: the header of {@code json}, then codes {@code (i * 37) % 1024} for every step of every segment. */
    public static byte[] plain(int version, String json) {
        byte[] header = EcdcBytes.header(version, json);
        try {
            SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(header));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            BitPacker packer = new BitPacker(out);
            for (int s = 0; s < layout.segmentCount(); s++) {
                if (layout.family().isSegmented()) {
                    out.writeBytes(ByteBuffer.allocate(SegmentLayout.SCALE_BYTES).putFloat(0.5f + s).array());
                }
                int codes = layout.segment(s).steps() * layout.codebooks();
                for (int i = 0; i < codes; i++) {
                    packer.write((i * 37) % (BitPacker.MAX_VALUE + 1));
                }
                packer.flush();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] withData(byte[] header, byte[] data) {
        return ByteBuffer.allocate(header.length + data.length).put(header).put(data).array();
    }
}
