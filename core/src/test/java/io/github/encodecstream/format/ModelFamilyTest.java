package io.github.encodecstream.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelFamilyTest {
    @Test
    void geometry() {
        ModelFamily a = ModelFamily.ENCODEC_24KHZ;
        assertEquals("encodec_24khz", a.fileName());
        assertEquals(24_000, a.sampleRate());
        assertEquals(1, a.channels());
        assertEquals(75, a.frameRate());
        assertEquals(320, a.hop());
        assertEquals(32, a.maxCodebooks());
        assertFalse(a.isSegmented());
        assertFalse(a.hasScale());
        assertEquals(0, a.segmentLength());
        assertEquals(0, a.overlap());

        ModelFamily b = ModelFamily.ENCODEC_48KHZ;
        assertEquals("encodec_48khz", b.fileName());
        assertEquals(48_000, b.sampleRate());
        assertEquals(2, b.channels());
        assertEquals(150, b.frameRate());
        assertEquals(320, b.hop());
        assertEquals(16, b.maxCodebooks());
        assertTrue(b.isSegmented());
        assertTrue(b.hasScale());
        assertEquals(48_000, b.segmentLength());
        assertEquals((int) (0.99 * 48_000), b.segmentStride());
        assertEquals(480, b.overlap());
        for (ModelFamily f : ModelFamily.values()) {
            assertEquals((f.sampleRate() + f.hop() - 1) / f.hop(), f.frameRate());
        }
    }

    @Test
    void fromName() {
        assertEquals(Optional.of(ModelFamily.ENCODEC_24KHZ), ModelFamily.fromName("encodec_24khz"));
        assertEquals(Optional.of(ModelFamily.ENCODEC_48KHZ), ModelFamily.fromName("encodec_48khz"));
        assertEquals(Optional.empty(), ModelFamily.fromName("ENCODEC_48KHZ"));
        assertEquals(Optional.empty(), ModelFamily.fromName(null));
    }

    @Test
    void steps() {
        assertEquals(0, ModelFamily.ENCODEC_48KHZ.stepsFor(0));
        assertEquals(1, ModelFamily.ENCODEC_48KHZ.stepsFor(1));
        assertEquals(1, ModelFamily.ENCODEC_48KHZ.stepsFor(320));
        assertEquals(2, ModelFamily.ENCODEC_48KHZ.stepsFor(321));
        assertEquals(150, ModelFamily.ENCODEC_48KHZ.stepsFor(48_000));
        assertEquals(149, ModelFamily.ENCODEC_48KHZ.stepsFor(47_521));
        assertEquals(547, ModelFamily.ENCODEC_24KHZ.stepsFor(175_001));
    }
}
