package io.github.encodecstream.sound;

import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.files.OutputFile;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.spi.AudioFileWriter;

/**
 * Writes {@code .ecdc} files for {@link AudioSystem#write}: PCM is encoded; a stream that is
 * already {@link EcdcEncoding#ECDC} (from {@link EcdcFormatConversionProvider}) is copied.
 *
 * <pre>{@code
 * AudioInputStream pcm = AudioSystem.getAudioInputStream(new File("song.wav"));
 * AudioSystem.write(pcm, EcdcFileFormatType.ECDC, new File("song.ecdc"));          // 6 kbps
 *
 * AudioFormat ecdc = EcdcAudioFileWriter.targetFormat(Map.of("bitrate", 12_000, "title", "Song"));
 * AudioSystem.write(AudioSystem.getAudioInputStream(ecdc, pcm), EcdcFileFormatType.ECDC, file);
 * }</pre>
 *
 * <p><b>Input</b>: {@code PCM_SIGNED} or {@code PCM_UNSIGNED} of 8, 16, 24 or 32 bits,
 * {@code PCM_FLOAT} of 32 or 64 bits, either byte order, any sample rate, any number of channels
 * for a mono model, 1 or 2 for a stereo one (more are not mixed down: a stream of 3 or more
 * channels whose settings choose the stereo model is not supported, as
 * {@link #getAudioFileTypes(AudioInputStream)} says; a bit rate below 3 kbps, or
 * {@code ecdc.model} {@code encodec_24khz}, mixes any number to mono), read from the stream's position to its end (or its
 * frame length; a read that returns 0 is the end too, as for the JDK's writers: the stream of a
 * stopped {@code TargetDataLine}, so that the Java Sound tutorial's recorder,
 * {@code AudioSystem.write(new AudioInputStream(line), ECDC, file)} ended by {@code line.stop()}
 * and {@code line.close()} from another thread, writes the audio recorded until then and
 * returns). Integers are read as {@code v / 2^(bits-1)} (so 16-bit PCM exactly as the
 * reference reads WAV files). The audio is mixed and resampled to what the model takes by
 * {@link io.github.encodecstream.codec.PcmEncoder} (to mono: the mean of the channels; mono to
 * stereo: a copy; a windowed-sinc resampler); the file's {@code al} is the input's length at the
 * encoded rate.
 *
 * <p><b>Settings</b> are read from the properties of the stream's {@link AudioFormat} (for the
 * conversion: of the target format), with the keys of {@link EcdcProperties}:
 * <table>
 * <caption>Properties read by the writer and the PCM to ECDC conversion</caption>
 * <tr><th>key</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@code bitrate}</td><td>Number</td><td>bit/s (as the reader reports it, e.g. 6000);
 *     default {@value #DEFAULT_BITRATE}</td></tr>
 * <tr><td>{@code ecdc.br}</td><td>Number</td><td>kbit/s: Encodec-Stream's rule at this bit rate
 *     (below), used instead of {@code bitrate}</td></tr>
 * <tr><td>{@code ecdc.model}</td><td>String</td><td>{@code encodec_24khz} or
 *     {@code encodec_48khz}: use this model with the reference's rule (below)</td></tr>
 * <tr><td>{@code title}</td><td>String</td><td>the name, {@code n}</td></tr>
 * <tr><td>{@code ecdc.source}</td><td>String (or URI, URL)</td><td>the source URL, {@code s}</td></tr>
 * <tr><td>{@code ecdc.thumbnail}</td><td>String (or URI, URL)</td><td>the thumbnail URL, {@code t}</td></tr>
 * <tr><td>{@code ecdc.lm}</td><td>Boolean</td><td>{@code Boolean.TRUE}: entropy-code the codes with
 *     Encodec-Stream's deterministic LM ({@code lm}, {@code lmv}, {@code lmh}, {@code lms}; the LM
 *     checkpoint comes from the model store); default false</td></tr>
 * </table>
 *
 * <p><b>Model and codebooks</b>, for a bit rate {@code B} kbps ({@code bitrate / 1000}):
 * <ol>
 *   <li>with {@code ecdc.br}: Encodec-Stream's rule (the last one) at that bit rate, whatever the
 *       input, so that the file is what {@code ecdc_stream.py -e -b ecdc.br} writes (version 193
 *       with {@code br} and {@code sr}; a 48 kHz stereo input at 6 kbps gets its header, not the
 *       reference's; from the same 16-bit input its codes are Encodec-Stream's, its segment scales
 *       smaller by the factor 32767/32768 (it seems to read 16-bit PCM as {@code v / 32767}); an
 *       {@code ecdc.model} given too must be the model that rule picks;</li>
 *   <li>with {@code ecdc.model}: the reference's rule on that model ({@link EncoderOptions#of}:
 *       {@code nc = max(1, floor(B · 1000 / (10 · frame rate)))}; the input is converted to the
 *       model's rate and channels, as the reference's {@code encodec} command does);</li>
 *   <li>else, when the input already is a model's format (24 kHz mono, or 48 kHz stereo) and
 *       {@code B} is one of that model's bandwidths (24 kHz: 1.5, 3, 6, 12, 24; 48 kHz: 3, 6, 12,
 *       24): that model at that bandwidth, as the reference encodes it. Without a name, source or
 *       thumbnail the file is version 0, byte for byte the reference's {@code compress()} of the
 *       same samples;</li>
 *   <li>else Encodec-Stream's rule for any bit rate ({@link EncoderOptions#forBitrate}): the
 *       48 kHz model from 3 kbps, the 24 kHz model below, with the audio resampled to a shifted
 *       rate {@code sr} (e.g. 4.5 kbps: 48 kHz model, 2 codebooks, {@code sr} 72 000); version 193
 *       with {@code br} and {@code sr}, as {@code ecdc_stream.py -e -b B} writes.</li>
 * </ol>
 * So 6 kbps from 24 kHz mono is the 24 kHz model with 8 codebooks, from 48 kHz stereo the 48 kHz
 * model with 4, and from 44.1 kHz stereo Encodec-Stream's 48 kHz model with 4 at {@code sr} 48 000.
 * A name, source or thumbnail makes the file version 193. Keys not listed are ignored, so the
 * properties of an {@code .ecdc} file's {@code AudioFileFormat} can be passed on as they are: its
 * {@code title}, {@code ecdc.source}, {@code ecdc.thumbnail}, {@code ecdc.br} (Encodec-Stream's
 * files) and {@code ecdc.model} then carry over.
 *
 * <p><b>Memory</b> is bounded by a segment (48 kHz) or a chunk (24 kHz) of audio, whatever the
 * input's length, plus the compressed file so far: its header needs the audio length, so the file
 * is written at the end of the input (10 bits per code: 0.75 kB per second at 6 kbps). Nothing is
 * written before then; writing to a {@link File} goes through a temporary file beside it, moved
 * into place only when the whole file is written, so a failed or interrupted write never leaves a
 * partial file and leaves an existing one untouched.
 *
 * <p><b>Samples</b>: a NaN or infinite sample fails the write with an {@link IOException}
 * ({@link io.github.encodecstream.codec.PcmEncoder.InputException}) naming its frame and
 * channel; finite samples beyond [−1, 1] (float PCM) are encoded as they are, as the reference
 * encoder takes them. An input longer than a file holds (one week at 48 kHz) fails the same way,
 * before anything is read when the stream's frame length says so. A stream that ends inside a
 * frame has that partial frame dropped.
 *
 * <p><b>Errors</b>: a stream that is neither readable PCM nor ECDC, a file type other than
 * {@link EcdcFileFormatType#ECDC}, or more than 2 channels for a stereo model:
 * {@link IllegalArgumentException}, before anything is read (as {@link AudioSystem#write} expects
 * of a writer that cannot write the stream). A setting that cannot be used (a bit rate that is not
 * a positive number or whose {@code sr} falls outside 1 Hz..1 MHz, a bit rate above what
 * {@code ecdc.model} can do, a property of the wrong type): {@link IOException} naming it (an
 * {@code IllegalArgumentException} would make {@code AudioSystem} report the type unsupported), as
 * is a missing model or a failing network.
 *
 * <p>Every method throws {@link NullPointerException} for a null argument, as the JDK's writers do.
 *
 * <p>The networks come from {@code Models.shared()} (configured by {@code encodec.models},
 * {@code encodec.offline}, {@code encodec.device}... or their environment variables) unless given
 * to the constructor.
 */
