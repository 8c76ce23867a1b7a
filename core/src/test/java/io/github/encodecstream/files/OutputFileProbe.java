package io.github.encodecstream.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code OutputFileProbe FILE TEXT}: writes {@code TEXT} to {@code FILE} through {@link OutputFile}
 * and prints {@code in place} or {@code replaced}; run by {@link OutputFileTest} as another user.
 */
public final class OutputFileProbe {
    private OutputFileProbe() {}

    /** Writes {@code args[1]} to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        try (OutputFile out = OutputFile.open(Path.of(args[0]))) {
            out.stream().write(args[1].getBytes(StandardCharsets.UTF_8));
            out.commit();
            System.out.print(out.inPlace() ? "in place" : "replaced");
        }
    }
}
