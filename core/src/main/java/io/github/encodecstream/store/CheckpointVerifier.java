package io.github.encodecstream.store;

import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.store.CheckpointPins.Pin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a checkpoint in the cache may be used, and what a download of it must be.
 *
 * <p>The file must have the size and full SHA-256 pinned for its name: first by the library
 * ({@link CheckpointPins#bundled()}), else by the user's first use of it, recorded in the cache
 * ({@link CacheLayout#firstUsePins()}) while the cache folder is owner-only. With no pin it must
 * have the SHA-256 prefix of its official name, and its full hash and size are then recorded
 * (trust on first use). In an owner-only cache folder a {@linkplain CachedCheckpoint stamp} spares
 * the hashing while the file stays the same file; in any other (a shared cache, one owned by
 * someone else) the file is hashed on every check and nothing is written there.
 */
final class CheckpointVerifier {
    private static final System.Logger LOG = System.getLogger(CheckpointVerifier.class.getName());

    private final CacheLayout layout;
    private final Path root;
    private final CheckpointPins bundled;

    /** Checks checkpoints of the cache {@code root} against {@code bundled} and the pins recorded there. */
    CheckpointVerifier(Path root, CheckpointPins bundled) {
        this.root = root;
        this.layout = CacheLayout.of(root);
        this.bundled = bundled;
    }

    /** Whether {@code folder} (the cache or a folder in it) is owner-only, so that pins and stamps there count. */
    boolean isPrivate(Path folder) {
        return PrivateFolders.isPrivate(folder, root);
    }

    /** The size and SHA-256 that {@code model}'s file must have, if pinned. */
    Optional<Pin> expected(ModelStore.ModelFile model) {
        Optional<Pin> pin = bundled.pin(model.fileName());
        return pin.isPresent() || !isPrivate(root) ? pin : firstUsePins().pin(model.fileName());
    }

    /**
     * Why {@code file} may not be used as {@code model}'s checkpoint; empty when it may. Hashes it
     * unless a stamp spares that; records its pin (first use) and stamp where the folder is
     * owner-only, best-effort.
     */
    Optional<String> problem(Path file, ModelStore.ModelFile model) throws IOException {
        boolean trusted = isPrivate(file.toAbsolutePath().getParent());
        Optional<Pin> pin = bundled.pin(model.fileName());
        String pinSource = "the library's pins";
        if (pin.isEmpty() && trusted) {
            pin = firstUsePins().pin(model.fileName());
            pinSource = "the hash recorded on first use in " + layout.firstUsePins();
        }
        long size = Files.size(file);
        if (pin.isPresent() && pin.get().size() != size) {
            return Optional.of("it has " + size + " bytes, not the " + pin.get().size() + " of " + pinSource);
        }
        if (pin.isEmpty() && size > ModelDownloader.MAX_UNPINNED_BYTES) {
            return Optional.of("it has " + size + " bytes, more than any checkpoint");
        }
        Optional<String> stamped = trusted ? CachedCheckpoint.stamped(file) : Optional.empty();
        String sha256 = stamped.isPresent() ? stamped.get() : CachedCheckpoint.sha256(file, size);
        if (pin.isPresent() && !pin.get().sha256().equals(sha256)) {
            return Optional.of("its SHA-256 " + sha256 + " is not the " + pin.get().sha256() + " of " + pinSource);
        }
        if (pin.isEmpty() && !sha256.startsWith(model.sha256Prefix())) {
            return Optional.of("its SHA-256 " + sha256 + " does not start with " + model.sha256Prefix());
        }
        if (pin.isEmpty() && trusted) {
            recordFirstUse(model, new Pin(sha256, size));
        }
        if (stamped.isEmpty() && trusted) {
            CachedCheckpoint.stamp(file, sha256);
        }
        return Optional.empty();
    }

    /**
     * After a download whose hash and size were checked against {@link #expected}: its pin (when
     * this was its first use) and stamp, where the cache is owner-only; best-effort.
     */
    void downloaded(Path file, ModelStore.ModelFile model, Pin pin) {
        if (!isPrivate(file.toAbsolutePath().getParent())) {
            return;
        }
        if (bundled.pin(model.fileName()).isEmpty() && firstUsePins().pin(model.fileName()).isEmpty()) {
            recordFirstUse(model, pin);
        }
        CachedCheckpoint.stamp(file, pin.sha256());
    }

    /** The pins recorded in the cache; none (with a warning) when the file cannot be read. */
    private CheckpointPins firstUsePins() {
        try {
            return CheckpointPins.read(layout.firstUsePins());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring the checkpoint hashes recorded on first use: {0}", e.getMessage());
            return CheckpointPins.from(null);
        }
    }

    private void recordFirstUse(ModelStore.ModelFile model, Pin pin) {
        Path file = layout.firstUsePins();
        try {
            firstUsePins().writeWith(file, model.fileName(), pin);
            LOG.log(System.Logger.Level.INFO, "{0}: trusted on first use, SHA-256 {1} ({2} bytes) recorded in {3}",
                    model.fileName(), pin.sha256(), pin.size(), file);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: its hash could not be recorded in {1} ({2})", model.fileName(), file, e);
        }
    }
}
