package io.github.encodecstream.sound;

import io.github.encodecstream.codec.Models;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.FormatConversionProvider;

/**
 * Converts in both directions between PCM and {@code .ecdc}.
 *
 * <p><b>Decoding</b>: the streams of {@link EcdcAudioFileReader} to 32-bit float PCM
 * ({@link Encoding#PCM_FLOAT}) or to 16, 24 or 32-bit signed PCM, in either byte order, at the
 * same rate and channel count, computed from the decoder's floats with no 16-bit step between
 * (rounding and clipping as {@link io.github.encodecstream.dsp.PcmConversion} documents:
 * {@code round(x * 2^(bits-1))}, halves up, clipped to the integer range; floats unchanged).
 *
 * <pre>{@code
 * AudioInputStream pcm = AudioSystem.getAudioInputStream(file);            // 16-bit
 * AudioInputStream floats = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm);
 * }</pre>
 *
 * <p>It converts those streams (recognised by their format object), from their current
 * position; the stream converted from can no longer be read, and closing either closes both.
 * It also decodes any stream of encoding {@link EcdcEncoding#ECDC} whose bytes are an
 * {@code .ecdc} file from its header on (the format of {@code AudioSystem.getAudioFileFormat}, or
 * of the encoding conversion below): {@code isConversionSupported(PCM_SIGNED, fileFormat.getFormat())}
 * and {@code getTargetEncodings} of that format answer as for the decoded stream. Other
 * conversions are left to the other providers.
 *
 * <p><b>Encoding</b>: PCM (the formats {@link EcdcAudioFileWriter} reads, any stream) to
 * {@link EcdcEncoding#ECDC}: a stream whose bytes are the {@code .ecdc} file, with the settings
 * (bit rate, model, name, source, thumbnail) in the properties of the target format, as
 * {@link EcdcAudioFileWriter} documents them (for the {@link Encoding}-only method: in the source
 * format's properties, as the writer reads them), and chosen by the writer's rule.
 *
 * <pre>{@code
 * AudioFormat target = EcdcAudioFileWriter.targetFormat(Map.of("bitrate", 4500, "title", "Song"));
 * AudioInputStream ecdc = AudioSystem.getAudioInputStream(target, pcm);
 * AudioSystem.write(ecdc, EcdcFileFormatType.ECDC, new File("song.ecdc"));   // or read its bytes
 * }</pre>
 *
 * The target's sample rate and channels may be {@code NOT_SPECIFIED}; when given, they must be
 * those of the file the settings make (its played rate, {@code sr} when it has one, and the
 * model's channels), as {@link #getTargetFormats} lists them. The stream's format has encoding
 * ECDC, that rate and channel count, no sample or frame size, the {@code bitrate} and {@code vbr}
 * properties of {@link EcdcProperties}, and its length is not specified. The header comes first
 * but holds the audio length, so the bytes exist only once the whole input is encoded: the first
 * read of the ECDC stream reads the PCM stream to its end (memory bounded by a segment or chunk of
 * audio) and then delivers the compressed file from memory (0.75 kB per second of audio at
 * 6 kbps); {@code AudioSystem.write} of the stream encodes straight to the file. Its bytes are
 * those {@code AudioSystem.write} of the PCM stream with the same settings writes. Every
 * "supported" answer for encoding is the writer's ({@code EncodeSettings.canEncode}): PCM of 3 or
 * more channels is encoded only where the settings choose the 24 kHz (mono) model, so
 * {@code getTargetEncodings} of such a format with the default settings has no ECDC.
 *
 * <p>Every method throws {@link NullPointerException} for a null argument, as the JDK's providers do.
 */
public final class EcdcFormatConversionProvider extends FormatConversionProvider {
    private static final Encoding[] ENCODINGS = {Encoding.PCM_SIGNED, Encoding.PCM_FLOAT};
    private static final Encoding[] SOURCE_ENCODINGS =
            {Encoding.PCM_SIGNED, Encoding.PCM_FLOAT, Encoding.PCM_UNSIGNED, EcdcEncoding.ECDC};
    private static final Encoding[] TARGET_ENCODINGS = {Encoding.PCM_SIGNED, Encoding.PCM_FLOAT, EcdcEncoding.ECDC};
    private static final Encoding[] ENCODE_ONLY = {EcdcEncoding.ECDC};
    /** The bit rates {@link #getTargetFormats} lists for encoding, bit/s: the default first. */
    private static final int[] LISTED_BITRATES = {EcdcAudioFileWriter.DEFAULT_BITRATE, 1500, 3000, 12_000, 24_000};

    /** The provider {@code AudioSystem} loads. */
    public EcdcFormatConversionProvider() {}

    /**
     * PCM_SIGNED and PCM_FLOAT (decoded {@code .ecdc} streams, and PCM to encode), PCM_UNSIGNED
     * (to encode), ECDC (to decode).
     */
    @Override
    public Encoding[] getSourceEncodings() {
        return SOURCE_ENCODINGS.clone();
    }

