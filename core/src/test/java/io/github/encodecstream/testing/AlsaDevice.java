package io.github.encodecstream.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * ALSA's default device for a child JVM, as {@link AlsaFileOutput} and {@link AlsaFileInput} set
 * it up: {@code asound.conf} making the default device the {@code file} plugin in front of a
 * {@code null} device, and the named pipe that plugin writes or reads.
 *
 * @param config the configuration file
 * @param pipe the named pipe
 */
record AlsaDevice(Path config, Path pipe) {
    /**
     * Makes the pipe {@code dir/pipeName} and writes {@code dir/asound.conf} with the file
     * settings {@code files} gives for the pipe (raw samples), under the comment {@code comment}.
     */
    static AlsaDevice create(Path dir, String pipeName, String comment, Function<Path, List<String>> files)
            throws IOException, InterruptedException {
        Path pipe = NamedPipe.create(dir.resolve(pipeName));
        StringBuilder text = new StringBuilder("# " + comment + "\npcm.!default {\n    type file\n"
                + "    slave.pcm { type null }\n");
        for (String f : files.apply(pipe)) {
            text.append("    ").append(f).append('\n');
        }
        text.append("    format \"raw\"\n}\n");
        Path config = dir.resolve("asound.conf");
        Files.writeString(config, text, StandardCharsets.US_ASCII);
        return new AlsaDevice(config, pipe);
    }

    /** The child's environment variables that make this its default audio device. */
    Map<String, String> environment() {
        return Map.of("ALSA_CONFIG_PATH", config.toString());
    }
}
