package io.github.encodecstream.sound;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.HttpByteSource;
import io.github.encodecstream.source.StreamByteSource;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.AudioFileReader;

/**
 * Reads {@code .ecdc} files for {@link javax.sound.sampled.AudioSystem}: the
 * {@link AudioFileFormat} (see {@link EcdcProperties}) and an {@link EcdcAudioInputStream} of
 * 16-bit signed little-endian PCM at the file's rate ({@code sr} when present, else the model's:
 * the samples are played as decoded, not resampled) and channel count, of {@code al} frames.
 * {@link EcdcFormatConversionProvider} converts such streams to float or 24/32-bit PCM.
 *
 * <p>Lengths: a header's {@code al} is believed only as far as the file's data can hold it. For a
 * {@code File}, a {@code file:} or http(s) URL (and the file format of any URL whose length the
 * connection reports), the frame length and {@code duration} are bounded by the file's size (see
 * {@link io.github.encodecstream.codes.LengthBound}): a file cut short reports a length that ends
 * within the step or segment of the cut, plays the audio before it and then throws the cut's
 * {@link IOException}. For an {@code InputStream} (and other URLs), whose size is not known, the
 * declared {@code al} is reported: a host that sizes buffers from {@code getFrameLength()} should
 * open files, not streams, from untrusted sources; the stream itself still ends where its data
 * does.
 *
 * <p>Opening reads the header only; the model is loaded (from {@code Models.shared()},
 * configured by {@code encodec.models}, {@code encodec.offline}, {@code encodec.device}... or
 * their environment variables) and decoding starts on the first read. Entropy-coded
 * ({@code lm}) files written by Encodec-Stream's deterministic LM decode like the others (their LM
 * checkpoint comes from the same model store); other entropy-coded files (the reference's) have
 * a file format but no stream: {@code getAudioInputStream} throws
 * {@link UnsupportedEcdcFeatureException} (an {@link IOException} that says why, which
 * {@code AudioSystem} passes on).
 *
 * <p>Anything that is not an {@code .ecdc} file gets an {@link UnsupportedAudioFileException},
 * never another exception, so that {@code AudioSystem} goes on to its other readers, and an
 * {@link InputStream} is reset to where it was (see {@link HeaderProbe}; a stream without
 * mark/reset is declined unread). Files, {@code file:} and http(s) URLs are seekable; other URLs
 * and streams are read forward only (skipping forward still decodes only what is needed).
 *
 * <p>Every method throws {@link NullPointerException} for a null argument, as the JDK's readers do.
 *
 * <p>Decoding ahead in a background thread is on unless the system property
 * {@value #DECODE_AHEAD_PROPERTY} (else the environment variable {@value #DECODE_AHEAD_ENV}) is
 * {@code false}, {@code 0}, {@code no} or {@code off}.
 */
public final class EcdcAudioFileReader extends AudioFileReader {
    /** System property switching decoding ahead off ({@code false}). */
    public static final String DECODE_AHEAD_PROPERTY = Settings.DECODE_AHEAD_PROPERTY;
    /** Environment variable read when the property is unset. */
    public static final String DECODE_AHEAD_ENV = Settings.DECODE_AHEAD_ENV;

    private static final System.Logger LOG = System.getLogger(EcdcAudioFileReader.class.getName());

    private final DecoderOptions options;
    private final Boolean decodeAhead;

    /** The reader {@code AudioSystem} uses: settings from system properties and the environment, read at each open. */
    public EcdcAudioFileReader() {
        this.options = null;
        this.decodeAhead = null;
    }

    /** A reader decoding with the given options, in the background or on the reading thread. */
    public EcdcAudioFileReader(DecoderOptions options, boolean decodeAhead) {
        this.options = Objects.requireNonNull(options);
        this.decodeAhead = decodeAhead;
    }

