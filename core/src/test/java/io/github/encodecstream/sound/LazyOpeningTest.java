package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceCases;
import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening, inspecting and seeking need no model: it is loaded on the first read. */
class LazyOpeningTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void noModelNeededBeforeTheFirstRead(boolean decodeAhead, @TempDir Path empty) throws Exception {
        ModelStore store = ModelStore.builder().modelsDirectory(empty).cacheDirectory(empty).offline(true).build();
        DecoderOptions options = ReferenceCases.options().withModels(Models.builder().store(store).device("cpu").threads(1).build());
        EcdcAudioFileReader reader = new EcdcAudioFileReader(options, decodeAhead);
        try (AudioInputStream in = reader.getAudioInputStream(ReferenceCases.named("48k_bw6").file(".ecdc").toFile())) {
            assertEquals(350_003, in.getFrameLength());
            assertEquals(48_000f, in.getFormat().getSampleRate());
            assertEquals(4 * 200_000, in.skip(4 * 200_000));
            IOException e = assertThrows(IOException.class, () -> in.read(new byte[4 * 100]));
            assertTrue(e.getMessage().contains("encodec_48khz"), e.getMessage());
            IOException again = assertThrows(IOException.class, () -> in.read(new byte[4 * 100]));
            assertEquals(e.getMessage(), again.getMessage());
        }
    }
}
