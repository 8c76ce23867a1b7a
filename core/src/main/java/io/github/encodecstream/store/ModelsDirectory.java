package io.github.encodecstream.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The search of a user's models directory ({@link ModelStore.Builder#modelsDirectory}): the
 * official file name, else {@code <model>.th} or {@code <model>} followed by {@code -}, {@code _}
 * or {@code .} and ending in {@code .th}, the first in sorted order. The user's own files: trusted
 * as they are, never hashed.
 */
final class ModelsDirectory {
    private static final System.Logger LOG = System.getLogger(ModelStore.class.getName());

    private ModelsDirectory() {}

    /** The official file, else the first {@code <name>[-_.]*.th} in sorted order. */
    static Optional<Path> find(Path dir, ModelStore.ModelFile model) throws IOException {
        Path official = dir.resolve(model.fileName());
        if (Files.isRegularFile(official)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: using {1}", model.name(), official);
            return Optional.of(official);
        }
        List<Path> matches;
        try (Stream<Path> files = Files.list(dir)) {
            matches = files.filter(p -> matchesModel(p.getFileName().toString(), model.name()))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        Path chosen = matches.get(0);
        if (matches.size() > 1) {
            LOG.log(System.Logger.Level.INFO, "{0}: several checkpoints in {1}, using {2} (others: {3})",
                    model.name(), dir, chosen.getFileName(),
                    matches.subList(1, matches.size()).stream().map(p -> p.getFileName().toString())
                            .collect(Collectors.joining(", ")));
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: using {1}", model.name(), chosen);
        }
        return Optional.of(chosen);
    }

    /** {@code <name>.th}, or {@code <name>} followed by {@code -}, {@code _} or {@code .} and ending in {@code .th}. */
    static boolean matchesModel(String fileName, String modelName) {
        if (!fileName.startsWith(modelName) || !fileName.endsWith(".th")) {
            return false;
        }
        if (fileName.length() == modelName.length() + 3) {
            return true; // <name>.th
        }
        char next = fileName.charAt(modelName.length());
        return next == '-' || next == '_' || next == '.';
    }
}
