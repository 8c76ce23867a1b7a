/**
 * encodec-stream: EnCodec {@code .ecdc} files decoded on ONNX Runtime, as a library
 * ({@code codec}, {@code format}, {@code source}...) and a Java Sound plugin ({@code sound}).
 */
module io.github.encodecstream {
    requires transitive java.desktop;
    requires java.logging;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.google.protobuf;
    requires com.microsoft.onnxruntime;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires pickle;

    exports io.github.encodecstream.checkpoint;
    exports io.github.encodecstream.codec;
    exports io.github.encodecstream.dsp;
    exports io.github.encodecstream.format;
    exports io.github.encodecstream.model;
    exports io.github.encodecstream.runtime;
    exports io.github.encodecstream.source;
    exports io.github.encodecstream.sound;

    opens io.github.encodecstream.cli to info.picocli;

    provides javax.sound.sampled.spi.AudioFileReader with io.github.encodecstream.sound.EcdcAudioFileReader;
    provides javax.sound.sampled.spi.AudioFileWriter with io.github.encodecstream.sound.EcdcAudioFileWriter;
    provides javax.sound.sampled.spi.FormatConversionProvider
            with io.github.encodecstream.sound.EcdcFormatConversionProvider;
}
