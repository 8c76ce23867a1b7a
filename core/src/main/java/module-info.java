/**
 * encodec-stream: EnCodec {@code .ecdc} files decoded and encoded on ONNX Runtime, as a library
 * and a Java Sound plugin. The API is four packages: {@code codec} (decoder, encoder, code reader,
 * options, models), {@code format} (header, metadata, model families, format errors),
 * {@code source} (files, URLs, streams as byte sources) and {@code sound} (the Java Sound types).
 * Everything else is internal and may change in any release.
 */
module io.github.encodecstream {
    requires transitive java.desktop;
    requires java.logging;
    requires static java.management; // the command line's periodic collection, when present
    requires static jdk.unsupported; // sun.misc.Signal: the command line's signal handling, when present
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;
    requires com.microsoft.onnxruntime;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires pickle;

    exports io.github.encodecstream.codec;
    exports io.github.encodecstream.format;
    exports io.github.encodecstream.source;
    exports io.github.encodecstream.sound;

    opens io.github.encodecstream.cli to info.picocli;

    provides javax.sound.sampled.spi.AudioFileReader with io.github.encodecstream.sound.EcdcAudioFileReader;
    provides javax.sound.sampled.spi.AudioFileWriter with io.github.encodecstream.sound.EcdcAudioFileWriter;
    provides javax.sound.sampled.spi.FormatConversionProvider
            with io.github.encodecstream.sound.EcdcFormatConversionProvider;
}
