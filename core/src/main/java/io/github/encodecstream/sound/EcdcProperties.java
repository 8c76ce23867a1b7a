package io.github.encodecstream.sound;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.encodecstream.codes.LengthBound;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;

/**
 * The properties of an {@code .ecdc} file as Java Sound reports them: the
 * {@link AudioFileFormat} of {@link javax.sound.sampled.AudioSystem#getAudioFileFormat} has type
 * {@link EcdcFileFormatType#ECDC}, frame length {@code al} (samples per channel;
 * {@link AudioSystem#NOT_SPECIFIED} above {@link Integer#MAX_VALUE}) where the file's size is
 * known and its data can hold that much, else the bound of {@link LengthBound} (a header's
 * {@code al} is not believed beyond the data: an 80-byte file that declares a week reports a few
 * thousand frames; an {@code InputStream}, whose size is not known, reports {@code al} as
 * declared), byte length the file's size
 * (for a {@code File} or a URL whose length is known; {@code NOT_SPECIFIED} for an
 * {@code InputStream}) and an {@link AudioFormat} of encoding {@link EcdcEncoding#ECDC} at the
 * file's rate ({@code sr} when present, else the model's) with its channel count. That format's
 * sample size and frame size are {@code NOT_SPECIFIED}, as for other compressed formats: a code
 * step holds {@code nc x 10} bits, which is not a whole number of bytes for every {@code nc}, the
 * 48 kHz model adds a 4-byte scale per segment, and entropy-coded files have no fixed size at all;
 * its frame rate is the sample rate (one frame per sample per channel, as the decoded PCM).
 * {@code AudioSystem.getAudioInputStream(PCM_SIGNED or PCM_FLOAT, ...)} and
 * {@code isConversionSupported} accept this format as the source of a conversion.
 *
 * <p>The last column says which keys {@link EcdcAudioFileWriter} and the PCM to ECDC conversion of
 * {@link EcdcFormatConversionProvider} read as settings: from the properties of the stream's
 * {@link AudioFormat} (writer), or of the target {@link AudioFormat} (conversion); see the
 * writer for how the model is chosen. Keys it does not read are ignored, so the properties of a
 * file's {@code AudioFileFormat} can be handed over as they are (its name, source, thumbnail,
 * model and {@code br} are then kept; {@code bitrate} is on its {@code AudioFormat}).
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>key</th><th>on</th><th>type</th><th>unit, meaning</th><th>read by the writer</th></tr>
 * <tr><td>{@code bitrate}</td><td>AudioFormat</td><td>Integer</td><td>bit/s: the bit rate of the
 *     codes as played, {@code 1000 x ecdc.bandwidth} rounded</td>
 *     <td>yes: the bit rate to encode at, bit/s (any Number; default 6000)</td></tr>
 * <tr><td>{@code vbr}</td><td>AudioFormat</td><td>Boolean</td><td>whether the bit rate varies:
 *     true for entropy-coded ({@code lm}) files, else false</td><td>no</td></tr>
 * <tr><td>{@code duration}</td><td>AudioFileFormat</td><td>Long</td><td>microseconds:
 *     {@code al / rate}, rounded, at the rate the samples are played at (so {@code sr} for
 *     shifted files); of the frame length above where the file cannot hold {@code al}</td><td>no</td></tr>
 * <tr><td>{@code title}</td><td>AudioFileFormat</td><td>String</td><td>the name, {@code n}
 *     (absent without one)</td>
 *     <td>yes: the name to write ({@code n})</td></tr>
 * <tr><td>{@code ecdc.version}</td><td>AudioFileFormat</td><td>Integer</td><td>the container
 *     version: 0 (reference), 192 or 193 (Encodec-Stream)</td><td>no</td></tr>
 * <tr><td>{@code ecdc.model}</td><td>AudioFileFormat</td><td>String</td><td>{@code m}:
 *     {@code encodec_24khz} or {@code encodec_48khz}</td>
 *     <td>yes: encode with this model, by the reference's codebook rule</td></tr>
 * <tr><td>{@code ecdc.modelSampleRate}</td><td>AudioFileFormat</td><td>Integer</td><td>Hz: the
 *     rate the model computes the samples at (24000 or 48000)</td><td>no</td></tr>
 * <tr><td>{@code ecdc.sampleRate}</td><td>AudioFileFormat</td><td>Integer</td><td>Hz:
 *     Encodec-Stream's shifted rate {@code sr}, the rate the samples are played at (absent
 *     without one)</td><td>no</td></tr>
 * <tr><td>{@code ecdc.codebooks}</td><td>AudioFileFormat</td><td>Integer</td><td>{@code nc}:
 *     codebooks per code step</td><td>no</td></tr>
 * <tr><td>{@code ecdc.bandwidth}</td><td>AudioFileFormat</td><td>Double</td><td>kbit/s:
 *     codebooks x 10 bits x code steps per second, scaled by played rate / model rate; as the
 *     command line's {@code bandwidth_kbps} (e.g. 6.0)</td><td>no</td></tr>
 * <tr><td>{@code ecdc.br}</td><td>AudioFileFormat</td><td>Double</td><td>kbit/s: the bit rate
 *     the file says it was asked for, Encodec-Stream's {@code br} (absent without one)</td>
 *     <td>yes: encode by Encodec-Stream's rule at this bit rate, kbit/s (any Number), instead of
 *     {@code bitrate}</td></tr>
 * <tr><td>{@code ecdc.lm}</td><td>AudioFileFormat</td><td>Boolean</td><td>{@code lm}: whether
 *     the codes are entropy coded (decodable when written by Encodec-Stream's deterministic LM,
 *     see {@code ecdc.lmVersion}; the reference's own lm files are refused)</td>
 *     <td>yes: {@code Boolean.TRUE} entropy-codes the codes with the deterministic LM (its
 *     checkpoint comes from the model store)</td></tr>
 * <tr><td>{@code ecdc.lmVersion}</td><td>AudioFileFormat</td><td>String</td><td>{@code lmv}: the
 *     deterministic LM's version, e.g. {@code encodec-stream-lm/2} (absent without one)</td>
 *     <td>no</td></tr>
 * <tr><td>{@code ecdc.lmChunkSteps}</td><td>AudioFileFormat</td><td>Integer</td><td>{@code lmc}:
 *     code steps per independently coded LM chunk of a 24 kHz {@code encodec-stream-lm/2} file
 *     (375: 5 s; absent otherwise)</td><td>no</td></tr>
 * <tr><td>{@code ecdc.lmIndex}</td><td>AudioFileFormat</td><td>Boolean</td><td>whether the file
 *     has an LM index with a CRC-32C per segment or chunk and one of the header
 *     ({@code encodec-stream-lm/2}); absent without entropy coding</td><td>no</td></tr>
 * <tr><td>{@code ecdc.source}</td><td>AudioFileFormat</td><td>String</td><td>{@code s}: the
 *     source URL (absent without one)</td>
 *     <td>yes: the source URL to write ({@code s}; a String, URI or URL)</td></tr>
 * <tr><td>{@code ecdc.thumbnail}</td><td>AudioFileFormat</td><td>String</td><td>{@code t}: the
 *     thumbnail URL (absent without one)</td>
 *     <td>yes: the thumbnail URL to write ({@code t}; a String, URI or URL)</td></tr>
 * <tr><td>{@code ecdc.extra.KEY}</td><td>AudioFileFormat</td><td>String, Long, Double or
 *     Boolean</td><td>an unknown metadata key {@code KEY}: a JSON string, whole number (that fits
 *     a long), other number or boolean as such; null, arrays, objects and larger numbers as their
 *     JSON text</td><td>no</td></tr>
 * </table>
 */
