package io.github.encodecstream.graph;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (the {@code onnx.proto} {@code ModelProto} message) node by node and
 * serialises it with protobuf's {@link CodedOutputStream}, so that ONNX Runtime can load it from
 * bytes ({@link #build()}) or from a file ({@link #write}). Only the subset of the schema that the
 * codec graphs use is written: float and int64 tensors, the node attribute types int, ints, float
 * and string, and tensor inputs and outputs whose dimensions are fixed numbers or named symbols.
 *
 * <p>Constants keep a reference to the caller's array (no copy is made: the array must not change
 * afterwards) and are serialised only when the model is: {@link #build()} writes the model into one
 * array of its exact size; {@link #write} streams it to a file, the large constants optionally into
 * an {@link ExternalData} file beside it, so that a model never has to be assembled in memory.
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
    /** Bytes converted at a time when writing tensor data. */
    private static final int CHUNK = 1 << 16;

    private final String name;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    /** A constant tensor: its name, type and shape, and its values, not copied. */
    private record Initializer(String name, ElementType type, long[] dims, TensorData data) {
        long byteLength() {
            return data.byteLength();
        }

        /** The fields before the data: dims, data_type, name. */
        byte[] header() {
            return message(out -> {
                for (long d : dims) {
                    out.writeInt64(1, d);
                }
                out.writeInt32(2, type.code);
                out.writeString(8, name);
            });
        }
    }

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

    /** Adds a float initializer (a constant weight) and returns its name; {@code values} is kept, not copied. */
    public String constant(String prefix, float[] values, long... dims) {
        return add(prefix, ElementType.FLOAT, TensorData.of(values), dims);
    }

    /**
     * Adds a float initializer whose values are the given pieces of arrays, in order (kept, not
     * copied), and returns its name.
     */
    String constant(String prefix, List<TensorData.Piece> pieces, long... dims) {
        return add(prefix, ElementType.FLOAT, TensorData.of(pieces), dims);
    }

    /** Adds an int64 initializer and returns its name; {@code values} is kept, not copied. */
    public String constantLongs(String prefix, long[] values, long... dims) {
        return add(prefix, ElementType.INT64, TensorData.of(values), dims);
    }

    private String add(String prefix, ElementType type, TensorData data, long[] dims) {
        checkSize(data.count(), dims);
        String valueName = fresh(prefix);
        initializers.add(new Initializer(valueName, type, dims.clone(), data));
        return valueName;
    }

    /** A one-dimensional int64 constant, as {@code Slice}, {@code Pad} and {@code Reshape} take. */
    public String vector(long... values) {
        return constantLongs("vec", values.clone(), values.length);
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

    /** Serialises the model, every constant inline, into one array of its exact size. */
    public byte[] build() {
        Layout layout = layout(null);
        long size = layout.modelSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("model of " + size + " bytes is too large for an array; write it to a file");
        }
        byte[] model = new byte[(int) size];
        CodedOutputStream out = CodedOutputStream.newInstance(model);
        try {
            writeModel(out, layout);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return model;
    }

    /**
     * Streams the model to {@code out} (not closed) without assembling it in memory. With
     * {@code external}, each constant of at least {@link ExternalData#MIN_BYTES} bytes goes to
     * that file instead (the model then refers to it by its file name, so the two files must lie
     * in one directory); without, every constant is inline.
     */
    public void write(OutputStream out, ExternalData external) throws IOException {
        Layout layout = layout(external);
        CodedOutputStream coded = CodedOutputStream.newInstance(out, CHUNK);
        writeModel(coded, layout);
        coded.flush();
    }

    /** Each initializer's message (header, then inline data or the external reference) and the sizes. */
    private record Layout(List<byte[]> headers, List<byte[]> trailers, long[] initializerSizes, long graphSize,
            byte[] opset) {
        long modelSize() {
            return CodedOutputStream.computeInt64Size(1, IR_VERSION)
                    + CodedOutputStream.computeStringSize(2, PRODUCER)
                    + delimitedSize(7, graphSize)
                    + CodedOutputStream.computeByteArraySize(8, opset);
        }
    }

    private static final String PRODUCER = "encodec-stream";

    private Layout layout(ExternalData external) {
        List<byte[]> headers = new ArrayList<>(initializers.size());
        List<byte[]> trailers = new ArrayList<>(initializers.size());
        long[] sizes = new long[initializers.size()];
        long graph = 0;
        for (byte[] n : nodes) {
            graph += CodedOutputStream.computeByteArraySize(1, n);
        }
        graph += CodedOutputStream.computeStringSize(2, name);
        for (int i = 0; i < initializers.size(); i++) {
            Initializer t = initializers.get(i);
            byte[] header = t.header();
            byte[] trailer = null;
            long size = header.length;
            if (external != null && t.byteLength() >= ExternalData.MIN_BYTES) {
                ExternalData.Ref ref;
                try {
                    ref = external.add(t.data());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                trailer = message(out -> {
                    writeEntry(out, "location", ref.location());
                    writeEntry(out, "offset", Long.toString(ref.offset()));
                    writeEntry(out, "length", Long.toString(ref.length()));
                    out.writeEnum(14, 1); // data_location: EXTERNAL
                });
                size += trailer.length;
            } else {
                size += delimitedSize(9, t.byteLength());
            }
            headers.add(header);
            trailers.add(trailer);
            sizes[i] = size;
            graph += delimitedSize(5, size);
        }
        for (byte[] in : inputs) {
            graph += CodedOutputStream.computeByteArraySize(11, in);
        }
        for (byte[] o : outputs) {
            graph += CodedOutputStream.computeByteArraySize(12, o);
        }
        byte[] opset = message(out -> {
            out.writeString(1, "");
            out.writeInt64(2, OPSET);
        });
        return new Layout(headers, trailers, sizes, graph, opset);
    }

    private void writeModel(CodedOutputStream out, Layout layout) throws IOException {
        out.writeInt64(1, IR_VERSION);
        out.writeString(2, PRODUCER);
        writeDelimited(out, 7, layout.graphSize());
        for (byte[] n : nodes) {
            out.writeByteArray(1, n);
        }
        out.writeString(2, name);
        ByteBuffer chunk = null;
        for (int i = 0; i < initializers.size(); i++) {
            Initializer t = initializers.get(i);
            writeDelimited(out, 5, layout.initializerSizes()[i]);
            out.writeRawBytes(layout.headers().get(i));
            byte[] trailer = layout.trailers().get(i);
            if (trailer != null) {
                out.writeRawBytes(trailer);
                continue;
            }
            writeDelimited(out, 9, t.byteLength());
            if (chunk == null) {
                chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            }
            t.data().write(chunk, (buffer, length) -> out.writeRawBytes(buffer.array(), 0, length));
        }
        for (byte[] in : inputs) {
            out.writeByteArray(11, in);
        }
        for (byte[] o : outputs) {
            out.writeByteArray(12, o);
        }
        out.writeByteArray(8, layout.opset());
    }

    private static void writeEntry(CodedOutputStream out, String key, String value) throws IOException {
        out.writeByteArray(13, message(entry -> {
            entry.writeString(1, key);
            entry.writeString(2, value);
        }));
    }

    private static long delimitedSize(int field, long length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(length) + length;
    }

    private static void writeDelimited(CodedOutputStream out, int field, long length) throws IOException {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt64NoTag(length);
    }

    private static void checkSize(long length, long[] dims) {
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
