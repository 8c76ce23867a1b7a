package io.github.encodecstream.sound;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;

/**
 * The {@link AudioFileFormat} of an {@code .ecdc} file: its properties ({@link EcdcProperties})
 * and, unlike the public constructors allow together, its byte length (the file's size, when
 * known), as mp3spi's {@code MpegAudioFileFormat} reports both.
 */
final class EcdcAudioFileFormat extends AudioFileFormat {
    private final Map<String, Object> properties;

    EcdcAudioFileFormat(AudioFormat format, int byteLength, int frameLength, Map<String, Object> properties) {
        super(EcdcFileFormatType.ECDC, byteLength, format, frameLength);
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }
}
