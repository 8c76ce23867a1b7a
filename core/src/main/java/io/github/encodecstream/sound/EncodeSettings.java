package io.github.encodecstream.sound;

import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.dsp.PcmInput;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.ModelFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;

/**
 * How a PCM stream is encoded by {@link EcdcAudioFileWriter} and {@link EcdcFormatConversionProvider}:
 * the encoder's options, chosen from a property map (see {@link EcdcAudioFileWriter} for the rule)
 * and the PCM format, and the loop that reads the stream into a {@link PcmEncoder}.
 */
final class EncodeSettings {
    /** The reference's bandwidths of the 24 kHz model, bit/s. */
    private static final double[] BANDWIDTHS_24K = {1500, 3000, 6000, 12000, 24000};
    /** The reference's bandwidths of the 48 kHz model, bit/s. */
    private static final double[] BANDWIDTHS_48K = {3000, 6000, 12000, 24000};

    private final EncoderOptions options;

    private EncodeSettings(EncoderOptions options) {
        this.options = options;
    }

    /** A setting with a value that cannot be used (the PCM stream itself could be encoded). */
    static final class InvalidSettingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Whether the encoding side takes streams of this format (any settings aside). */
    static boolean isEncodable(AudioFormat source) {
        return PcmInput.of(source) != null;
    }

