package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The zip reader behind {@link TorchCheckpoint}: stored, deflated and zip64 archives, and views without copies. */
class ZipViewTest {
    private static final byte[] PICKLE = PickleBuilder.stateDict()
            .tensor("w", "FloatStorage", "0", 3, 0, new long[] {3}, new long[] {1})
            .endDict();
    private static final byte[] DATA = PickleBuilder.floats(1.5f, -2f, 3.25f);

    /** A checkpoint zip; {@code padding} extra entries before it (70 000 make a zip64 directory). */
    private static byte[] zip(boolean stored, int padding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < padding; i++) {
                zip.putNextEntry(new ZipEntry("pad/" + i));
                zip.closeEntry();
            }
            PickleBuilder.entry(zip, "archive/data.pkl", PICKLE, stored);
            PickleBuilder.entry(zip, "archive/byteorder", "little".getBytes(java.nio.charset.StandardCharsets.US_ASCII), stored);
            PickleBuilder.entry(zip, "archive/data/0", DATA, stored);
        }
        return bytes.toByteArray();
    }

    @Test
    void storedAndDeflatedEntries() throws IOException {
        for (boolean stored : new boolean[] {true, false}) {
            Map<String, Tensor> t = TorchCheckpoint.read(new java.io.ByteArrayInputStream(zip(stored, 0)));
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, t.get("w").toFloats(), "stored " + stored);
        }
    }

    @Test
    void zip64Directory() throws IOException {
        byte[] bytes = zip(true, 70_000);
        ZipView view = ZipView.of(ByteBuffer.wrap(bytes));
        assertEquals(70_003, view.entries().size());
        Map<String, Tensor> t = TorchCheckpoint.read(new java.io.ByteArrayInputStream(bytes));
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, t.get("w").toFloats());
    }

    @Test
    void storedEntryIsAViewOfTheArchive() throws IOException {
        byte[] bytes = zip(true, 0);
        ByteBuffer archive = ByteBuffer.wrap(bytes);
        ZipView view = ZipView.of(archive);
        ByteBuffer data = view.data(view.entry("archive/data/0"));
        assertTrue(data.isReadOnly());
        assertEquals(DATA.length, data.remaining());
        int at = indexOf(bytes, DATA);
        bytes[at] = 7;
        assertEquals(7, data.get(0), "a view, not a copy");
    }

    @Test
    void referenceCheckpointIsMappedNotCopied() throws IOException {
        Path file = ReferenceData.models().resolve("encodec_48khz-random.th");
        long before = usedHeap();
        Map<String, Tensor> t = TorchCheckpoint.read(file);
        long grown = usedHeap() - before;
        assertFalse(t.isEmpty());
        assertTrue(grown < Files.size(file) / 4, "heap grew by " + grown + " bytes reading a " + Files.size(file)
                + "-byte checkpoint");
    }

    @Test
    void entryPastTheEndIsCorrupt() throws IOException {
        byte[] bytes = zip(true, 0);
        ZipView view = ZipView.of(ByteBuffer.wrap(bytes));
        ZipView.Entry e = view.entry("archive/data/0");
        ZipView.Entry bad = new ZipView.Entry(e.name(), e.method(), bytes.length, bytes.length, e.localHeader());
        assertThrows(CheckpointFormatException.class, () -> view.data(bad));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
