package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "cpu|cpu",
        "CPU|cpu",
        " cpu |cpu",
        "auto|auto",
        "Auto|auto",
        "cuda|cuda:0",
        "CUDA|cuda:0",
        "gpu|cuda:0",
        "cuda:0|cuda:0",
        "cuda:1|cuda:1",
        "cuda:12|cuda:12",
        "CUDA:3|cuda:3",
        "cuda: 2|cuda:2",
        "gpu:2|cuda:2",
        "0|cuda:0",
        "1|cuda:1",
        " 7 |cuda:7",
        "007|cuda:7",
        "-1|cpu",
    })
    void parses(String text, String expected) {
        Device d = Device.parse(text);
        assertEquals(expected, d.toString());
        assertEquals(d, Device.parse(d.toString()), "toString reads back");
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @ValueSource(strings = {"", "  ", "cuda:", "cuda:-1", "cuda:x", "cuda:1.5", "cuda:+1", "cuda:1:2", "-2", "+1",
        "1.0", "tpu", "tpu:0", "cpu:0", "auto:1", "cuda0", "0x1", "99999999999", "cuda:99999999999", "١"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void unknownNamesListTheChoices() {
        String message = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu")).getMessage();
        for (String choice : new String[] {"cpu", "cuda", "cuda:N", "auto"}) {
            assertTrue(message.contains(choice), message);
        }
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> Device.parse(null));
    }

    @Test
    void constants() {
        assertSame(Device.CPU, Device.parse("cpu"));
        assertSame(Device.AUTO, Device.parse("auto"));
        assertEquals(new Device(Device.Kind.CUDA, 3), Device.cuda(3));
        assertEquals(3, Device.parse("cuda:3").index());
        assertEquals(Device.Kind.CUDA, Device.parse("3").kind());
    }

    @Test
    void constructorChecksIndex() {
        assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
        assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.CPU, 0));
        assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.AUTO, 2));
        assertThrows(NullPointerException.class, () -> new Device(null, -1));
    }
}
