/**
 * encodec-stream: EnCodec {@code .ecdc} files decoded and encoded on ONNX Runtime, as a library
 * and a Java Sound plugin. The API is five packages: {@code codec} (decoder, encoder, code reader,
 * options, models), {@code store} (finding and downloading the checkpoints, the cache),
 * {@code format} (header, metadata, model families, format errors), {@code source} (files, URLs,
 * streams as byte sources) and {@code sound} (the Java Sound types, and audio files and raw PCM
 * read as floats, PCM and WAV written).
 * Everything else is internal and may change in any release; the command line (module
 * {@code io.github.encodecstream.cli}) reaches three internal packages through qualified exports.
 */
module io.github.encodecstream {
    requires transitive java.desktop;
    requires java.logging;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;
    requires com.microsoft.onnxruntime;
    requires pickle;

    exports io.github.encodecstream.codec;
    exports io.github.encodecstream.format;
    exports io.github.encodecstream.source;
    exports io.github.encodecstream.sound;
    exports io.github.encodecstream.store;
    // what the command line (module io.github.encodecstream.cli) needs of the internals: not API
    exports io.github.encodecstream.dsp to io.github.encodecstream.cli;
    exports io.github.encodecstream.files to io.github.encodecstream.cli;
    exports io.github.encodecstream.runtime to io.github.encodecstream.cli;

    provides javax.sound.sampled.spi.AudioFileReader with io.github.encodecstream.sound.EcdcAudioFileReader;
    provides javax.sound.sampled.spi.AudioFileWriter with io.github.encodecstream.sound.EcdcAudioFileWriter;
    provides javax.sound.sampled.spi.FormatConversionProvider
            with io.github.encodecstream.sound.EcdcFormatConversionProvider;
}