    @Override
    public AudioFileFormat getAudioFileFormat(InputStream stream) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(stream, "stream");
        return EcdcProperties.fileFormat(HeaderProbe.peek(stream), AudioSystem.NOT_SPECIFIED);
    }

    @Override
    public AudioFileFormat getAudioFileFormat(URL url) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(url, "url");
        URLConnection connection = url.openConnection();
        try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
            return EcdcProperties.fileFormat(readHeader(in), connection.getContentLengthLong());
        }
    }

    @Override
    public AudioFileFormat getAudioFileFormat(File file) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()))) {
            return EcdcProperties.fileFormat(readHeader(in), Files.size(file.toPath()));
        }
    }

    /** A stream of the file at the stream's position; the stream is reset when it is not ECDC. */
    @Override
    public AudioInputStream getAudioInputStream(InputStream stream) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(stream, "stream");
        requireDecodable(HeaderProbe.peek(stream));
        return open(new StreamByteSource(stream), false, decoderOptions(), -1);
    }

    /**
     * A stream of the file at {@code url}: {@code file:} URLs as files, http(s) URLs through
     * {@link HttpByteSource} (seekable, with range requests where the server takes them), others
     * forward only.
     */
    @Override
    public AudioInputStream getAudioInputStream(URL url) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(url, "url");
        Path file = localFile(url);
        if (file != null) {
            return getAudioInputStream(file.toFile());
        }
        URI http = httpUri(url);
        if (http != null) {
            return openSeekable(HttpByteSource.open(http), false);
        }
        InputStream in = new BufferedInputStream(url.openStream());
        try {
            return getAudioInputStream(in);
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public AudioInputStream getAudioInputStream(File file) throws UnsupportedAudioFileException, IOException {
        Objects.requireNonNull(file, "file");
        return openSeekable(new FileByteSource(file.toPath()), true);
    }

    /**
     * Checks the header of a seekable source, then opens it; closes the source on failure. The
     * stream of a local file counts its {@code available()} bytes in the file (see
     * {@link EcdcAudioInputStream#available()}).
     */
    private EcdcAudioInputStream openSeekable(ByteSource source, boolean localFile)
            throws UnsupportedAudioFileException, IOException {
        try {
            try (InputStream in = source.openAt(0)) {
                requireDecodable(readHeader(in));
            }
            return open(source, true, decoderOptions(), localFile ? source.size().orElse(-1) : -1);
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Opens a decoder on a source whose header was checked (closing the source on failure) and
     * wraps it; {@code fileLength}: the size of a local file, else negative.
     */
    private EcdcAudioInputStream open(ByteSource source, boolean seekable, DecoderOptions decoderOptions,
            long fileLength) throws UnsupportedAudioFileException, IOException {
        EcdcDecoder decoder;
        try {
            decoder = EcdcDecoder.open(source, decoderOptions);
        } catch (EcdcFormatException e) {
            throw HeaderProbe.unsupported(e);
        }
        boolean ahead = decodeAhead();
        LOG.log(Level.DEBUG, () -> "opened " + source + ": " + decoder.header() + (ahead ? ", decoding ahead" : ""));
        return EcdcAudioInputStream.open(decoder, seekable, ahead, fileLength);
    }

    private static EcdcHeader readHeader(InputStream in) throws UnsupportedAudioFileException, IOException {
        try {
            return EcdcHeader.read(in);
        } catch (EcdcFormatException e) {
            throw HeaderProbe.unsupported(e);
        }
    }

    /**
     * Refuses files this reader recognises but cannot decode with an {@link IOException} (not an
     * {@link UnsupportedAudioFileException}, which {@code AudioSystem} would replace with its own
     * "unsupported format" and so lose the reason).
     */
    private static void requireDecodable(EcdcHeader header) throws UnsupportedEcdcFeatureException {
        header.requireCodesDecodable();
    }

    /** The options to open with; a configuration error (a bad device name, say) is an IOException. */
    private DecoderOptions decoderOptions() throws IOException {
        if (options != null) {
            return options;
        }
        return DecoderOptions.defaults().withModels(PluginSettings.models());
    }

    private boolean decodeAhead() {
        return decodeAhead != null ? decodeAhead : PluginSettings.decodeAhead();
    }

    /** The URI of an http(s) URL, else null. */
    private static URI httpUri(URL url) {
        String protocol = url.getProtocol().toLowerCase(Locale.ROOT);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            return null;
        }
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The path of a {@code file:} URL, else null. */
    private static Path localFile(URL url) {
        if (!"file".equalsIgnoreCase(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
