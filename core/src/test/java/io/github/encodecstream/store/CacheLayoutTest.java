package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.files.AtomicWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names of the cache directory's files: they must not change from one release to the next. */
class CacheLayoutTest {
    @TempDir
    Path cache;

    @Test
    void namesEveryFileOfTheCache() throws Exception {
        CacheLayout layout = CacheLayout.of(cache);
        ModelStore.ModelFile model = new ModelStore.ModelFile("encodec_24khz", "encodec_24khz-d7cc33bc.th", "d7cc33bc");
        Path checkpoint = layout.checkpoint(model);
        assertEquals(cache.resolve("encodec_24khz-d7cc33bc.th"), checkpoint);
        assertEquals(cache.resolve(".encodec_24khz-d7cc33bc.th.sha256"), CacheLayout.stampOf(checkpoint));
        assertEquals(cache.resolve(".encodec_24khz-d7cc33bc.th.lock"), layout.downloadLock(model));
        assertEquals(cache.resolve("checkpoints.sha256"), layout.firstUsePins());
        assertEquals(cache.resolve("prepared"), layout.preparedModels());
        assertEquals(cache.resolve("onnxruntime"), layout.nativeLibraries());
        try (AtomicWrite part = CacheLayout.newPart(checkpoint)) {
            String name = part.temporary().getFileName().toString();
            assertTrue(name.matches("\\.encodec_24khz-d7cc33bc\\.th\\.[^.]+\\.part"), name);
            assertTrue(CacheLayout.isPartOf(part.temporary(), checkpoint));
        }
        assertFalse(CacheLayout.isPartOf(cache.resolve(".encodec_24khz-d7cc33bc.th.lock"), checkpoint));
        assertFalse(CacheLayout.isPartOf(cache.resolve(".encodec_48khz-7e698e3e.th.1.part"), checkpoint));
        try (var left = Files.list(cache)) {
            assertEquals(0, left.count(), "the part is deleted unless committed");
        }
    }
}