public final class EcdcProperties {
    /** AudioFormat: bit/s. */
    public static final String BITRATE = "bitrate";
    /** AudioFormat: variable bit rate. */
    public static final String VBR = "vbr";
    /** AudioFileFormat: microseconds. */
    public static final String DURATION = "duration";
    /** AudioFileFormat: the name. */
    public static final String TITLE = "title";
    /** The container version. */
    public static final String VERSION = "ecdc.version";
    /** The model name. */
    public static final String MODEL = "ecdc.model";
    /** The model's sample rate, Hz. */
    public static final String MODEL_SAMPLE_RATE = "ecdc.modelSampleRate";
    /** The shifted sample rate {@code sr}, Hz. */
    public static final String SAMPLE_RATE = "ecdc.sampleRate";
    /** Codebooks. */
    public static final String CODEBOOKS = "ecdc.codebooks";
    /** Bandwidth, kbit/s. */
    public static final String BANDWIDTH = "ecdc.bandwidth";
    /** The file's {@code br}, kbit/s. */
    public static final String BR = "ecdc.br";
    /** Entropy coding. */
    public static final String LM = "ecdc.lm";
    /** The deterministic LM's version {@code lmv}. */
    public static final String LM_VERSION = "ecdc.lmVersion";
    /** The steps per LM chunk {@code lmc} of a 24 kHz {@code encodec-stream-lm/2} file. */
    public static final String LM_CHUNK_STEPS = "ecdc.lmChunkSteps";
    /** Whether an entropy-coded file has an LM index with checksums. */
    public static final String LM_INDEX = "ecdc.lmIndex";
    /** Source URL. */
    public static final String SOURCE = "ecdc.source";
    /** Thumbnail URL. */
    public static final String THUMBNAIL = "ecdc.thumbnail";
    /** Prefix of unknown keys. */
    public static final String EXTRA_PREFIX = "ecdc.extra.";

