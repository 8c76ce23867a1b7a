package io.github.encodecstream.cli;

import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.dsp.Resampler;
import io.github.encodecstream.runtime.StartupTrace;
import java.io.IOException;

/**
 * A decoder's samples at a chosen rate and channel count, cut to exact samples.
 *
 * <p>The decoded samples are taken to play at the file's {@link
 * io.github.encodecstream.format.EcdcMetadata#effectiveSampleRate() sample rate} ({@code sr} when
 * the file has one, else the model's); when the output rate differs they go through a
 * {@link Resampler}. Stereo to mono is the mean of the two channels, mono to stereo a copy. The
 * whole output is {@link Resampler#outputLength round(length × rate / sr)} samples; a cut keeps
 * output samples {@code round(from × rate)} to {@code round(to × rate) - 1}, and decodes from just
 * before its start: the decoder seeks (a 48 kHz file jumps to the segment, reading nothing before
 * it), and the resampler starts with the input its first output needs, so a cut equals the same
 * samples of the whole output.
 */
final class PcmStream {
    private final EcdcDecoder decoder;
    private final int sourceRate;
    private final int sourceChannels;
    private final int rate;
    private final int channels;
    /** Channels between decoder and resampler: the fewer of the two. */
    private final int innerChannels;
    private final Resampler resampler;
    private final long start;
    private final long end;
    private long position;
    private boolean decoderDone;
    /** Whether the decoder gave its first chunk (a start-up phase: {@link StartupTrace}). */
    private boolean decoded;

    private PcmStream(EcdcDecoder decoder, int rate, int channels, TimeValue from, TimeValue to) {
        this.decoder = decoder;
        this.sourceRate = decoder.header().metadata().effectiveSampleRate();
        this.sourceChannels = decoder.channels();
        this.rate = rate;
        this.channels = channels;
        this.innerChannels = Math.min(sourceChannels, channels);
        long total = totalLength(decoder, rate);
        this.start = from == null ? 0 : Math.min(total, from.samples(rate));
        this.end = Math.max(start, to == null ? total : Math.min(total, to.samples(rate)));
        this.resampler = rate == sourceRate ? null : new Resampler(sourceRate, rate, innerChannels, start);
        this.position = start;
    }

    /**
     * Sets up {@code decoder} (seeking it to where the cut needs it) for output at {@code rate} Hz
     * with {@code channels} channels (1 or 2), from {@code from} to {@code to} (either may be null).
     */
    static PcmStream open(EcdcDecoder decoder, int rate, int channels, TimeValue from, TimeValue to) throws IOException {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2, got " + channels);
        }
        PcmStream s = new PcmStream(decoder, rate, channels, from, to);
        long first = s.resampler == null ? s.start : s.resampler.inputStartFor(s.start);
        if (first > 0 && s.start < s.end) {
            decoder.seek(first);
        }
        return s;
    }

    /** The samples as decoded: the file's own channels, played at its sample rate. */
    static PcmStream openNative(EcdcDecoder decoder, TimeValue from, TimeValue to) throws IOException {
        return open(decoder, decoder.header().metadata().effectiveSampleRate(), decoder.channels(), from, to);
    }

    /** Samples per channel of the whole file at {@code rate}. */
    static long totalLength(EcdcDecoder decoder, int rate) {
        int source = decoder.header().metadata().effectiveSampleRate();
        return rate == source ? decoder.length() : Resampler.outputLength(decoder.length(), source, rate);
    }

    /** Output rate in Hz. */
    int rate() {
        return rate;
    }

    /** Output channels. */
    int channels() {
        return channels;
    }

    /** Samples per channel this stream delivers in all. */
    long length() {
        return end - start;
    }

    /** Samples per channel delivered so far. */
    long position() {
        return position - start;
    }

    /** The next chunk, channels interleaved, or null at the end. */
    float[] read() throws IOException {
        while (position < end) {
            float[] out;
            if (decoderDone) {
                return null;
            }
            float[] chunk = decoder.read();
            if (!decoded) {
                decoded = true;
                StartupTrace.mark("first samples decoded");
            }
            if (chunk == null) {
                decoderDone = true;
                out = resampler != null ? resampler.finish() : new float[0];
            } else {
                chunk = innerChannels < sourceChannels ? toMono(chunk) : chunk;
                out = resampler != null ? resampler.process(chunk) : chunk;
            }
            int frames = (int) Math.min(out.length / innerChannels, end - position);
            if (frames == 0) {
                continue;
            }
            position += frames;
            return channels > innerChannels ? toStereo(out, frames) : trim(out, frames * innerChannels);
        }
        return null;
    }

    private static float[] toMono(float[] stereo) {
        float[] mono = new float[stereo.length / 2];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = (stereo[2 * i] + stereo[2 * i + 1]) * 0.5f;
        }
        return mono;
    }

    private static float[] toStereo(float[] mono, int frames) {
        float[] stereo = new float[frames * 2];
        for (int i = 0; i < frames; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        return stereo;
    }

    private static float[] trim(float[] samples, int n) {
        return n == samples.length ? samples : java.util.Arrays.copyOf(samples, n);
    }
}
