package io.github.encodecstream.cli;

import io.github.encodecstream.codec.DecoderModels;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.dsp.PcmConversion;
import io.github.encodecstream.checkpoint.ModelStore;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.source.FileByteSource;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decode --native [--format f32le|s16le] [-o OUT|-] FILE}: writes the decoded samples,
 * channels interleaved, at the file's own rate and channel count.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Decode an .ecdc file to raw PCM.")
final class DecodeCommand implements Callable<Integer> {
    /** Raw sample formats. */
    enum Format { f32le, s16le }

    @Option(names = "--native", description = "Write at the file's own sample rate and channel count (required for now).")
    boolean nativeRate;

    @Option(names = "--format", defaultValue = "s16le", description = "f32le or s16le (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, defaultValue = "-", description = "Output file, or - for stdout (default).")
    String output;

    @Option(names = "--threads", description = "ONNX Runtime threads (default: -Dencodec.threads, else all cores).")
    Integer threads;

    @Option(names = {"--device", "-g"}, description = "cpu, cuda, cuda:N or auto (default: -Dencodec.device, else auto).")
    String device;

    @Parameters(paramLabel = "FILE", description = "the .ecdc file")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!nativeRate) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "only --native output is available in this version (48 kHz stereo conversion comes with the full command line)");
        }
        InferenceSettings settings = InferenceSettings.fromEnvironment();
        if (threads != null) {
            settings = settings.withThreads(threads);
        }
        if (device != null) {
            settings = settings.withDevice(Device.parse(device));
        }
        DecoderOptions options = DecoderOptions.defaults().withModels(new DecoderModels(ModelStore.fromEnvironment(), settings));
        boolean stdout = output.equals("-");
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(file), options);
             OutputStream out = stdout ? new BufferedOutputStream(System.out, 1 << 16)
                     : new BufferedOutputStream(new FileOutputStream(output), 1 << 16)) {
            for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                ByteBuffer bytes = ByteBuffer.allocate(chunk.length * (format == Format.f32le ? 4 : 2))
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (format == Format.f32le) {
                    PcmConversion.putF32(chunk, 0, chunk.length, bytes);
                } else {
                    PcmConversion.putS16(chunk, 0, chunk.length, bytes);
                }
                out.write(bytes.array());
            }
        }
        return Main.OK;
    }
}
