package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceData;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Models.Builder#onLoad} is told one line per network loaded (which, from where, how long), not per use. */
class ModelsLoadLineTest {
    @TempDir
    Path cache;

    @Test
    void eachLoadIsToldOnce() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).cacheDirectory(cache)
                .offline(true).build();
        try (Models models = Models.builder().store(store).device("cpu").threads(1).onLoad(lines::add).build()) {
            models.encoder(ModelFamily.ENCODEC_24KHZ);
            models.encoder(ModelFamily.ENCODEC_24KHZ);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("loaded the encoder of encodec_24khz from .*encodec_24khz\\S*\\.th on cpu in \\d+\\.\\d\\d s"),
                    lines.get(0));
        }
    }
}
