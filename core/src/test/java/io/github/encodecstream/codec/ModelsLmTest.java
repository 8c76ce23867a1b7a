package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceData;
import org.junit.jupiter.api.Test;

class ModelsLmTest {
    @Test
    void theLmIsLoadedWithTheCodebooksAskedForThenWithAllWhenMoreAreAsked() throws Exception {
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).offline(true).build();
        try (Models models = Models.builder().store(store).device("cpu").threads(1).build()) {
            Models.Lm four = models.lm(ModelFamily.ENCODEC_48KHZ, 4);
            assertEquals(4, four.weights().codebooks());
            assertSame(four, models.lm(ModelFamily.ENCODEC_48KHZ, 2)); // fewer: the same
            Models.Lm all = models.lm(ModelFamily.ENCODEC_48KHZ, 8); // more: loaded again, with all 16
            assertNotSame(four, all);
            assertEquals(16, all.weights().codebooks());
            assertEquals(four.checksum(), all.checksum());
            assertSame(all, models.lm(ModelFamily.ENCODEC_48KHZ, 4)); // held now: covers 4 too
            assertSame(all, models.lm(ModelFamily.ENCODEC_48KHZ, 99)); // more than the checkpoint has: nothing to load
        }
    }
}
