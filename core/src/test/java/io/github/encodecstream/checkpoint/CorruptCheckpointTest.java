package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Truncated, corrupted or foreign input fails with {@link CheckpointFormatException}, never worse. */
class CorruptCheckpointTest {
    @TempDir
    Path dir;

    private static CheckpointFormatException readFails(byte[] bytes) {
        return assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(new ByteArrayInputStream(bytes)));
    }

    /** Reading either succeeds or throws CheckpointFormatException. */
    private static void readSucceedsOrFailsCleanly(byte[] bytes, String what) {
        try {
            TorchCheckpoint.read(new ByteArrayInputStream(bytes));
        } catch (CheckpointFormatException expected) {
            // fine
        } catch (Throwable t) {
            fail(what + ": " + t, t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"encodec_24khz-random.th", "encodec_lm_48khz-random.th", "loader_zoo.th", "loader_zoo_legacy.th"})
    void first1000Bytes(String file) throws IOException {
        byte[] head = new byte[1000];
        try (var in = Files.newInputStream(ReferenceData.models().resolve(file))) {
            in.readNBytes(head, 0, head.length);
        }
        readFails(head);
    }

    @ParameterizedTest
    @ValueSource(strings = {"loader_zoo.th", "loader_zoo_legacy.th"})
    void everyTruncation(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(ReferenceData.models().resolve(file));
        for (int length = 0; length < bytes.length; length += 3) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            try {
                TorchCheckpoint.read(new ByteArrayInputStream(prefix));
                fail("truncated to " + length + " bytes but read");
            } catch (CheckpointFormatException expected) {
                // fine
            } catch (Throwable t) {
                fail("truncated to " + length + " bytes: " + t, t);
            }
        }
    }

    @Test
    void legacyMissingLastStorageBytes() throws IOException {
        byte[] bytes = Files.readAllBytes(ReferenceData.models().resolve("loader_zoo_legacy.th"));
        String message = readFails(Arrays.copyOf(bytes, bytes.length - 1)).getMessage();
        assertTrue(message.contains("storage"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"loader_zoo.th", "loader_zoo_legacy.th"})
    void everyByteCorrupted(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(ReferenceData.models().resolve(file));
        Random random = new Random(42);
        for (int i = 0; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] = (byte) (i % 2 == 0 ? 0xFF : copy[i] ^ (1 << random.nextInt(8)));
            readSucceedsOrFailsCleanly(copy, "byte " + i + " of " + file);
        }
    }

    @Test
    void randomBytes() {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 3, 4, 15, 100, 4096, 100_000}) {
            for (byte[] start : new byte[][] {{}, {'P', 'K', 3, 4}, {(byte) 0x80, 2}}) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                System.arraycopy(start, 0, bytes, 0, Math.min(start.length, size));
                readFails(bytes);
            }
        }
    }

    @Test
    void hugeStringLengthIsRejectedWithoutAllocating() {
        byte[] pickle = new PickleBuilder().op('X').raw(PickleBuilder.le(4, 0x7FFFFFF0)).stop();
        String message = readFails(pickle).getMessage();
        assertTrue(message.contains("past the end"), message);
        readFails(new PickleBuilder().op(0x8e).raw(PickleBuilder.le(8, Long.MAX_VALUE)).stop());
    }

    @Test
    void foreignGlobalIsRejected() throws IOException {
        byte[] pickle = new PickleBuilder().global("os", "system").str("echo hi").op(0x85, 'R', '.').stop();
        String message = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpoint.read(PickleBuilder.zip(dir.resolve("os.th"), pickle, Map.of()))).getMessage();
        assertTrue(message.contains("unsupported global os.system"), message);
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        Path file = dir.resolve("empty.zip");
        try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("something.txt"));
        }
        assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(file));
    }

    @Test
    void missingFileIsPlainIOException() {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(dir.resolve("absent.th")));
        assertTrue(!(e instanceof CheckpointFormatException), e.toString());
    }
}
