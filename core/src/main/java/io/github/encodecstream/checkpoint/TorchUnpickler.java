package io.github.encodecstream.checkpoint;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickler for {@code torch.save} state dicts.
 *
 * <p>Globals are resolved from a fixed allow-list of per-instance constructors (nothing is
 * registered in the library's static registry); anything else is rejected. Dicts keep insertion
 * order, and length-prefixed opcodes are checked against the bytes left so a corrupt length
 * cannot trigger a huge allocation. Input must be a {@link BufferInputStream}, whose
 * {@code available()} is the number of bytes left.
 */
final class TorchUnpickler extends Unpickler {

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

    /** Element type of each storage key seen in a persistent id, in first-seen order. */
    private final Map<String, DType> storageTypes = new LinkedHashMap<>();

    /** The dtype first used for storage {@code key}, or null if no persistent id named it. */
    DType storageType(String key) {
        return storageTypes.get(key);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                stack.add(resolve(String.valueOf(stack.pop()), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            case Opcodes.DICT:
                stack.add(putPairs(new LinkedHashMap<>(), stack.pop_all_since_marker()));
                return NO_RETURN_VALUE;
            case Opcodes.SETITEMS: { // the library's version loses the order within a batch
                List<Object> items = stack.pop_all_since_marker();
                putPairs(asMap(stack.peek()), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD: // OrderedDict state (the state dict's _metadata): ignored
                stack.pop();
                asMap(stack.peek());
                return NO_RETURN_VALUE;
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLength(4);
                break;
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLength(8);
                break;
            default:
                break;
        }
        return super.dispatch(key);
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
            throw new PickleException("unsupported global " + module + "." + name);
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
        throw new PickleException("expected an integer, found " + (value == null ? "None" : value.getClass().getSimpleName()));
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
            throw new PickleException("expected a dict, found " + (value == null ? "None" : value.getClass().getSimpleName()));
        }
        return (Map<Object, Object>) value;
    }

    private static Map<Object, Object> putPairs(Map<Object, Object> map, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
        return map;
    }

    /** Peeks at the little-endian length that follows and rejects one longer than the rest of the input. */
    private void checkLength(int width) throws IOException {
        input.mark(width);
        byte[] bytes = input.readNBytes(width);
        input.reset();
        long length = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            length = (length << 8) | (bytes[i] & 0xFF);
        }
        if (bytes.length < width || length < 0 || length > input.available() - width) {
            throw new PickleException("length " + length + " runs past the end of the pickle");
        }
    }
}
