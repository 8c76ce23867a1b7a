package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mark}/{@code reset} give back exactly the bytes read since the mark, as
 * {@link java.io.BufferedInputStream} does, on both models and every way of opening a file; a 24 kHz
 * seek would not (its pre-roll can change the last bit), so this fails if reset seeks.
 */
@ExtendWith(UsesReferenceModels.class)
class MarkResetTest {
    /** How a test opens a file: AudioSystem on the File, a forward-only InputStream, decoding on the reader's thread. */
    enum Opening {
        FILE, STREAM, NO_DECODE_AHEAD;

        AudioInputStream open(Path file) throws Exception {
            switch (this) {
                case FILE:
                    return AudioSystem.getAudioInputStream(file.toFile());
                case STREAM:
                    return AudioSystem.getAudioInputStream(new BufferedInputStream(Files.newInputStream(file)));
                default:
                    return new EcdcAudioFileReader(ReferenceCases.options(), false).getAudioInputStream(file.toFile());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}: mark at byte {2}, {3} bytes")
    @CsvSource({
        "24k_full, FILE, 0, 4000",
        "24k_full, FILE, 100000, 300000",
        "24k_full, FILE, 525002, 200002",
        "24k_full, STREAM, 100000, 64000",
        "24k_full, NO_DECODE_AHEAD, 525002, 90000",
        "48k_full, FILE, 0, 100000",
        "48k_full, FILE, 100000, 1000000",
        "48k_full, STREAM, 2000000, 400000",
        "48k_full, NO_DECODE_AHEAD, 1500004, 333332",
    })
    void resetGivesBackTheBytesRead(String name, Opening opening, long markAt, int length) throws Exception {
        Path file = ReferenceCases.named(name).ecdc();
        int more = 40_000;
        byte[] straight;
        try (AudioInputStream in = opening.open(file)) {
            assertEquals(markAt, in.skip(markAt));
            straight = in.readNBytes(length + more);
        }
        try (AudioInputStream in = opening.open(file)) {
            assertTrue(in.markSupported());
            assertEquals(markAt, in.skip(markAt));
            in.mark(length);
            byte[] first = readInPieces(in, length);
            assertArrayEquals(Arrays.copyOf(straight, length), first, "read after the mark");
            in.reset();
            assertEquals(markAt / in.getFormat().getFrameSize(), ((EcdcAudioInputStream) in).framePosition());
            byte[] again = readInPieces(in, length);
            assertArrayEquals(first, again, "read again after reset");
            assertArrayEquals(Arrays.copyOfRange(straight, length, length + more), in.readNBytes(more),
                    "and on past the kept bytes");
        }
    }

    /** Reads {@code length} bytes by reads of uneven sizes (whole frames or not). */
    private static byte[] readInPieces(AudioInputStream in, int length) throws IOException {
        byte[] out = new byte[length];
        int[] sizes = {4096, 1, 30_002, 7, 100_000, 64};
        int done = 0;
        for (int i = 0; done < length; i++) {
            int n = in.read(out, done, Math.min(sizes[i % sizes.length], length - done));
            if (n < 0) {
                break;
            }
            done += n;
        }
        return Arrays.copyOf(out, done);
    }

    @Test
    void resetTwiceAndMarkWhileReadingAgain() throws Exception {
        Path file = ReferenceCases.named("24k_full").ecdc();
        byte[] straight;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            in.skip(50_000);
            straight = new byte[50_000 + 250_000];
            in.readNBytes(straight, 50_000, 250_000); // indices: bytes from the start of the audio
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            in.skip(50_000);
            in.mark(200_000);
            in.readNBytes(100_000);
            in.reset();
            in.readNBytes(20_000);
            in.reset();
            assertArrayEquals(Arrays.copyOfRange(straight, 50_000, 80_000), in.readNBytes(30_000));
            in.mark(150_000); // inside the kept bytes: those after it are kept for the new mark
            assertArrayEquals(Arrays.copyOfRange(straight, 80_000, 230_000), in.readNBytes(150_000));
            in.reset();
            assertArrayEquals(Arrays.copyOfRange(straight, 80_000, 300_000), in.readNBytes(220_000));
        }
    }

    @Test
    void skipAndSeekWithinTheMarkKeepIt() throws Exception {
        Path file = ReferenceCases.named("24k_full").ecdc();
        byte[] straight;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            straight = in.readNBytes(400_000);
        }
        try (EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(file.toFile())) {
            in.mark(300_000);
            assertEquals(100_000, in.skip(100_000)); // within the limit: read through, kept
            assertArrayEquals(Arrays.copyOfRange(straight, 100_000, 110_000), in.readNBytes(10_000));
            in.seek(20_000); // back, within what was read since the mark
            assertArrayEquals(Arrays.copyOfRange(straight, 40_000, 50_000), in.readNBytes(10_000));
            in.reset();
            assertArrayEquals(Arrays.copyOf(straight, 400_000), in.readNBytes(400_000), "kept; past the limit read on");
            assertThrows(IOException.class, in::reset, "more than the read limit was read: the mark is gone");
        }
    }

    @Test
    void markIsDroppedPastItsLimitOrBySeekingElsewhere() throws Exception {
        Path file = ReferenceCases.named("48k_full").ecdc();
        try (EcdcAudioInputStream in = (EcdcAudioInputStream) AudioSystem.getAudioInputStream(file.toFile())) {
            assertThrows(IOException.class, in::reset, "no mark yet");
            in.mark(40_000);
            in.readNBytes(40_000);
            in.reset(); // exactly the limit: kept
            in.readNBytes(40_004);
            assertThrows(IOException.class, in::reset, "one frame past the limit");
            in.mark(1_000_000);
            in.skip(2_000_000); // past the limit: seeks, and drops the mark
            assertThrows(IOException.class, in::reset);
            in.mark(1_000_000);
            in.seek(10); // behind the mark
            assertThrows(IOException.class, in::reset);
            in.mark(Integer.MAX_VALUE); // bounded by MarkBuffer.MAX_BYTES, which holds this whole file
            byte[] rest = in.readAllBytes();
            in.reset();
            assertArrayEquals(rest, in.readAllBytes());
        }
    }

    /** A stream converted after a reset gives the kept samples in its own format. */
    @Test
    void conversionCarriesTheKeptAudio() throws Exception {
        Path file = ReferenceCases.named("24k_full").ecdc();
        byte[] expected;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            in.skip(200_000);
            expected = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, in).readNBytes(400_000);
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            in.skip(200_000);
            in.mark(150_000);
            in.readNBytes(150_000);
            in.reset();
            AudioInputStream floats = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, in);
            assertArrayEquals(expected, floats.readNBytes(400_000));
        }
    }
}
