package io.github.encodecstream.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileByteSourceTest {
    @TempDir
    Path dir;

    private Path data(int length) throws IOException {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return Files.write(dir.resolve("data.bin"), bytes);
    }

    @Test
    void readsFromAnyOffsetWithIndependentStreams() throws IOException {
        Path file = data(10_000);
        byte[] all = Files.readAllBytes(file);
        try (FileByteSource source = new FileByteSource(file)) {
            assertTrue(source.isSeekable());
            assertEquals(OptionalLong.of(10_000), source.size());
            InputStream late = source.openAt(9_000);
            InputStream early = source.openAt(10);
            assertEquals(all[9_000] & 0xFF, late.read());
            assertEquals(all[10] & 0xFF, early.read());
            assertArrayEquals(Arrays.copyOfRange(all, 11, 511), early.readNBytes(500));
            assertArrayEquals(Arrays.copyOfRange(all, 9_001, 10_000), late.readAllBytes());
            assertEquals(-1, late.read());
            assertEquals(100, early.skip(100));
            assertEquals(all[611] & 0xFF, early.read());
            assertEquals(10_000 - 612, early.available());
            assertEquals(10_000 - 612, early.skip(1_000_000));
            assertEquals(-1, early.read());
            try (InputStream beyond = source.openAt(20_000)) {
                assertEquals(-1, beyond.read());
                assertEquals(0, beyond.skip(5));
            }
            early.close();
            assertThrows(IOException.class, early::read);
            assertThrows(IllegalArgumentException.class, () -> source.openAt(-1));
        }
    }

    @Test
    void closingTheSourceEndsItsStreams() throws IOException {
        FileByteSource source = new FileByteSource(data(100));
        InputStream in = source.openAt(0);
        source.close();
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, () -> source.openAt(0));
    }

    @Test
    void concurrentReadersSeeTheirOwnBytes() throws Exception {
        Path file = data(1 << 20);
        byte[] all = Files.readAllBytes(file);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FileByteSource source = new FileByteSource(file)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int offset = t * 30_001;
                results.add(pool.submit(() -> {
                    try (InputStream in = source.openAt(offset)) {
                        byte[] got = new byte[20_000];
                        int at = 0;
                        while (at < got.length) {
                            int n = in.read(got, at, Math.min(333, got.length - at));
                            at += n;
                        }
                        return Arrays.equals(Arrays.copyOfRange(all, offset, offset + got.length), got);
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void segmentsReadFromTheirComputedOffsets() throws IOException {
        Path file = ReferenceData.file("vectors/48k_bw6.ecdc");
        try (FileByteSource source = new FileByteSource(file)) {
            EcdcHeader header;
            try (InputStream in = source.openAt(0)) {
                header = EcdcHeader.read(in);
            }
            SegmentLayout layout = SegmentLayout.of(header);
            assertEquals(source.size().getAsLong(), layout.endOffset());
            int[] dst = new int[150 * layout.codebooks()];
            for (int i = layout.segmentCount() - 1; i >= 0; i--) {
                try (InputStream in = source.openAt(layout.byteOffset(i))) {
                    CodeReader reader = new CodeReader(layout, in, layout.byteOffset(i));
                    reader.beginSegment(i);
                    assertEquals(layout.segment(i).steps(), reader.readSteps(dst, 150));
                    assertEquals(layout.byteOffset(i + 1), reader.position());
                }
            }
        }
    }
}
