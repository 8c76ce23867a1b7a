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
        ZipView.Entry bad = new ZipView.Entry(e.name(), e.method(), bytes.length, bytes.length, e.dataStart());
        assertThrows(CheckpointFormatException.class, () -> view.data(bad));
    }

    private static String refusal(byte[] zip) {
        return assertThrows(CheckpointFormatException.class, () -> ZipView.of(ByteBuffer.wrap(zip))).getMessage();
    }

    @Test
    void entriesThatShareDataAreRefused() {
        RawZip zip = new RawZip();
        long offset = zip.local("a", 0, DATA, RawZip.crc(DATA), DATA.length);
        zip.central("a", 0, RawZip.crc(DATA), DATA.length, DATA.length, offset);
        zip.central("b", 0, RawZip.crc(DATA), DATA.length, DATA.length, offset);
        String message = refusal(zip.bytes());
        assertTrue(message.contains("b overlaps a"), message);

        RawZip inside = new RawZip(); // b's header lies inside a's data
        byte[] big = new byte[100];
        long a = inside.local("a", 0, big, RawZip.crc(big), big.length);
        long b = inside.local("b", 0, DATA, RawZip.crc(DATA), DATA.length);
        inside.central("a", 0, RawZip.crc(big), big.length + 40, big.length + 40, a);
        inside.central("b", 0, RawZip.crc(DATA), DATA.length, DATA.length, b);
        message = refusal(inside.bytes());
        assertTrue(message.contains("b overlaps a"), message);
    }

    @Test
    void entryRunningIntoTheDirectoryIsRefused() {
        RawZip zip = new RawZip();
        zip.central("a", 0, 0, DATA.length + 10, DATA.length + 10, zip.local("a", 0, DATA, 0, DATA.length));
        String message = refusal(zip.bytes());
        assertTrue(message.contains("a overlaps the central directory"), message);
    }

    @Test
    void sizesThatCannotBeAreRefused() {
        RawZip stored = new RawZip();
        stored.central("a", 0, 0, DATA.length, DATA.length - 1, stored.local("a", 0, DATA, 0, DATA.length));
        String message = refusal(stored.bytes());
        assertTrue(message.contains("cannot be stored as"), message);

        byte[] deflated = RawZip.deflatedZeros(1000);
        RawZip ratio = new RawZip();
        long size = (long) ZipView.MAX_DEFLATE_RATIO * deflated.length + 1;
        ratio.central("a", 8, 0, deflated.length, size, ratio.local("a", 8, deflated, 0, size));
        message = refusal(ratio.bytes());
        assertTrue(message.contains("cannot inflate to"), message);
    }

    @Test
    void deflatedEntryMustInflateToItsDeclaredSize() throws IOException {
        byte[] deflated = RawZip.deflatedZeros(1000);
        for (long declared : new long[] {999, 1001}) {
            RawZip zip = new RawZip();
            zip.central("a", 8, 0, deflated.length, declared, zip.local("a", 8, deflated, 0, declared));
            ZipView view = ZipView.of(ByteBuffer.wrap(zip.bytes()));
            String message = assertThrows(CheckpointFormatException.class, () -> view.data(view.entry("a"))).getMessage();
            assertTrue(message.contains("does not inflate to the " + declared + " bytes"), message);
        }
        RawZip exact = new RawZip();
        exact.central("a", 8, 0, deflated.length, 1000, exact.local("a", 8, deflated, 0, 1000));
        ZipView view = ZipView.of(ByteBuffer.wrap(exact.bytes()));
        assertEquals(1000, view.data(view.entry("a")).remaining());
    }

    @Test
    void inflatingTakesFromTheBudgetOfTheFileSize() throws IOException {
        long floor = AllocationBudget.FLOOR;
        RawZip zip = new RawZip();
        byte[] half = RawZip.deflatedZeros(floor / 2);
        zip.central("a", 8, 0, half.length, floor / 2, zip.local("a", 8, half, 0, floor / 2));
        zip.central("b", 8, 0, half.length, floor / 2, zip.local("b", 8, half, 0, floor / 2));
        zip.central("c", 8, 0, half.length, floor / 2, zip.local("c", 8, half, 0, floor / 2));
        byte[] bytes = zip.bytes();
        assertTrue(bytes.length * AllocationBudget.RATIO < floor, "a small file: the floor applies");
        ZipView view = ZipView.of(ByteBuffer.wrap(bytes));
        view.data(view.entry("a"));
        view.data(view.entry("b"));
        String message = assertThrows(CheckpointFormatException.class, () -> view.data(view.entry("c"))).getMessage();
        assertTrue(message.contains("inflating c needs 524288 bytes") && message.contains("0 left"), message);
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
