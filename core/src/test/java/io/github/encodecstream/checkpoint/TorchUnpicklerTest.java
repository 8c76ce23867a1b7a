package io.github.encodecstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import org.junit.jupiter.api.Test;

/** The unpickler's allow-list of opcodes and its bounds on work. */
class TorchUnpicklerTest {
    /** What pickle protocols 2 to 4 write for a state dict, plus Python 2's byte strings: nothing else is read. */
    private static final Set<Short> WRITTEN_BY_TORCH_SAVE = Set.of(
            Opcodes.PROTO, Opcodes.FRAME, Opcodes.STOP, Opcodes.MARK, Opcodes.NONE, Opcodes.NEWTRUE, Opcodes.NEWFALSE,
            Opcodes.BININT, Opcodes.BININT1, Opcodes.BININT2, Opcodes.LONG1, Opcodes.BINFLOAT,
            Opcodes.BINUNICODE, Opcodes.SHORT_BINUNICODE, Opcodes.BINSTRING, Opcodes.SHORT_BINSTRING,
            Opcodes.EMPTY_TUPLE, Opcodes.TUPLE, Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3,
            Opcodes.EMPTY_LIST, Opcodes.APPEND, Opcodes.APPENDS, Opcodes.EMPTY_DICT, Opcodes.SETITEM, Opcodes.SETITEMS,
            Opcodes.BUILD, Opcodes.BINPUT, Opcodes.LONG_BINPUT, Opcodes.MEMOIZE, Opcodes.BINGET, Opcodes.LONG_BINGET,
            Opcodes.GLOBAL, Opcodes.STACK_GLOBAL, Opcodes.REDUCE, Opcodes.BINPERSID);

    private static final TorchUnpickler.Limits SMALL = new TorchUnpickler.Limits(100, 1000, 5000);

    private static Object load(TorchUnpickler.Limits limits, byte[] pickle) throws IOException {
        return new TorchUnpickler(limits).load(new BufferInputStream(ByteBuffer.wrap(pickle)));
    }

    /** The message of the exception loading ends in, or null when it loads. */
    private static String failure(TorchUnpickler.Limits limits, byte[] pickle) {
        try {
            load(limits, pickle);
            return null;
        } catch (IOException | RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    @Test
    void onlyTheOpcodesTorchSaveWritesAreRead() {
        List<String> wrong = new ArrayList<>();
        for (int op = 0; op < 256; op++) {
            String message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().op(op, 0, 0, 0, 0, 0, 0, 0, 0).stop());
            boolean refused = message != null && message.contains(String.format("opcode 0x%02x", op))
                    && message.contains("is not one torch.save writes");
            if (refused == WRITTEN_BY_TORCH_SAVE.contains((short) op)) {
                wrong.add(String.format("0x%02x: %s", op, message));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        for (String text : new String[] {"i", "o", "L", "I", "S", "V", "P", "g", "p", "l", "d", "0", "1", "2"}) {
            assertFalse(WRITTEN_BY_TORCH_SAVE.contains((short) text.charAt(0)), text); // the protocol 0 text opcodes among them
        }
    }

    @Test
    void opcodesAreCountedAcrossLoads() throws IOException {
        TorchUnpickler unpickler = new TorchUnpickler(SMALL);
        byte[] fifty = new PickleBuilder().raw(nones(47)).stop(); // 49 opcodes
        unpickler.load(new BufferInputStream(ByteBuffer.wrap(fifty)));
        unpickler.load(new BufferInputStream(ByteBuffer.wrap(fifty)));
        String message = assertThrows(RuntimeException.class,
                () -> unpickler.load(new BufferInputStream(ByteBuffer.wrap(fifty)))).getMessage();
        assertTrue(message.contains("more than 100 pickle opcodes"), message);
        assertEquals(null, failure(SMALL, new PickleBuilder().raw(nones(98)).stop()));
        assertTrue(failure(SMALL, new PickleBuilder().raw(nones(99)).stop()).contains("more than 100"));
    }

    private static byte[] nones(int count) {
        byte[] nones = new byte[count];
        java.util.Arrays.fill(nones, (byte) 'N');
        return nones;
    }

    @Test
    void stringsAreBoundedEachAndInAll() throws IOException {
        assertEquals("x".repeat(1000), load(SMALL, new PickleBuilder().str("x".repeat(1000)).stop()));
        assertTrue(failure(SMALL, new PickleBuilder().str("x".repeat(1001)).stop()).contains("1001 bytes (the limit is 1000)"));
        PickleBuilder six = new PickleBuilder().op(']', '(');
        for (int i = 0; i < 6; i++) {
            six.str("y".repeat(900));
        }
        assertTrue(failure(SMALL, six.op('e').stop()).contains("more than 5000 bytes of strings"));
        assertTrue(failure(SMALL, new PickleBuilder().op('c').raw("a".repeat(1001).getBytes()).op('\n').stop())
                .contains("GLOBAL line longer than 1000 bytes"));
        assertTrue(failure(SMALL, new PickleBuilder().op('X').raw(PickleBuilder.le(4, 0x7FFFFFF0)).stop())
                .contains("runs past the end"));
    }

    @Test
    void dictKeysAreStringsOrIntegers() throws IOException {
        Object dict = load(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().op('}').str("k").op('K', 1, 's').stop());
        assertEquals(Map.of("k", 1), dict);
        String message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().op('}', ']', 'K', 1, 's').stop());
        assertTrue(message.contains("dict key of type ArrayList"), message);
        message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().op('}', '(', ')', 'K', 1, 'u').stop());
        assertTrue(message.contains("dict key of type Object[]"), message);
        message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().op('}', 'N', 'K', 1, 's').stop());
        assertTrue(message.contains("dict key of type None"), message);
    }

    @Test
    void onlyAllowListedGlobals() {
        String message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().str("builtins").str("eval").op(0x93).stop());
        assertTrue(message.contains("unsupported global builtins.eval"), message);
        message = failure(TorchUnpickler.Limits.DEFAULT, new PickleBuilder().str("builtins").op('K', 1, 0x93).stop());
        assertTrue(message.contains("expected a string, found Integer"), message);
    }
}
