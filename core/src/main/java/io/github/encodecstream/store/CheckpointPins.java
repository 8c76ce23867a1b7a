package io.github.encodecstream.store;

import io.github.encodecstream.files.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Full SHA-256 values and sizes of checkpoints, by official file name: the ones shipped in the jar
 * ({@value #RESOURCE} beside this class, consulted first) and the ones recorded on first use in the
 * user's private cache ({@link CacheLayout#firstUsePins()}). One line per file,
 * {@code SHA256 SIZE FILE_NAME}; {@code #} starts a comment.
 */
final class CheckpointPins {
    /** The pins shipped with the library, a resource of this package. */
    static final String RESOURCE = "checkpoints.sha256";

    /** A checkpoint's full SHA-256 (lower-case hex) and size in bytes. */
    record Pin(String sha256, long size) {
        Pin {
            if (!sha256.matches("[0-9a-f]{64}") || size < 0) {
                throw new IllegalArgumentException("not a SHA-256 and a size: " + sha256 + " " + size);
            }
        }
    }

    private final Map<String, Pin> pins;

    private CheckpointPins(Map<String, Pin> pins) {
        this.pins = pins;
    }

    /** The pins of the jar ({@value #RESOURCE}); none when it is missing. */
    static CheckpointPins bundled() {
        return from(CheckpointPins.class.getResource(RESOURCE));
    }

    /**
     * The pins of {@code resource} (null: none).
     *
     * @throws IllegalStateException when the resource cannot be read or a line is malformed (a broken build)
     */
    static CheckpointPins from(URL resource) {
        if (resource == null) {
            return new CheckpointPins(Map.of());
        }
        try (InputStream in = resource.openStream()) {
            return new CheckpointPins(parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII), resource.toString()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the checkpoint pins " + resource + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The pins recorded in {@code file}; none when it does not exist.
     *
     * @throws IOException when it cannot be read or is malformed
     */
    static CheckpointPins read(Path file) throws IOException {
        try {
            return new CheckpointPins(parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
        } catch (NoSuchFileException none) {
            return new CheckpointPins(Map.of());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is malformed: " + e.getMessage(), e);
        }
    }

    /** The pin of a file name, if any. */
    Optional<Pin> pin(String fileName) {
        return Optional.ofNullable(pins.get(fileName));
    }

    /** The file names pinned. */
    Set<String> names() {
        return pins.keySet();
    }

    /** Writes these pins and {@code fileName}'s to {@code file}, atomically. */
    void writeWith(Path file, String fileName, Pin pin) throws IOException {
        Map<String, Pin> all = new TreeMap<>(pins);
        all.put(fileName, pin);
        StringBuilder text = new StringBuilder("# SHA-256, size and name of each checkpoint as first seen"
                + " (trust on first use); delete a line to trust that file anew\n");
        all.forEach((name, p) -> text.append(p.sha256()).append(' ').append(p.size()).append(' ').append(name)
                .append('\n'));
        AtomicWrite.writeAscii(file, text.toString());
    }

    private static Map<String, Pin> parse(String text, String source) {
        Map<String, Pin> pins = new TreeMap<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] fields = content.split(" +");
            if (fields.length != 3 || !fields[0].matches("[0-9a-f]{64}") || !fields[1].matches("[0-9]{1,18}")
                    || fields[2].contains("/")) {
                throw new IllegalArgumentException(source + " line " + number + ": expected 'SHA256 SIZE FILE_NAME'");
            }
            pins.put(fields[2], new Pin(fields[0], Long.parseLong(fields[1])));
        }
        return Map.copyOf(pins);
    }
}