    /** PCM_SIGNED and PCM_FLOAT (decoding), ECDC (encoding). */
    @Override
    public Encoding[] getTargetEncodings() {
        return TARGET_ENCODINGS.clone();
    }

    /**
     * Decoded {@code .ecdc} streams: PCM_SIGNED, PCM_FLOAT and ECDC; the ECDC format of a file:
     * PCM_SIGNED and PCM_FLOAT; other PCM that can be encoded: ECDC.
     */
    @Override
    public Encoding[] getTargetEncodings(AudioFormat sourceFormat) {
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        if (sourceFormat instanceof DecodedFormat) {
            return encodable(sourceFormat) ? TARGET_ENCODINGS.clone() : ENCODINGS.clone();
        }
        if (isCoded(sourceFormat)) {
            return ENCODINGS.clone();
        }
        return encodable(sourceFormat) ? ENCODE_ONLY.clone() : new Encoding[0];
    }

    /** Whether PCM of this format is encoded with the settings in its own properties (as the writer decides). */
    private static boolean encodable(AudioFormat sourceFormat) {
        return EncodeSettings.canEncode(sourceFormat.properties(), sourceFormat);
    }

    /** Whether {@code encoding} is one of {@link #getSourceEncodings()}. */
    @Override
    public boolean isSourceEncodingSupported(Encoding sourceEncoding) {
        Objects.requireNonNull(sourceEncoding, "sourceEncoding");
        return super.isSourceEncodingSupported(sourceEncoding);
    }

    /** Whether {@code encoding} is one of {@link #getTargetEncodings()}. */
    @Override
    public boolean isTargetEncodingSupported(Encoding targetEncoding) {
        Objects.requireNonNull(targetEncoding, "targetEncoding");
        return super.isTargetEncodingSupported(targetEncoding);
    }

    /** Whether {@code targetEncoding} is one of {@link #getTargetEncodings(AudioFormat)}. */
    @Override
    public boolean isConversionSupported(Encoding targetEncoding, AudioFormat sourceFormat) {
        Objects.requireNonNull(targetEncoding, "targetEncoding");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        return super.isConversionSupported(targetEncoding, sourceFormat);
    }

    /**
     * Decoding: the PCM formats of {@link DecodedFormat#all}. Encoding: the ECDC formats of 6
     * (the default), 1.5, 3, 12 and 24 kbps for this source (each with its {@code bitrate}
     * property; other bit rates are converted too).
     */
    @Override
    public AudioFormat[] getTargetFormats(Encoding targetEncoding, AudioFormat sourceFormat) {
        Objects.requireNonNull(targetEncoding, "targetEncoding");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        if (EcdcEncoding.ECDC.equals(targetEncoding)) {
            return encodedFormats(sourceFormat);
        }
        if (!(sourceFormat instanceof DecodedFormat) && !isCoded(sourceFormat)) {
            return new AudioFormat[0];
        }
        List<DecodedFormat> formats = DecodedFormat.all(sourceFormat.getSampleRate(), sourceFormat.getChannels());
        return formats.stream().filter(f -> f.getEncoding().equals(targetEncoding))
                .collect(Collectors.toList()).toArray(new AudioFormat[0]);
    }

    private static AudioFormat[] encodedFormats(AudioFormat source) {
        if (!encodable(source)) { // as getTargetEncodings(source) answers
            return new AudioFormat[0];
        }
        List<AudioFormat> formats = new ArrayList<>();
        for (int bitrate : LISTED_BITRATES) {
            try {
                formats.add(EncodeSettings.of(Map.of(EcdcProperties.BITRATE, bitrate), source, null).codedFormat());
            } catch (IllegalArgumentException e) {
                // not for this source (more than 2 channels for a stereo model)
            }
        }
        return formats.toArray(new AudioFormat[0]);
    }

