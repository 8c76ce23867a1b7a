package io.github.encodecstream.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Short WAV, AIFF and AU files of a synthetic tone, written by Java Sound's own writers, as seeds
 * for the fuzz tests of PCM input (no reference data).
 */
public final class PcmSeeds {
    private static final int FRAMES = 64;

    private PcmSeeds() {}

    /** The seeds by name. */
    public static Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("wav s16le stereo", write(AudioFileFormat.Type.WAVE, new AudioFormat(48_000, 16, 2, true, false)));
        seeds.put("wav u8 mono", write(AudioFileFormat.Type.WAVE, new AudioFormat(8_000, 8, 1, false, false)));
        seeds.put("wav s24le mono", write(AudioFileFormat.Type.WAVE, new AudioFormat(24_000, 24, 1, true, false)));
        seeds.put("wav float", write(AudioFileFormat.Type.WAVE,
                new AudioFormat(Encoding.PCM_FLOAT, 44_100, 32, 1, 4, 44_100, false)));
        seeds.put("aiff s16be stereo", write(AudioFileFormat.Type.AIFF, new AudioFormat(44_100, 16, 2, true, true)));
        seeds.put("au s16be mono", write(AudioFileFormat.Type.AU, new AudioFormat(16_000, 16, 1, true, true)));
        seeds.put("au mu-law", write(AudioFileFormat.Type.AU, new AudioFormat(Encoding.ULAW, 8_000, 8, 1, 1, 8_000, true)));
        return seeds;
    }

    /** A tone of {@value #FRAMES} frames in {@code format}, written as {@code type}. */
    private static byte[] write(AudioFileFormat.Type type, AudioFormat format) throws IOException {
        byte[] pcm = new byte[FRAMES * format.getFrameSize()];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) (64 * Math.sin(i * 0.3));
        }
        AudioInputStream stream = new AudioInputStream(new ByteArrayInputStream(pcm), format, FRAMES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(stream, type, out);
        return out.toByteArray();
    }
}
