package io.github.encodecstream.sound;

import static io.github.encodecstream.sound.SoundTests.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.ConcealedSpan;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Java Sound stream of a damaged file plays on to its end and logs one warning naming the spans. */
@ExtendWith(UsesReferenceModels.class)
class DamagedStreamTest {
    @Test
    void playsOnAndWarnsOnce(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceCases.named("48k_bw6").ecdc());
        SegmentLayout layout = SegmentLayout.of(EcdcBytes.read(bytes));
        ByteBuffer.wrap(bytes).putFloat((int) layout.byteOffset(1), Float.NaN);
        ByteBuffer.wrap(bytes).putFloat((int) layout.byteOffset(4), -1f);
        Path file = dir.resolve("damaged.ecdc");
        Files.write(file, bytes);
        try (Captured log = new Captured()) {
            byte[] pcm;
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
                pcm = readAll(in);
            }
            assertEquals(layout.audioLength() * 2 * 2, pcm.length, "the whole stream is played");
            assertEquals(1, log.records.size(), () -> log.records.stream().map(LogRecord::getMessage).toList().toString());
            LogRecord warning = log.records.get(0);
            assertEquals(Level.WARNING, warning.getLevel());
            String m = warning.getMessage();
            assertTrue(m.contains("2 spans concealed") && m.contains("segment 1") && m.contains("segment 4")
                    && m.contains("0.990\u20131.990 s"), m);
        }
    }

    @Test
    void theWarningNamesTenSpansAndCountsTheRest() {
        List<ConcealedSpan> spans = new ArrayList<>();
        for (int r = 0; r < 2500; r++) {
            spans.add(new ConcealedSpan(r * 48_000L, (r + 1) * 48_000L, r, "segment", "segment " + r + " is damaged"));
        }
        String m = DecodeAhead.concealedWarning(spans, 48_000);
        assertTrue(m.startsWith("damaged data in an .ecdc stream, 2500 spans concealed with silence: "
                + "0.000\u20131.000 s (segment 0 is damaged); "), m);
        assertTrue(m.contains("(segment 9 is damaged); and 2490 more") && !m.contains("segment 10 "), m);
        assertEquals("damaged data in an .ecdc stream, 1 span concealed with silence: 2.000\u20133.000 s (x)",
                DecodeAhead.concealedWarning(List.of(new ConcealedSpan(96_000, 144_000, 2, "segment", "x")), 48_000));
    }

    /**
     * Collects the WARNING-or-above records of the DecodeAhead logger while open, at the root
     * logger (whatever instance the System.Logger bridge holds, its records reach the root).
     */
    private static final class Captured extends Handler implements AutoCloseable {
        private final Logger root = Logger.getLogger("");
        final List<LogRecord> records = new ArrayList<>();

        Captured() {
            setLevel(Level.WARNING);
            root.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (DecodeAhead.class.getName().equals(record.getLoggerName())
                    && record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
        }
    }
}
