package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.AlsaFileOutput;
import io.github.encodecstream.testing.ChildJvm;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * javazoom BasicPlayer 3.0.0.0 (in a child JVM, its jars copied to {@code target/basicplayer} by
 * the build, playing on ALSA's file device): its position runs from 0 to {@code audio.length.bytes}
 * (the file's size, {@code getByteLength()}), so its progress reaches 100% as it does for a WAV,
 * and the samples it plays are the reader's.
 */
@ExtendWith(UsesReferenceModels.class)
class BasicPlayerTest {
    @Test
    void positionRunsFromZeroToTheLength(@TempDir Path dir) throws Exception {
        Path file = ReferenceData.file("seed/seed_b6.ecdc");
        AlsaFileOutput device = AlsaFileOutput.in(dir);
        device.startReading(0);
        ProcessBuilder builder = ChildJvm.builder(Map.of("encodec.models", ReferenceData.models().toString(),
                "encodec.offline", "true", "encodec.device", "cpu", "encodec.threads", "2",
                "encodec.cache", dir.resolve("cache").toString()), probe().toString(), file.toString());
        addBasicPlayer(builder.command());
        builder.environment().putAll(device.environment());
        ChildJvm.Result run = ChildJvm.run(builder, 180);
        byte[] played = device.finish();
        String out = new String(run.stdout(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(out.contains("done"), out);

        long size = Files.size(file);
        long header;
        byte[] decoded;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            header = ((EcdcAudioInputStream) in).header().frameDataOffset();
            decoded = in.readAllBytes();
        }
        List<Long> positions = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("progress ")) {
                positions.add(Long.parseLong(line.substring(9).strip()));
            }
        }
        assertTrue(out.contains("length " + size), "audio.length.bytes is the file's size: " + out.lines().limit(3)
                .collect(Collectors.joining(" | ")));
        assertTrue(positions.size() > 10, "progress events: " + positions.size());
        positions.sort(null); // BasicPlayer sends events from threads of their own
        long first = positions.get(0);
        long last = positions.get(positions.size() - 1);
        System.out.printf("[sound] BasicPlayer on %s (%d bytes, %d of header): %d progress events, position %d .. %d%n",
                file.getFileName(), size, header, positions.size(), first, last);
        assertTrue(first >= 0 && first < size / 10, "starts near 0: " + first);
        assertEquals(size, last, "ends at audio.length.bytes, the file's size: 100%");
        assertArrayEquals(decoded, played, "BasicPlayer played the reader's samples");
    }

    /** The probe program, run with the source launcher. */
    private static Path probe() {
        return Path.of(System.getProperty("basicplayer.probe", "target/test-classes/basicplayer/BasicPlayerProbe.java"));
    }

    /** Appends BasicPlayer's jars to the child's class path. */
    private static void addBasicPlayer(List<String> command) throws IOException {
        Path lib = Path.of(System.getProperty("basicplayer.lib", "target/basicplayer"));
        String jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator));
        }
        int cp = command.indexOf("-cp");
        command.set(cp + 1, command.get(cp + 1) + File.pathSeparator + jars);
    }
}
