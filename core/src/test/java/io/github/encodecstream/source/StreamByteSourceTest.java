package io.github.encodecstream.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StreamByteSourceTest {
    private static byte[] data(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 13 + 1);
        }
        return bytes;
    }

    @Test
    void goesForwardOnly() throws IOException {
        byte[] all = data(50_000);
        try (StreamByteSource source = new StreamByteSource(new ByteArrayInputStream(all))) {
            assertFalse(source.isSeekable());
            assertEquals(OptionalLong.empty(), source.size());
            InputStream a = source.openAt(0);
            assertArrayEquals(Arrays.copyOf(all, 9), a.readNBytes(9));
            assertEquals(9, source.position());
            InputStream b = source.openAt(9);
            assertEquals(all[9] & 0xFF, b.read());
            assertThrows(IOException.class, a::read, "replaced by a later openAt");
            InputStream c = source.openAt(20_000);
            assertEquals(20_000, source.position());
            assertArrayEquals(Arrays.copyOfRange(all, 20_000, 20_100), c.readNBytes(100));
            assertEquals(900, c.skip(900));
            assertEquals(all[21_000] & 0xFF, c.read());
            IOException back = assertThrows(IOException.class, () -> source.openAt(100));
            assertTrue(back.getMessage().contains("source is not seekable"), back.getMessage());
            assertEquals(all[21_001] & 0xFF, c.read(), "a refused openAt leaves the current stream alone");
            InputStream end = source.openAt(60_000);
            assertEquals(50_000, source.position(), "stopped at the end of the data");
            assertEquals(-1, end.read());
            assertEquals(0, end.skip(10));
            assertThrows(IllegalArgumentException.class, () -> source.openAt(-1));
        }
    }

    @Test
    void closeClosesTheStream() throws IOException {
        boolean[] closed = {false};
        InputStream raw = new ByteArrayInputStream(data(10)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        StreamByteSource source = new StreamByteSource(raw);
        InputStream view = source.openAt(2);
        view.close();
        assertFalse(closed[0], "closing a view leaves the source open");
        assertThrows(IOException.class, view::read);
        InputStream other = source.openAt(2);
        assertEquals(data(10)[2] & 0xFF, other.read());
        source.close();
        assertTrue(closed[0]);
        assertThrows(IOException.class, other::read);
        assertThrows(IOException.class, () -> source.openAt(5));
    }
}