    private EcdcProperties() {}

    /**
     * The file format of a file with this header whose size is {@code byteLength} bytes (negative
     * when unknown): its frame length and duration are bounded by what that size can hold.
     */
    static AudioFileFormat fileFormat(EcdcHeader header, long byteLength) {
        long frames = LengthBound.of(SegmentLayout.of(header), byteLength);
        return new EcdcAudioFileFormat(codedFormat(header.metadata()), intOrUnspecified(byteLength),
                intOrUnspecified(frames), fileProperties(header, frames));
    }

    private static int intOrUnspecified(long value) {
        return value >= 0 && value <= Integer.MAX_VALUE ? (int) value : AudioSystem.NOT_SPECIFIED;
    }

    /** The {@link EcdcEncoding#ECDC} format: rate, channels, bit rate; no sample or frame size. */
    static AudioFormat codedFormat(EcdcMetadata m) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(BITRATE, (int) Math.round(m.bandwidthKbps() * 1000));
        properties.put(VBR, m.lm());
        float rate = m.effectiveSampleRate();
        return new AudioFormat(EcdcEncoding.ECDC, rate, AudioSystem.NOT_SPECIFIED, m.family().channels(),
                AudioSystem.NOT_SPECIFIED, rate, false, properties);
    }

    private static Map<String, Object> fileProperties(EcdcHeader header, long frames) {
        EcdcMetadata m = header.metadata();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(DURATION, microseconds(frames, m.effectiveSampleRate()));
        putIfPresent(p, TITLE, m.name());
        p.put(VERSION, header.version());
        p.put(MODEL, m.model());
        p.put(MODEL_SAMPLE_RATE, m.family().sampleRate());
        putIfPresent(p, SAMPLE_RATE, m.shiftedSampleRate());
        p.put(CODEBOOKS, m.codebooks());
        p.put(BANDWIDTH, m.bandwidthKbps());
        putIfPresent(p, BR, m.bitrate());
        p.put(LM, m.lm());
        putIfPresent(p, LM_VERSION, m.lmVersion());
        putIfPresent(p, LM_CHUNK_STEPS, m.lmChunkSteps());
        if (m.lm()) {
            p.put(LM_INDEX, m.hasLmIndex());
        }
        putIfPresent(p, SOURCE, m.source());
        putIfPresent(p, THUMBNAIL, m.thumbnail());
        m.extra().forEach((key, value) -> p.put(EXTRA_PREFIX + key, javaValue(value)));
        return p;
    }

    /** {@code frames / rate} seconds in microseconds, rounded to the nearest. */
    static long microseconds(long frames, int rate) {
        return (frames * 1_000_000 + rate / 2) / rate;
    }

    private static void putIfPresent(Map<String, Object> p, String key, Object value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    private static Object javaValue(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.toString();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return v.toString();
    }
}
