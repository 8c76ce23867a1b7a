package io.github.encodecstream.sound;

import io.github.encodecstream.testing.EcdcBytes;

import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.format.EcdcHeader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long input streamed through {@code AudioSystem.write} keeps the heap flat: the writer holds a
 * block of input, the resampler's history, a segment or chunk, and the compressed file, never the
 * input. (The 5-minute measurement in a JVM of its own: {@link EncodeMemoryProbe}.)
 */
class EncodeMemoryTest {
    /** Allowed growth of the live heap between the first probe and the last, bytes. */
    static final long MAX_GROWTH = 8L << 20;

    @BeforeAll
    static void useReferenceModels() {
        WriterTests.useReferenceModels();
    }

    /**
     * 60 s of 96 kHz stereo float PCM (46 MB, generated as it is read) at 0.75 kbps: Encodec-Stream's
     * 24 kHz model at {@code sr} 12 000, so that the input is long and the encoding cheap. The live
     * heap after a GC at 10, 20, ... 60 s of input grows by less than {@value #MAX_GROWTH} bytes
     * (holding the input would add 46 MB).
     */
    @Test
    void heapDoesNotGrowWithTheInput() throws Exception {
        int rate = 96_000;
        long frames = 60L * rate;
        AudioFormat format = WriterTests.format(Encoding.PCM_FLOAT, rate, 32, 2, false,
                Map.of(EcdcProperties.BITRATE, 750));
        List<Long> heap = new ArrayList<>();
        WriterTests.GeneratedPcm pcm = new WriterTests.GeneratedPcm(format, frames, 10L * rate,
                position -> heap.add(WriterTests.usedHeapAfterGc()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int written = AudioSystem.write(pcm.stream(), EcdcFileFormatType.ECDC, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        EcdcHeader header = EcdcBytes.read(out.toByteArray());
        assertEquals(frames / 8, header.metadata().audioLength(), "96 kHz to 12 kHz");
        assertEquals(12_000, header.metadata().effectiveSampleRate());
        long growth = heap.get(heap.size() - 1) - heap.get(0);
        report(String.format("60 s of 96 kHz stereo float (%d MB of PCM) at 0.75 kbps: %d bytes written in %.1f s; "
                + "live heap after GC at 10..60 s (MB): %s; growth %+.2f MB", frames * 8 >> 20, written, seconds,
                heap.stream().map(h -> String.format("%.1f", h / 1048576.0)).toList(), growth / 1048576.0));
        assertEquals(6, heap.size());
        assertTrue(growth < MAX_GROWTH, "heap grew by " + growth + " bytes");
    }
}