public final class EcdcAudioFileWriter extends AudioFileWriter {
    /**
     * The bit rate without a {@code bitrate} property, bit/s: 6 kbps (for 48 kHz stereo the 48 kHz
     * model with 4 codebooks, for 24 kHz mono the 24 kHz model with 8).
     */
    public static final int DEFAULT_BITRATE = 6000;

    private static final AudioFileFormat.Type[] TYPES = {EcdcFileFormatType.ECDC};

    private final Models models;

    /** The writer {@code AudioSystem} uses: networks from {@link Models#shared()}. */
    public EcdcAudioFileWriter() {
        this.models = null;
    }

    /** A writer encoding with the given networks. */
    public EcdcAudioFileWriter(Models models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    /**
     * An {@link EcdcEncoding#ECDC} format with {@code properties} (the keys above) and nothing else
     * specified, for {@link AudioSystem#getAudioInputStream(AudioFormat, AudioInputStream)}.
     */
    public static AudioFormat targetFormat(Map<String, ?> properties) {
        return new AudioFormat(EcdcEncoding.ECDC, AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED,
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, false,
                new LinkedHashMap<>(properties));
    }

    /** {@link EcdcFileFormatType#ECDC}. */
    @Override
    public AudioFileFormat.Type[] getAudioFileTypes() {
        return TYPES.clone();
    }

    /**
     * {@link EcdcFileFormatType#ECDC} for ECDC streams and for PCM that this writer encodes with
     * the settings in the stream format's properties (not more than two channels where they choose
     * the stereo model: the default bit rate does for any input), else none; so
     * {@code AudioSystem.isFileTypeSupported} says yes exactly where {@code AudioSystem.write}
     * does not throw {@link IllegalArgumentException}.
     */
    @Override
    public AudioFileFormat.Type[] getAudioFileTypes(AudioInputStream stream) {
        Objects.requireNonNull(stream, "stream");
        AudioFormat format = stream.getFormat();
        return isEcdc(format) || EncodeSettings.canEncode(format.properties(), format)
                ? TYPES.clone() : new AudioFileFormat.Type[0];
    }

    /**
     * Encodes the stream (or copies an ECDC stream) to {@code out}, which is flushed, not closed.
     * Returns the bytes written.
     *
     * @throws IllegalArgumentException when the type is not ECDC or the stream cannot be encoded
     *     (nothing is read then)
     * @throws IOException for an unusable setting, a missing model or a failure to read or write
     */
    @Override
    public int write(AudioInputStream stream, AudioFileFormat.Type fileType, OutputStream out) throws IOException {
        Job job = prepare(stream, fileType, out);
        long written = job.run(out);
        out.flush();
        return (int) Math.min(Integer.MAX_VALUE, written);
    }

    /**
     * Encodes the stream (or copies an ECDC stream) to {@code out}, as {@link OutputFile} writes a
     * file: the bytes go to a temporary file in the directory of {@code out} (of the final target of
     * a symbolic link: the link stays a link) ({@code .NAME.RANDOM.tmp}) that is moved onto it
     * (atomically where the file system can) only once the whole file is written, keeping the
     * replaced file's permissions; on any failure, or when the JVM shuts down first (Ctrl-C: a
     * shutdown hook), it is deleted and an existing {@code out} is left as it was. An {@code out}
     * that is not a regular file (a device, a named pipe) or names an open file
     * ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/fd/N}) is written in place. Returns the bytes written.
     *
     * @throws IllegalArgumentException when the type is not ECDC or the stream cannot be encoded
     *     (nothing is read then)
     * @throws IOException for an unusable setting, a missing model, input that cannot be encoded
     *     ({@link io.github.encodecstream.codec.PcmEncoder.InputException}) or a failure to read or
     *     write
     */
    @Override
    public int write(AudioInputStream stream, AudioFileFormat.Type fileType, File out) throws IOException {
        Job job = prepare(stream, fileType, out);
        try (OutputFile file = OutputFile.open(out.toPath()).removeAtExit()) {
            OutputStream o = new BufferedOutputStream(file.stream(), 64 * 1024);
            long written = job.run(o);
            o.flush();
            file.commit();
            return (int) Math.min(Integer.MAX_VALUE, written);
        }
    }

    /** What to do with a stream: copy it, or encode it with settings. */
    private interface Job {
        long run(OutputStream out) throws IOException;
    }

    /** The job for {@code stream}, to be written as {@code fileType} to {@code target} (none of them null). */
    private Job prepare(AudioInputStream stream, AudioFileFormat.Type fileType, Object target) throws IOException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(fileType, "fileType");
        Objects.requireNonNull(target, "out");
        if (!EcdcFileFormatType.ECDC.equals(fileType)) {
            throw new IllegalArgumentException("file type not supported: " + fileType + " (only "
                    + EcdcFileFormatType.ECDC + ")");
        }
        AudioFormat format = stream.getFormat();
        if (stream instanceof EcdcEncodedStream) {
            return ((EcdcEncodedStream) stream)::writeTo;
        }
        if (isEcdc(format)) {
            return out -> copy(stream, out);
        }
        if (!EncodeSettings.isEncodable(format)) {
            throw new IllegalArgumentException("cannot write " + format + " as ECDC: not PCM this writer reads");
        }
        Models networks = models != null ? models : PluginSettings.models();
        EncodeSettings settings;
        try {
            settings = EncodeSettings.of(format.properties(), format, networks);
        } catch (EncodeSettings.InvalidSettingException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out -> {
            EcdcEncodedStream.CountingOutputStream counting = new EcdcEncodedStream.CountingOutputStream(out);
            settings.encode(stream, counting);
            return counting.count();
        };
    }

    /**
     * Copies {@code in} to its end: -1, or a read of 0 (a stopped line's stream, see
     * {@link io.github.encodecstream.sound.PcmSource}), where {@link java.io.InputStream#transferTo} would spin.
     */
    private static long copy(AudioInputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    static boolean isEcdc(AudioFormat format) {
        return EcdcEncoding.ECDC.equals(format.getEncoding());
    }
}
