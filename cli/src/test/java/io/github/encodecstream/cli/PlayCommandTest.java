package io.github.encodecstream.cli;

import io.github.encodecstream.testing.ReferenceModels;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.junit.jupiter.api.Test;

/** {@code play} on a recording stand-in for the audio line, and without an audio device. */
@ExtendWith(ReferenceModels.class)
class PlayCommandTest {

    /** A line that keeps what is written and plays it at once. */
    static SourceDataLine recordingLine(ByteArrayOutputStream played, AtomicReference<AudioFormat> format) throws Exception {
        SourceDataLine line = mock(SourceDataLine.class);
        AtomicLong frames = new AtomicLong();
        when(line.write(any(byte[].class), anyInt(), anyInt())).thenAnswer(call -> {
            byte[] b = call.getArgument(0);
            int off = call.getArgument(1);
            int len = call.getArgument(2);
            played.write(b, off, len);
            frames.addAndGet(len / 4);
            return len;
        });
        when(line.getLongFramePosition()).thenAnswer(call -> frames.get());
        org.mockito.Mockito.doAnswer(call -> {
            format.set(call.getArgument(0));
            return null;
        }).when(line).open(any(AudioFormat.class), anyInt());
        return line;
    }

    @Test
    void playsWhatDashDWritesAndShowsThePosition() throws Exception {
        ByteArrayOutputStream played = new ByteArrayOutputStream();
        AtomicReference<AudioFormat> format = new AtomicReference<>();
        SourceDataLine line = recordingLine(played, format);
        String file = ReferenceData.file("seed/seed_b6.ecdc").toString();
        CliRun run = CliRun.withLines(any -> line, "play", "--progress", "-ss", "5", file);
        assertEquals(Main.OK, run.exitCode(), run.toString());
        AudioFormat f = format.get();
        assertEquals(48_000f, f.getSampleRate());
        assertEquals(2, f.getChannels());
        assertEquals(16, f.getSampleSizeInBits());
        assertFalse(f.isBigEndian());
        assertArrayEquals(CliRun.of("-ss", "5", "-d", file).stdout(), played.toByteArray());
        assertTrue(run.stderr().contains("Test Song") && run.stderr().contains("0:07.0 / 0:07.0"), run.stderr());
        assertTrue(run.stderr().contains("0:05.0 / 0:07.0"), "starts at 5 s: " + run.stderr());
        verify(line).start();
        verify(line).drain();
        verify(line).close();
        CliRun quiet = CliRun.withLines(any -> line, "-q", "play", "--progress", "-ss", "6.9", file);
        assertEquals(Main.OK, quiet.exitCode(), quiet.toString());
        assertEquals("", quiet.stderr());
    }

    @Test
    void noAudioDeviceExits5() {
        String file = ReferenceData.file("seed/seed_b6.ecdc").toString();
        CliRun run = CliRun.withLines(f -> {
            throw new IllegalArgumentException("No line matching interface SourceDataLine supporting format " + f);
        }, "play", file);
        assertEquals(Main.NO_AUDIO, run.exitCode(), run.toString());
        assertEquals(1, run.errLines().length, run.stderr());
        assertTrue(run.stderr().startsWith("encodec-stream: no audio output device found"), run.stderr());
        CliRun busy = CliRun.withLines(f -> {
            throw new LineUnavailableException("busy");
        }, "play", file);
        assertEquals(Main.NO_AUDIO, busy.exitCode(), busy.toString());
        assertTrue(busy.stderr().contains("not available"), busy.stderr());
    }

    @Test
    void thisMachinesAudioOrAClearError() {
        CliRun run = CliRun.of("play", "-ss", "6.9", ReferenceData.file("seed/seed_b6.ecdc").toString());
        assertTrue(run.exitCode() == Main.OK || run.exitCode() == Main.NO_AUDIO, run.toString());
        if (run.exitCode() == Main.NO_AUDIO) {
            assertEquals(1, run.errLines().length, run.stderr());
        }
    }

    @Test
    void stopEndsPlayingCleanly() throws Exception {
        ByteArrayOutputStream played = new ByteArrayOutputStream();
        SourceDataLine line = recordingLine(played, new AtomicReference<>());
        AtomicReference<Player> player = new AtomicReference<>();
        AtomicLong writes = new AtomicLong();
        when(line.write(any(byte[].class), anyInt(), anyInt())).thenAnswer(call -> {
            if (writes.incrementAndGet() == 3) {
                player.get().stop(); // as the Ctrl-C hook does
            }
            played.write((byte[]) call.getArgument(0), (int) call.getArgument(1), (int) call.getArgument(2));
            return call.getArgument(2);
        });
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(ReferenceData.file("seed/seed_b6.ecdc")),
                ReferenceCases.options())) {
            PcmStream pcm = PcmStream.open(decoder, 48_000, 2, null, null);
            player.set(new Player(line, pcm, "seed_b6.ecdc", new DamageReport(decoder, "seed_b6.ecdc", System.err),
                    new PlayPosition(new PrintStream(status, true, StandardCharsets.UTF_8), "Test Song", 0, 7.0)));
            assertTrue(player.get().play(), "stopped");
        }
        assertEquals(3 * 4800 * 4, played.size(), "three writes of 0.1 s");
        verify(line).stop();
        verify(line).flush();
        verify(line).close();
        verify(line, atLeastOnce()).getLongFramePosition();
        assertTrue(status.toString(StandardCharsets.UTF_8).contains("(stopped)"));
    }

    @Test
    void clock() {
        assertEquals("0:00.0", PlayPosition.clock(0));
        assertEquals("0:07.0", PlayPosition.clock(7));
        assertEquals("1:02.5", PlayPosition.clock(62.5));
        assertEquals("1:00:00.0", PlayPosition.clock(3600));
    }
}
