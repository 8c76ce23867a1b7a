package io.github.encodecstream.graph;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (the {@code onnx.proto} {@code ModelProto} message) node by node and
 * serialises it with protobuf's {@link CodedOutputStream}, so that ONNX Runtime can load it from
 * bytes. Only the subset of the schema that the codec graphs use is written: float and int64
 * tensors, the node attribute types int, ints, float and string, and tensor inputs and outputs
 * whose dimensions are fixed numbers or named symbols.
 */
public final class OnnxGraphBuilder {
    /** ONNX element type of a tensor ({@code TensorProto.DataType}). */
    public enum ElementType {
        FLOAT(1), INT64(7);

        final int code;

        ElementType(int code) {
            this.code = code;
        }
    }

    private static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private final String name;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    /** A builder for a graph of the given name. */
    public OnnxGraphBuilder(String name) {
        this.name = name;
    }

    /** A fresh value name with the given prefix. */
    public String fresh(String prefix) {
        return prefix + "_" + counter++;
    }

    /**
     * Declares a graph input. Each dimension is an {@link Integer}/{@link Long} (fixed) or a
     * {@link String} (a named, free dimension).
     */
    public String input(String valueName, ElementType type, Object... dims) {
        inputs.add(valueInfo(valueName, type, dims));
        return valueName;
    }

    /** Declares a graph output. */
    public void output(String valueName, ElementType type, Object... dims) {
        outputs.add(valueInfo(valueName, type, dims));
    }

    /** Adds a float initializer (a constant weight) and returns its name. */
    public String constant(String prefix, float[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return addInitializer(prefix, ElementType.FLOAT, raw.array(), dims);
    }

    /** Adds an int64 initializer and returns its name. */
    public String constantLongs(String prefix, long[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return addInitializer(prefix, ElementType.INT64, raw.array(), dims);
    }

    /** A one-dimensional int64 constant, as {@code Slice}, {@code Pad} and {@code Reshape} take. */
    public String vector(long... values) {
        return constantLongs("vec", values, values.length);
    }

    /** Adds a node with one output and returns the output's name. */
    public String node(String opType, List<String> nodeInputs, Attribute... attributes) {
        String out = fresh(opType.toLowerCase());
        node(opType, nodeInputs, List.of(out), attributes);
        return out;
    }

    /** Adds a node with the given outputs. An empty input name leaves an optional input out. */
    public void node(String opType, List<String> nodeInputs, List<String> nodeOutputs, Attribute... attributes) {
        nodes.add(message(out -> {
            for (String in : nodeInputs) {
                out.writeString(1, in);
            }
            for (String o : nodeOutputs) {
                out.writeString(2, o);
            }
            out.writeString(3, fresh("n_" + opType));
            out.writeString(4, opType);
            for (Attribute a : attributes) {
                out.writeByteArray(5, a.encode());
            }
        }));
    }

    /** Serialises the model. */
    public byte[] build() {
        byte[] graph = message(out -> {
            for (byte[] n : nodes) {
                out.writeByteArray(1, n);
            }
            out.writeString(2, name);
            for (byte[] t : initializers) {
                out.writeByteArray(5, t);
            }
            for (byte[] i : inputs) {
                out.writeByteArray(11, i);
            }
            for (byte[] o : outputs) {
                out.writeByteArray(12, o);
            }
        });
        byte[] opset = message(out -> {
            out.writeString(1, "");
            out.writeInt64(2, OPSET);
        });
        return message(out -> {
            out.writeInt64(1, IR_VERSION);
            out.writeString(2, "encodec-stream");
            out.writeByteArray(7, graph);
            out.writeByteArray(8, opset);
        });
    }

    private String addInitializer(String prefix, ElementType type, byte[] raw, long[] dims) {
        String valueName = fresh(prefix);
        initializers.add(message(out -> {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
            out.writeInt32(2, type.code);
            out.writeString(8, valueName);
            out.writeByteArray(9, raw);
        }));
        return valueName;
    }

    private static void checkSize(int length, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("tensor of " + length + " values cannot have " + n + " elements");
        }
    }

    private static byte[] valueInfo(String valueName, ElementType type, Object[] dims) {
        byte[] shape = message(out -> {
            for (Object d : dims) {
                out.writeByteArray(1, message(dim -> {
                    if (d instanceof String symbol) {
                        dim.writeString(2, symbol);
                    } else {
                        dim.writeInt64(1, ((Number) d).longValue());
                    }
                }));
            }
        });
        byte[] tensorType = message(out -> {
            out.writeInt32(1, type.code);
            out.writeByteArray(2, shape);
        });
        byte[] typeProto = message(out -> out.writeByteArray(1, tensorType));
        return message(out -> {
            out.writeString(1, valueName);
            out.writeByteArray(2, typeProto);
        });
    }

    /** Writes the fields of one protobuf message. */
    @FunctionalInterface
    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node attribute ({@code AttributeProto}). */
    public record Attribute(String name, Fields value) {
        /** An int attribute. */
        public static Attribute of(String name, long value) {
            return new Attribute(name, out -> {
                out.writeInt64(3, value);
                out.writeInt32(20, 2);
            });
        }

        /** A float attribute. */
        public static Attribute of(String name, float value) {
            return new Attribute(name, out -> {
                out.writeFloat(2, value);
                out.writeInt32(20, 1);
            });
        }

        /** A string attribute. */
        public static Attribute of(String name, String value) {
            return new Attribute(name, out -> {
                out.writeString(4, value);
                out.writeInt32(20, 3);
            });
        }

        /** An ints attribute. */
        public static Attribute ints(String name, long... values) {
            return new Attribute(name, out -> {
                for (long v : values) {
                    out.writeInt64(8, v);
                }
                out.writeInt32(20, 7);
            });
        }

        byte[] encode() {
            return message(out -> {
                out.writeString(1, name);
                value.write(out);
            });
        }
    }
}
