package io.github.encodecstream.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickler for {@code torch.save} state dicts, which reads only what {@code torch.save} writes.
 *
 * <p>Opcodes are allow-listed: those that pickle protocols 2 to 4 use for a state dict (and
 * Python 2's byte strings, for old legacy files); every other one is refused, in particular the
 * protocol 0 text opcodes ({@code L}, {@code I}, {@code INST}, ...), {@code OBJ}, {@code NEWOBJ},
 * sets, byte strings and out-of-band buffers. Globals are resolved from a fixed allow-list of
 * per-instance constructors: the library's global constructor registry, where a host such as
 * Spark registers its own, is never consulted (the only library code that reads it handles
 * {@code GLOBAL}, {@code STACK_GLOBAL} and {@code INST}, which this class handles or refuses).
 * Dicts keep insertion order and take only {@code str} and {@code int} keys (no recursive hashing).
 *
 * <p>The work is bounded ({@link Limits}): the number of opcodes (which bounds the objects, the
 * memo and the stack), the length of each string and of all strings together, each checked
 * against the bytes left before anything is allocated. Input must be a {@link BufferInputStream},
 * whose {@code available()} is the number of bytes left.
 */
final class TorchUnpickler extends Unpickler {

    /**
     * The bounds of one unpickler, across all the pickles it loads.
     *
     * @param opcodes the most opcodes it executes
     * @param text the longest string, in bytes (a global's module or name included)
     * @param totalText the most string bytes in all
     */
    record Limits(int opcodes, int text, long totalText) {
        /**
         * 256 Ki opcodes (the 24 kHz EnCodec state dict has 9 372; each opcode makes at most one
         * object of a few dozen bytes, so a pickle holds at most about 20 MB of objects), strings
         * of 64 KiB (its longest has 45 bytes), 8 MiB of strings in all.
         */
        static final Limits DEFAULT = new Limits(1 << 18, 1 << 16, 8 << 20);
    }

    /** Elements {@code [offset, offset + numel)} of storage {@code key}, read as {@code dtype}. */
    record StorageRef(String key, DType dtype, long offset, long numel) {}

    /** A tensor view of a storage, awaiting the storage bytes. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** The value of a {@code torch.XxxStorage} global: only used as a type tag inside persistent ids. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("storage classes cannot be called");
        }
    }

    private static final Map<String, IObjectConstructor> GLOBALS = Map.of(
            "collections.OrderedDict", TorchUnpickler::orderedDict,
            "torch._utils._rebuild_tensor_v2", TorchUnpickler::rebuildTensor,
            "torch._utils._rebuild_parameter", TorchUnpickler::rebuildParameter,
            "torch._utils._rebuild_parameter_with_state", TorchUnpickler::rebuildParameter);

    /**
     * Opcodes left to the library: each reads an argument of at most 255 bytes (none, for most) and
     * pushes at most one new object (a tuple or list of items that were on the stack already).
     */
    private static final Set<Short> DELEGATED = Set.of(
            Opcodes.PROTO, Opcodes.FRAME, Opcodes.STOP, Opcodes.MARK,
            Opcodes.NONE, Opcodes.NEWTRUE, Opcodes.NEWFALSE, Opcodes.BININT, Opcodes.BININT1, Opcodes.BININT2,
            Opcodes.LONG1, Opcodes.BINFLOAT,
            Opcodes.EMPTY_TUPLE, Opcodes.TUPLE, Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3,
            Opcodes.EMPTY_LIST, Opcodes.APPEND, Opcodes.APPENDS,
            Opcodes.BINPUT, Opcodes.LONG_BINPUT, Opcodes.MEMOIZE, Opcodes.BINGET, Opcodes.LONG_BINGET,
            Opcodes.REDUCE, Opcodes.BINPERSID);

    private final Limits limits;
    private long opcodes;
    private long textBytes;

    /** Element type of each storage key seen in a persistent id, in first-seen order. */
    private final Map<String, DType> storageTypes = new LinkedHashMap<>();

    /** An unpickler with the {@link Limits#DEFAULT default limits}. */
    TorchUnpickler() {
        this(Limits.DEFAULT);
    }

    TorchUnpickler(Limits limits) {
        this.limits = limits;
    }

    /** The dtype first used for storage {@code key}, or null if no persistent id named it. */
    DType storageType(String key) {
        return storageTypes.get(key);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        if (++opcodes > limits.opcodes()) {
            throw new PickleException("more than " + limits.opcodes() + " pickle opcodes: refused as hostile");
        }
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = readLine();
                stack.add(resolve(module, readLine()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                String name = text(stack.pop());
                stack.add(resolve(text(stack.pop()), name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINUNICODE:
                stack.add(new String(readText(4), StandardCharsets.UTF_8));
                return NO_RETURN_VALUE;
            case Opcodes.SHORT_BINUNICODE:
                stack.add(new String(readText(1), StandardCharsets.UTF_8));
                return NO_RETURN_VALUE;
            case Opcodes.BINSTRING: // Python 2's str
                stack.add(new String(readText(4), StandardCharsets.ISO_8859_1));
                return NO_RETURN_VALUE;
            case Opcodes.SHORT_BINSTRING:
                stack.add(new String(readText(1), StandardCharsets.ISO_8859_1));
                return NO_RETURN_VALUE;
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            case Opcodes.SETITEM: {
                Object value = stack.pop();
                Object k = stack.pop();
                asMap(stack.peek()).put(checkKey(k), value);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS: { // the library's version loses the order within a batch
                List<Object> items = stack.pop_all_since_marker();
                putPairs(asMap(stack.peek()), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD: // OrderedDict state (the state dict's _metadata): ignored
                stack.pop();
                asMap(stack.peek());
                return NO_RETURN_VALUE;
            default:
                if (DELEGATED.contains(key)) {
                    return super.dispatch(key);
                }
                throw new PickleException(String.format("pickle opcode 0x%02x%s is not one torch.save writes: refused",
                        key, key > 0x20 && key < 0x7f ? " ('" + (char) key + "')" : ""));
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // zip:    ('storage', storage_type, key, location, numel)
        // legacy: ('storage', storage_type, root_key, location, numel, view_metadata)
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key)) {
            throw new PickleException("unsupported persistent id");
        }
        long numel = toLong(t[4]);
        long offset = 0;
        if (t.length > 5 && t[5] != null) { // legacy view: (view_key, offset, view_size) of the root storage
            if (!(t[5] instanceof Object[] view) || view.length != 3) {
                throw new PickleException("unsupported storage view metadata");
            }
            offset = toLong(view[1]);
            numel = toLong(view[2]);
        }
        if (offset < 0 || numel < 0) {
            throw new PickleException("negative storage offset or size in persistent id");
        }
        storageTypes.putIfAbsent(key, type.dtype());
        return new StorageRef(key, type.dtype(), offset, numel);
    }

    private static IObjectConstructor resolve(String module, String name) {
        DType storage = module.equals("torch") ? DType.forStorageClass(name) : null;
        if (storage != null) {
            return new StorageType(storage);
        }
        IObjectConstructor constructor = GLOBALS.get(module + "." + name);
        if (constructor == null) {
            throw new PickleException("unsupported global " + shorten(module + "." + name));
        }
        return constructor;
    }

    private static Object orderedDict(Object[] args) {
        if (args.length != 0) {
            throw new PickleException("OrderedDict with constructor arguments is not supported");
        }
        return new LinkedHashMap<>();
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("unsupported _rebuild_tensor_v2 arguments");
        }
        return new TensorRef(storage, toLong(args[1]), toLongs(args[2]), toLongs(args[3]));
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the tensor itself. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef)) {
            throw new PickleException("unsupported _rebuild_parameter arguments");
        }
        return args[0];
    }

    private static long toLong(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new PickleException("expected an integer, found " + typeName(value));
    }

    private static long[] toLongs(Object tuple) {
        if (!(tuple instanceof Object[] items)) {
            throw new PickleException("expected a tuple of integers");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = toLong(items[i]);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new PickleException("expected a dict, found " + typeName(value));
        }
        return (Map<Object, Object>) value;
    }

    private static Map<Object, Object> putPairs(Map<Object, Object> map, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(checkKey(items.get(i)), items.get(i + 1));
        }
        return map;
    }

    /** Reads a counted string's bytes: a little-endian length of {@code width} bytes, then the bytes. */
    private byte[] readText(int width) throws IOException {
        byte[] prefix = input.readNBytes(width);
        long length = 0;
        for (int i = prefix.length - 1; i >= 0; i--) {
            length = (length << 8) | (prefix[i] & 0xFF);
        }
        if (prefix.length < width || length > input.available()) {
            throw new PickleException("string of " + length + " bytes runs past the end of the pickle");
        }
        countText(length);
        return input.readNBytes((int) length);
    }

    /** Reads a line of a {@code GLOBAL} (ASCII, ended by a newline). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = input.read(); c != '\n'; c = input.read()) {
            if (c < 0) {
                throw new PickleException("GLOBAL line runs past the end of the pickle");
            }
            line.append((char) c);
            if (line.length() > limits.text()) {
                throw new PickleException("GLOBAL line longer than " + limits.text() + " bytes: refused as hostile");
            }
        }
        countText(line.length());
        return line.toString();
    }

    private void countText(long length) {
        if (length > limits.text()) {
            throw new PickleException("string of " + length + " bytes (the limit is " + limits.text() + "): refused as hostile");
        }
        textBytes += length;
        if (textBytes > limits.totalText()) {
            throw new PickleException("more than " + limits.totalText() + " bytes of strings: refused as hostile");
        }
    }

    private static String text(Object value) {
        if (!(value instanceof String s)) {
            throw new PickleException("expected a string, found " + typeName(value));
        }
        return s;
    }

    /** A dict key must be a Python str or int, as a state dict's are: hashing it never recurses. */
    private static Object checkKey(Object key) {
        if (key instanceof String || key instanceof Integer || key instanceof Long) {
            return key;
        }
        throw new PickleException("dict key of type " + typeName(key) + " is not supported");
    }

    /** The start of a text from the file, for a message. */
    private static String shorten(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
