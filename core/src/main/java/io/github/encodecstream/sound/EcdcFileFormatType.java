package io.github.encodecstream.sound;

import javax.sound.sampled.AudioFileFormat;

/** The {@code ECDC} audio file type, extension {@code ecdc}. */
public final class EcdcFileFormatType extends AudioFileFormat.Type {
    /** {@code ECDC}, extension {@code ecdc}. */
    public static final AudioFileFormat.Type ECDC = new EcdcFileFormatType("ECDC", "ecdc");

    private EcdcFileFormatType(String name, String extension) {
        super(name, extension);
    }
}
