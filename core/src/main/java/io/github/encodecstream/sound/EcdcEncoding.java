package io.github.encodecstream.sound;

import javax.sound.sampled.AudioFormat;

/**
 * The {@code ECDC} audio encoding: EnCodec codes in an {@code .ecdc} file. It is the encoding of
 * the format inside {@link javax.sound.sampled.AudioSystem#getAudioFileFormat} results; streams
 * are decoded to PCM.
 */
public final class EcdcEncoding extends AudioFormat.Encoding {
    /** {@code ECDC}. */
    public static final AudioFormat.Encoding ECDC = new EcdcEncoding("ECDC");

    private EcdcEncoding(String name) {
        super(name);
    }
}
