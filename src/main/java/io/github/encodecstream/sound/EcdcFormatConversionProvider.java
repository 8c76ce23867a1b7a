package io.github.encodecstream.sound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.spi.FormatConversionProvider;

/**
 * Converts the streams of {@link EcdcAudioFileReader} to 32-bit float PCM
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
 * <p>It converts only those streams (recognised by their format object), from their current
 * position; the stream converted from can no longer be read, and closing either closes both.
 * Other conversions are left to the other providers.
 */
public final class EcdcFormatConversionProvider extends FormatConversionProvider {
    private static final Encoding[] ENCODINGS = {Encoding.PCM_SIGNED, Encoding.PCM_FLOAT};

    /** The provider {@code AudioSystem} loads. */
    public EcdcFormatConversionProvider() {}

    /** PCM_SIGNED and PCM_FLOAT, of decoded {@code .ecdc} streams only. */
    @Override
    public Encoding[] getSourceEncodings() {
        return ENCODINGS.clone();
    }

    @Override
    public Encoding[] getTargetEncodings() {
        return ENCODINGS.clone();
    }

    @Override
    public Encoding[] getTargetEncodings(AudioFormat sourceFormat) {
        return sourceFormat instanceof DecodedFormat ? ENCODINGS.clone() : new Encoding[0];
    }

    @Override
    public AudioFormat[] getTargetFormats(Encoding targetEncoding, AudioFormat sourceFormat) {
        if (!(sourceFormat instanceof DecodedFormat)) {
            return new AudioFormat[0];
        }
        List<DecodedFormat> formats = DecodedFormat.all(sourceFormat.getSampleRate(), sourceFormat.getChannels());
        return formats.stream().filter(f -> f.getEncoding().equals(targetEncoding))
                .collect(Collectors.toList()).toArray(new AudioFormat[0]);
    }

    /** Whether {@code targetFormat}, where values may be {@code NOT_SPECIFIED}, is one of {@link #getTargetFormats}. */
    @Override
    public boolean isConversionSupported(AudioFormat targetFormat, AudioFormat sourceFormat) {
        return sourceFormat instanceof DecodedFormat
                && DecodedFormat.matching(targetFormat, sourceFormat.getSampleRate(), sourceFormat.getChannels()) != null;
    }

    /**
     * The stream in {@code targetEncoding}: 32-bit floats, or 16-bit signed PCM, in the source's
     * byte order.
     */
    @Override
    public AudioInputStream getAudioInputStream(Encoding targetEncoding, AudioInputStream sourceStream) {
        AudioFormat source = sourceStream.getFormat();
        int bits = targetEncoding.equals(Encoding.PCM_FLOAT) ? 32 : 16;
        return getAudioInputStream(new AudioFormat(targetEncoding, source.getSampleRate(), bits, source.getChannels(),
                source.getChannels() * bits / 8, source.getSampleRate(), source.isBigEndian()), sourceStream);
    }

    /**
     * The stream in the first supported format that {@code targetFormat} matches (its
     * {@code NOT_SPECIFIED} values match anything).
     *
     * @throws IllegalArgumentException when the stream is not a decoded {@code .ecdc} stream or
     *     the format is not one of {@link #getTargetFormats}
     * @throws UncheckedIOException when the source stream is closed
     */
    @Override
    public AudioInputStream getAudioInputStream(AudioFormat targetFormat, AudioInputStream sourceStream) {
        if (!(sourceStream instanceof EcdcAudioInputStream)) {
            throw new IllegalArgumentException("not a decoded .ecdc stream: " + sourceStream.getFormat());
        }
        AudioFormat source = sourceStream.getFormat();
        DecodedFormat target = DecodedFormat.matching(targetFormat, source.getSampleRate(), source.getChannels());
        if (target == null) {
            throw new IllegalArgumentException("unsupported conversion: " + targetFormat + " from " + source);
        }
        try {
            return ((EcdcAudioInputStream) sourceStream).convertTo(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