    /**
     * Decoding: whether {@code targetFormat}, where values may be {@code NOT_SPECIFIED}, is one of
     * {@link #getTargetFormats}. Encoding: whether the source is PCM that can be encoded with the
     * target's settings, and the target's rate and channels (when specified) are the file's. A
     * target whose settings are unusable is "supported", so that
     * {@link #getAudioInputStream(AudioFormat, AudioInputStream)} says what is wrong.
     */
    @Override
    public boolean isConversionSupported(AudioFormat targetFormat, AudioFormat sourceFormat) {
        Objects.requireNonNull(targetFormat, "targetFormat");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        if (EcdcEncoding.ECDC.equals(targetFormat.getEncoding())) {
            if (!EncodeSettings.isEncodable(sourceFormat)) {
                return false;
            }
            try { // the settings once: canEncode's answer, and the file's rate and channels to match
                AudioFormat coded = EncodeSettings.of(targetFormat.properties(), sourceFormat, null).codedFormat();
                return coded.matches(targetFormat);
            } catch (EncodeSettings.InvalidSettingException e) {
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return (sourceFormat instanceof DecodedFormat || isCoded(sourceFormat))
                && DecodedFormat.matching(targetFormat, sourceFormat.getSampleRate(), sourceFormat.getChannels()) != null;
    }

    /** An ECDC format that can be decoded: a known rate and channel count. */
    private static boolean isCoded(AudioFormat format) {
        return EcdcEncoding.ECDC.equals(format.getEncoding()) && format.getSampleRate() > 0
                && (format.getChannels() == 1 || format.getChannels() == 2);
    }

    /**
     * The stream in {@code targetEncoding}: 32-bit floats, or 16-bit signed PCM, in the source's
     * byte order; or ECDC, with the settings in the source format's properties (the default
     * bit rate without).
     */
    @Override
    public AudioInputStream getAudioInputStream(Encoding targetEncoding, AudioInputStream sourceStream) {
        Objects.requireNonNull(targetEncoding, "targetEncoding");
        AudioFormat source = sourceStream.getFormat();
        if (EcdcEncoding.ECDC.equals(targetEncoding)) {
            return encode(source.properties(), sourceStream, null);
        }
        int bits = targetEncoding.equals(Encoding.PCM_FLOAT) ? 32 : 16;
        return getAudioInputStream(new AudioFormat(targetEncoding, source.getSampleRate(), bits, source.getChannels(),
                source.getChannels() * bits / 8, source.getSampleRate(), source.isBigEndian()), sourceStream);
    }

    /**
     * Decoding: the stream in the first supported format that {@code targetFormat} matches (its
     * {@code NOT_SPECIFIED} values match anything). Encoding (a target of encoding ECDC): the
     * {@code .ecdc} file of the PCM stream, with the target's settings.
     *
     * @throws IllegalArgumentException when the stream is not a decoded {@code .ecdc} stream or
     *     the format is not one of {@link #getTargetFormats}; when encoding, when the source cannot
     *     be encoded, a setting cannot be used (the message says which) or the target's rate or
     *     channels are not the file's
     * @throws UncheckedIOException when the source stream is closed, or (encoding) the
     *     encodec-stream settings (models, device) are invalid
     */
    @Override
    public AudioInputStream getAudioInputStream(AudioFormat targetFormat, AudioInputStream sourceStream) {
        Objects.requireNonNull(targetFormat, "targetFormat");
        Objects.requireNonNull(sourceStream, "sourceStream");
        if (EcdcEncoding.ECDC.equals(targetFormat.getEncoding())) {
            return encode(targetFormat.properties(), sourceStream, targetFormat);
        }
        AudioFormat source = sourceStream.getFormat();
        if (!(sourceStream instanceof EcdcAudioInputStream) && !isCoded(source)) {
            throw new IllegalArgumentException("not a decoded .ecdc stream: " + source);
        }
        DecodedFormat target = DecodedFormat.matching(targetFormat, source.getSampleRate(), source.getChannels());
        if (target == null) {
            throw new IllegalArgumentException("unsupported conversion: " + targetFormat + " from " + source);
        }
        try {
            EcdcAudioInputStream decoded = sourceStream instanceof EcdcAudioInputStream
                    ? (EcdcAudioInputStream) sourceStream : decode(sourceStream);
            return decoded.convertTo(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 16-bit stream of the {@code .ecdc} file that an ECDC stream's bytes are (read forward only). */
    private static EcdcAudioInputStream decode(AudioInputStream coded) throws IOException {
        try {
            return (EcdcAudioInputStream) new EcdcAudioFileReader().getAudioInputStream(
                    new BufferedInputStream(coded, 1 << 16));
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalArgumentException("the stream's bytes are not an .ecdc file: " + e.getMessage(), e);
        }
    }

    /** The ECDC stream of a PCM stream, checked against {@code target} when there is one. */
    private static AudioInputStream encode(Map<String, Object> properties, AudioInputStream source,
            AudioFormat target) {
        AudioFormat format = source.getFormat();
        if (!EncodeSettings.isEncodable(format)) {
            throw new IllegalArgumentException("unsupported conversion to ECDC from " + format
                    + ": PCM_SIGNED or PCM_UNSIGNED of 8 to 32 bits or PCM_FLOAT is needed");
        }
        Models models;
        try {
            models = PluginSettings.models();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EncodeSettings settings = EncodeSettings.of(properties, format, models);
        AudioFormat coded = settings.codedFormat();
        if (target != null && !coded.matches(target)) {
            throw new IllegalArgumentException("unsupported conversion: " + target + " from " + format + ": these "
                    + "settings make a file of " + coded.getSampleRate() + " Hz, " + coded.getChannels() + " channels");
        }
        return new EcdcEncodedStream(source, settings);
    }
}
