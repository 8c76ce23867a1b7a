/**
 * The {@code ecdc} command line of encodec-stream: {@code info}, {@code decode}, {@code play},
 * {@code encode} and Encodec-Stream's flags, on the library (module {@code io.github.encodecstream}).
 * An application, not an API: it exports nothing.
 */
module io.github.encodecstream.cli {
    requires io.github.encodecstream;
    requires com.fasterxml.jackson.databind;
    requires com.microsoft.onnxruntime; // OrtException of runs interrupted at exit, ONNX Runtime's version
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires java.logging;
    requires static java.management; // the periodic collection, when present
    requires static jdk.unsupported; // sun.misc.Signal: the signal handling, when present

    opens io.github.encodecstream.cli to info.picocli;
}
