package io.github.encodecstream.codec;

import io.github.encodecstream.dsp.Resampler;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An {@link EcdcEncoder} for float PCM at any sample rate and channel count: the one place where
 * input audio is brought to what the model takes. Used by the Java Sound writer
 * ({@code sound.EcdcAudioFileWriter}) and meant for the command line's encoder.
 *
 * <p>Each block of input goes through, in this order:
 * <ol>
 *   <li>channel mixing to the model's count ({@link EncoderOptions#channels()}): to mono, the mean
 *       of all channels ({@code (l + r) * 0.5f} for stereo, equal to the float32 mean of the
 *       reference's {@code convert_audio}); mono to stereo, the one channel copied to
 *       both (after resampling, which then runs on one channel). More than two channels can only
 *       be mixed to mono;</li>
 *   <li>resampling from the input rate to {@link EncoderOptions#inputSampleRate()} (the model's
 *       rate, or Encodec-Stream's shifted rate {@code sr}) with a streaming {@link Resampler}:
 *       a whole input of {@code N} samples per channel becomes
 *       {@link Resampler#outputLength round(N · sr / rate)} samples, which is the file's
 *       {@code al} ({@link #encodedLength}). When the two rates are equal the samples are passed
 *       on untouched, so an input at the model's format gives exactly the codes of
 *       {@link EcdcEncoder} (and of the reference encoder);</li>
 *   <li>{@link EcdcEncoder#write}.</li>
 * </ol>
 * {@link #finish()} flushes the resampler (its last outputs need the silence after the input) and
 * finishes the file.
 *
 * <p>Memory is bounded whatever the input's length: a block of {@value #BLOCK} frames of mixed
 * input, the resampler's filter history (about 143 samples of the lower rate either side), and
 * what {@link EcdcEncoder} holds (a segment or a chunk of input, and the compressed file so far,
 * which it writes at {@link #finish()} because the header's {@code al} comes first).
 *
 * <p><b>Input that cannot be encoded</b> is refused by {@link #write} with an
 * {@link InputException} (an {@code IOException}) before any of that call's samples are taken, so
 * the encoder is left as it was:
 * <ul>
 *   <li>a NaN or infinite sample: the exception names its frame (counted from the start of the
 *       input), channel and value. Such a sample is not audio: passed on, it would make a 48 kHz
 *       segment's scale NaN (the whole second decodes to NaN or silence) and the 24 kHz model's
 *       recurrent state NaN for the rest of the file, a file that looks valid but is not; replaced
 *       by 0 it would hide a broken producer. It is the caller's to fix (e.g. to replace and write
 *       again);</li>
 *   <li>more input than a file holds: {@link EcdcMetadata#MAX_AUDIO_LENGTH} samples per channel
 *       at {@link EncoderOptions#inputSampleRate()} (one week at 48 kHz), checked on the input's
 *       length resampled ({@link #fits}), so a caller that knows the length in advance can refuse
 *       it before encoding anything.</li>
 * </ul>
 * Finite samples outside [−1, 1] are encoded as they are, neither clipped nor scaled, as the
 * reference encoder takes its input tensor: the 48 kHz model normalises each segment by its RMS
 * anyway, and the 24 kHz model's codes for such input are the reference's too.
 *
 * <p>Like {@link EcdcEncoder}: the output stream is the caller's (flushed, not closed, by
 * {@link #finish()}); {@link #close()} without {@link #finish()} abandons the file. Not
 * thread-safe.
 */
public final class PcmEncoder implements AutoCloseable {
    /** Frames mixed per step of a {@link #write}, which bounds its temporary arrays. */
    static final int BLOCK = 8192;

    private final EcdcEncoder encoder;
    private final int sampleRate;
    private final int channels;
    private final int modelChannels;
    /** Channels through the resampler: 1 when either side is mono, else 2. */
    private final int innerChannels;
    private final Resampler resampler;
    /** The mono mix of a block, when the model takes fewer channels than the input has. */
    private final float[] mixed;
    /** A block copied to stereo, when the model takes more channels than the input has. */
    private final float[] stereo;
    private long inputLength;

    /**
     * Input that {@link PcmEncoder#write} refuses: a NaN or infinite sample, or more than a file
     * holds. Nothing of the refused call was taken.
     */
    public static final class InputException extends IOException {
        private static final long serialVersionUID = 1L;
        /** The frame of the refused sample, or of the length limit. */
        private final long frame;
        /** The channel of the refused sample; -1 for a length. */
        private final int channel;

        /** An exception with a complete message, the frame and the channel (-1 for a length). */
        public InputException(String message, long frame, int channel) {
            super(message);
            this.frame = frame;
            this.channel = channel;
        }

        /** The frame (samples per channel from the start of the input) of the bad sample, or where the input grew too long. */
        public long frame() {
            return frame;
        }

        /** The channel (0-based) of the bad sample, or -1 for an input that is too long. */
        public int channel() {
            return channel;
        }
    }

    private PcmEncoder(EcdcEncoder encoder, int sampleRate, int channels) {
        this.encoder = encoder;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.modelChannels = encoder.options().channels();
        this.innerChannels = Math.min(channels, modelChannels);
        int target = encoder.options().inputSampleRate();
        this.resampler = sampleRate == target ? null : new Resampler(sampleRate, target, innerChannels);
        this.mixed = innerChannels < channels ? new float[BLOCK] : null;
        this.stereo = innerChannels < modelChannels ? new float[BLOCK * 2] : null;
    }

    /**
     * An encoder of PCM at {@code sampleRate} Hz with {@code channels} channels, writing to
     * {@code out} as {@code options} say; loads the model now (see {@link EcdcEncoder#create}).
     *
     * @throws IllegalArgumentException when the rate is not positive or the channels cannot be
     *     mixed to the model's ({@link #canMix})
     */
    public static PcmEncoder create(OutputStream out, EncoderOptions options, int sampleRate, int channels)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        check(options, sampleRate, channels);
        return new PcmEncoder(EcdcEncoder.create(out, options), sampleRate, channels);
    }

    /** Whether {@code channels} input channels can be mixed to {@code modelChannels}: any to mono, 1 or 2 to stereo. */
    public static boolean canMix(int channels, int modelChannels) {
        return channels >= 1 && (modelChannels == 1 || channels <= modelChannels);
    }

    /**
     * The file's {@code al} for an input of {@code inputLength} samples per channel at
     * {@code sampleRate} Hz: the input length resampled to {@link EncoderOptions#inputSampleRate()}.
     */
    public static long encodedLength(long inputLength, int sampleRate, EncoderOptions options) {
        int target = options.inputSampleRate();
        return sampleRate == target ? inputLength : Resampler.outputLength(inputLength, sampleRate, target);
    }

    /**
     * Whether an input of {@code inputLength} samples per channel at {@code sampleRate} Hz fits in
     * one file: {@link #encodedLength} at most {@link EcdcMetadata#MAX_AUDIO_LENGTH}.
     */
    public static boolean fits(long inputLength, int sampleRate, EncoderOptions options) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("negative length " + inputLength);
        }
        try {
            return encodedLength(inputLength, sampleRate, options) <= EcdcMetadata.MAX_AUDIO_LENGTH;
        } catch (ArithmeticException tooLong) {
            return false;
        }
    }

    /** The message for an input longer than {@link #fits}, of {@code inputLength} samples per channel. */
    public static String tooLongMessage(long inputLength, int sampleRate, EncoderOptions options) {
        long max = EcdcMetadata.MAX_AUDIO_LENGTH;
        int rate = options.inputSampleRate();
        return "longer than an .ecdc file holds: " + inputLength + " samples per channel at " + sampleRate
                + " Hz (" + seconds(inputLength, sampleRate) + " s), more than " + max + " at " + rate + " Hz ("
                + seconds(max, rate) + " s)";
    }

    private static String seconds(long samples, int rate) {
        return java.math.BigDecimal.valueOf(samples).divide(java.math.BigDecimal.valueOf(rate), 3,
                java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static void check(EncoderOptions options, int sampleRate, int channels) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        if (!canMix(channels, options.channels())) {
            throw new IllegalArgumentException("cannot mix " + channels + " channels to the " + options.channels()
                    + " of " + options.family().fileName() + " (only mono or stereo input for a stereo model)");
        }
    }

    /** The options. */
    public EncoderOptions options() {
        return encoder.options();
    }

    /** The input's rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The input's channels. */
    public int channels() {
        return channels;
    }

    /** Input samples per channel taken so far. */
    public long inputLength() {
        return inputLength;
    }

    /** Samples per channel handed to the model so far (the file's {@code al} once finished). */
    public long length() {
        return encoder.length();
    }

    /**
     * Takes {@code frames} samples per channel from {@code interleaved[offset...]} (channels
     * interleaved, at the input's rate) and encodes what they complete.
     *
     * @throws InputException for a NaN or infinite sample, or when the input grows longer than a
     *     file holds ({@link #fits}); nothing of this call is taken then
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}
     * @throws IOException when a network fails
     */
    public void write(float[] interleaved, int offset, int frames) throws IOException {
        Objects.checkFromIndexSize(offset, (long) frames * channels > Integer.MAX_VALUE ? -1 : frames * channels,
                interleaved.length);
        checkFinite(interleaved, offset, frames);
        if (!fits(inputLength + frames, sampleRate, encoder.options())) {
            throw new InputException(tooLongMessage(inputLength + frames, sampleRate, encoder.options()),
                    inputLength, -1);
        }
        for (int done = 0; done < frames; ) {
            int n = Math.min(BLOCK, frames - done);
            int from = offset + done * channels;
            if (mixed != null) {
                toMono(interleaved, from, n);
                resampleAndEncode(mixed, 0, n);
            } else {
                resampleAndEncode(interleaved, from, n); // mono input for a stereo model: copied after resampling
            }
            done += n;
            inputLength += n;
        }
    }

    /**
     * Flushes the resampler, encodes the rest and writes the whole file to the output (flushed, not
     * closed). Returns the header written.
     *
     * @throws IllegalStateException when already finished or closed
     */
    public EcdcHeader finish() throws IOException {
        if (resampler != null) {
            float[] rest = resampler.finish();
            encode(rest, 0, rest.length / innerChannels);
        }
        return encoder.finish();
    }

    /** Abandons the file (nothing more is written) unless finished; does not close the output. */
    @Override
    public void close() {
        encoder.close();
    }

    /** Throws {@link InputException} for the first sample of the block that is NaN or infinite. */
    private void checkFinite(float[] interleaved, int offset, int frames) throws InputException {
        int end = offset + frames * channels;
        for (int i = offset; i < end; i++) {
            float x = interleaved[i];
            if (x - x != 0) { // NaN or infinite (x - x is NaN for both)
                long frame = inputLength + (i - offset) / channels;
                int channel = (i - offset) % channels;
                throw new InputException("sample " + frame + " (" + seconds(frame, sampleRate) + " s) of channel "
                        + (channel + 1) + " of " + channels + " is " + x + ": only finite samples can be encoded",
                        frame, channel);
            }
        }
    }

    private void resampleAndEncode(float[] samples, int offset, int frames) throws IOException {
        if (resampler == null) {
            encode(samples, offset, frames);
        } else {
            float[] out = resampler.process(samples, offset, frames);
            encode(out, 0, out.length / innerChannels);
        }
    }

    /** Hands samples of {@link #innerChannels} channels to the encoder, copied to stereo where needed. */
    private void encode(float[] samples, int offset, int frames) throws IOException {
        if (stereo == null) {
            encoder.write(samples, offset, frames);
            return;
        }
        for (int done = 0; done < frames; ) {
            int n = Math.min(BLOCK, frames - done);
            for (int i = 0; i < n; i++) {
                float x = samples[offset + done + i];
                stereo[2 * i] = x;
                stereo[2 * i + 1] = x;
            }
            encoder.write(stereo, 0, n);
            done += n;
        }
    }

    /** The mean of the channels of {@code n} frames into {@link #mixed}. */
    private void toMono(float[] interleaved, int from, int n) {
        if (channels == 2) {
            for (int i = 0; i < n; i++) {
                mixed[i] = (interleaved[from + 2 * i] + interleaved[from + 2 * i + 1]) * 0.5f;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float sum = 0;
            int at = from + i * channels;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[at + c];
            }
            mixed[i] = sum / channels;
        }
    }
}
