package io.github.encodecstream.cli;

import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.sound.PcmWriter;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code decode [-o OUT|-] [--format s16le|f32le|wav] [--native | --rate R --channels C] [-ss S]
 * [-to S] FILE-or-URL}: writes the decoded audio as raw little-endian PCM (channels interleaved)
 * or as a WAV file; by default at 48 kHz stereo, as Encodec-Stream's {@code -d}.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Decode an .ecdc file or URL to raw PCM (little-endian, channels interleaved) or WAV.",
            "By default 48 kHz stereo; --native writes the samples as decoded (the file's channels, to be played "
                + "at the sample_rate that info prints)."})
final class DecodeCommand implements Callable<Integer> {
    /** The most an output rate may be. */
    static final int MAX_RATE = EcdcMetadata.MAX_SAMPLE_RATE;

    @Option(names = {"-o", "--output"}, defaultValue = "-", paramLabel = "OUT",
            description = "Output file, or - for standard output (default).")
    String output;

    @Option(names = {"-f", "--format"}, defaultValue = "s16le", paramLabel = "FORMAT",
            description = "s16le, f32le or wav (16-bit) (default ${DEFAULT-VALUE}).")
    PcmWriter.Format format;

    @Option(names = "--native", description = "The samples as decoded: no resampling, the file's own channels.")
    boolean nativeRate;

    @Option(names = {"-r", "--rate"}, paramLabel = "HZ", description = "Output sample rate (default 48000).")
    Integer rate;

    @Option(names = {"-c", "--channels"}, paramLabel = "N", description = "Output channels, 1 or 2 (default 2).")
    Integer channels;

    @Mixin
    InputOptions source;

    @Override
    public Integer call() throws IOException {
        if (nativeRate && (rate != null || channels != null)) {
            throw source.common.usage("--native writes the file's own rate and channels: leave out --rate and --channels");
        }
        if (rate != null && (rate < 1 || rate > MAX_RATE)) {
            throw source.common.usage("--rate must be 1.." + MAX_RATE + " Hz, got " + rate);
        }
        if (channels != null && (channels < 1 || channels > 2)) {
            throw source.common.usage("--channels must be 1 or 2, got " + channels);
        }
        source.check();
        source.common.validate();
        DecodeJob job = new DecodeJob();
        job.input = source.input;
        job.output = output;
        job.format = format;
        job.rate = nativeRate ? null : rate == null ? 48_000 : rate;
        job.channels = nativeRate ? null : channels == null ? 2 : channels;
        job.from = source.from;
        job.to = source.to;
        job.quiet = source.common.quiet();
        job.forceProgress = source.common.progress;
        job.inputs = source.common.inputs();
        job.models = source.common.models();
        job.damage = source.damage.damage();
        return job.run(source.common.io().stdout(), source.common.io().err());
    }
}