    /**
     * Whether PCM of format {@code source} is encoded with the settings {@code properties}: the one
     * answer of every "supported" method of the writer and the converter, so that none says yes
     * where the write or the conversion would then throw {@link IllegalArgumentException}. True
     * when {@link #of} succeeds, and when it fails only for an unusable setting (the write reports
     * that as an {@link IOException} naming it); false for a format that cannot be read, or more
     * than two channels for the stereo model the settings choose.
     */
    static boolean canEncode(Map<String, Object> properties, AudioFormat source) {
        if (!isEncodable(source)) {
            return false;
        }
        try {
            of(properties, source, null);
            return true;
        } catch (InvalidSettingException e) {
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The settings for PCM of format {@code source} with the properties {@code properties}.
     *
     * @throws InvalidSettingException for a property value that cannot be used
     * @throws IllegalArgumentException when {@code source} is not a PCM format that can be read,
     *     or has more channels than can be mixed to the chosen model's
     */
    static EncodeSettings of(Map<String, Object> properties, AudioFormat source, Models models) {
        PcmInput input = PcmInput.of(source);
        if (input == null) {
            throw new IllegalArgumentException("cannot encode " + source + ": PCM_SIGNED or PCM_UNSIGNED of 8, 16, "
                    + "24 or 32 bits or PCM_FLOAT of 32 or 64 bits, unpadded, at a known sample rate, is needed");
        }
        EncoderOptions options = choose(properties, input.sampleRate(), input.channels());
        if (models != null) {
            options = options.withModels(models);
        }
        if (!PcmEncoder.canMix(input.channels(), options.channels())) {
            throw new IllegalArgumentException("cannot encode " + input.channels() + " channels with "
                    + options.family().fileName() + ", a stereo model: only mono or stereo input");
        }
        return new EncodeSettings(options);
    }

    /** The options the properties ask for, for input at {@code rate} Hz with {@code channels} channels. */
    static EncoderOptions choose(Map<String, Object> properties, int rate, int channels) {
        Object br = properties.get(EcdcProperties.BR);
        double bitrate = br != null ? positive(EcdcProperties.BR, br, "kbit/s") * 1000
                : properties.get(EcdcProperties.BITRATE) == null ? EcdcAudioFileWriter.DEFAULT_BITRATE
                : positive(EcdcProperties.BITRATE, properties.get(EcdcProperties.BITRATE), "bit/s");
        ModelFamily model = model(properties.get(EcdcProperties.MODEL));
        String name = text(properties, EcdcProperties.TITLE);
        String source = text(properties, EcdcProperties.SOURCE);
        String thumbnail = text(properties, EcdcProperties.THUMBNAIL);
        double kbps = bitrate / 1000;
        Object lmValue = properties.get(EcdcProperties.LM);
        if (lmValue != null && !(lmValue instanceof Boolean)) {
            throw new InvalidSettingException(EcdcProperties.LM + " must be a Boolean, not "
                    + lmValue.getClass().getName() + " " + lmValue, null);
        }
        boolean lm = Boolean.TRUE.equals(lmValue);
        EncoderOptions options;
        try {
            if (br != null) {
                options = EncoderOptions.forBitrate(kbps);
                if (model != null && model != options.family()) {
                    throw new IllegalArgumentException("Encodec-Stream's rule takes " + options.family().fileName()
                            + " for " + kbps + " kbps, not " + model.fileName());
                }
            } else if (model != null) {
                options = EncoderOptions.of(model, kbps);
            } else if (isModelFormat(ModelFamily.ENCODEC_24KHZ, rate, channels) && contains(BANDWIDTHS_24K, bitrate)) {
                options = EncoderOptions.of(ModelFamily.ENCODEC_24KHZ, kbps);
            } else if (isModelFormat(ModelFamily.ENCODEC_48KHZ, rate, channels) && contains(BANDWIDTHS_48K, bitrate)) {
                options = EncoderOptions.of(ModelFamily.ENCODEC_48KHZ, kbps);
            } else {
                options = EncoderOptions.forBitrate(kbps);
            }
            options = options.withName(name).withSource(source).withThumbnail(thumbnail).withLm(lm);
            options.header(0); // checks the metadata's size now
        } catch (IllegalArgumentException e) {
            String setting = br != null ? EcdcProperties.BR + " = " + br + " kbit/s"
                    : EcdcProperties.BITRATE + " = " + number(bitrate) + " bit/s";
            throw new InvalidSettingException("cannot encode at " + setting
                    + (model == null ? "" : " with " + model.fileName()) + ": " + e.getMessage(), e);
        }
        return options;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static boolean isModelFormat(ModelFamily family, int rate, int channels) {
        return rate == family.sampleRate() && channels == family.channels();
    }

    private static boolean contains(double[] values, double value) {
        for (double v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static double positive(String key, Object value, String unit) {
        if (!(value instanceof Number)) {
            throw new InvalidSettingException(key + " must be a number of " + unit + ", not "
                    + value.getClass().getName() + " " + value, null);
        }
        double v = ((Number) value).doubleValue();
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new InvalidSettingException(key + " must be a positive number of " + unit + ", not " + value, null);
        }
        return v;
    }

    private static ModelFamily model(Object value) {
        if (value == null) {
            return null;
        }
        ModelFamily family = value instanceof ModelFamily ? (ModelFamily) value
                : ModelFamily.fromName(String.valueOf(value)).orElse(null);
        if (family == null) {
            throw new InvalidSettingException(EcdcProperties.MODEL + " must be " + ModelFamily.ENCODEC_24KHZ.fileName()
                    + " or " + ModelFamily.ENCODEC_48KHZ.fileName() + ", not " + value, null);
        }
        return family;
    }

    private static String text(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        if (value == null || value instanceof CharSequence || value instanceof URI || value instanceof URL) {
            return value == null ? null : value.toString();
        }
        throw new InvalidSettingException(key + " must be a String, not " + value.getClass().getName(), null);
    }

    /** The encoder's options. */
    EncoderOptions options() {
        return options;
    }

    /** The {@link EcdcEncoding#ECDC} format of the file: played rate, channels, {@code bitrate}, {@code vbr}. */
    AudioFormat codedFormat() {
        return EcdcProperties.codedFormat(options.header(0).metadata());
    }

    /**
     * Reads {@code in} (of the format these settings were made for) to its end, encodes it and
     * writes the file to {@code out} (flushed, not closed); closes neither stream. A partial frame at
     * the end is dropped.
     *
     * @throws PcmEncoder.InputException for a NaN or infinite sample, or an input longer than a file
     *     holds (before reading anything when the stream's frame length says so)
     */
    EcdcHeader encode(AudioInputStream in, OutputStream out) throws IOException {
        Objects.requireNonNull(in, "in");
        PcmSource source = PcmSource.of(in); // already PCM that PcmInput reads: no conversion
        long declared = source.frames();
        if (declared >= 0 && !PcmEncoder.fits(declared, source.sampleRate(), options)) {
            throw new PcmEncoder.InputException(PcmEncoder.tooLongMessage(declared, source.sampleRate(), options), 0, -1);
        }
        try (PcmEncoder encoder = PcmEncoder.create(out, options, source.sampleRate(), source.channels())) {
            for (int frames; (frames = source.read()) > 0; ) {
                encoder.write(source.samples(), 0, frames);
            }
            // a partial frame at the very end (a truncated stream) is dropped
            return encoder.finish();
        }
    }
}
