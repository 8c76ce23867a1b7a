package io.github.encodecstream.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small checkpoints built to exhaust a reader: each would make a naive reader allocate gigabytes,
 * spin for minutes, or call a constructor from the pickle library's global registry. Every one
 * must end quickly in a {@link CheckpointFormatException} in a small heap
 * ({@link HostileCheckpointChildJvmTest}); they are also the checkpoint fuzz target's seeds and
 * kept regression inputs ({@code TorchCheckpointFuzzTestInputs/checkpoint/}, written by
 * {@link #main}).
 */
final class HostileCheckpoints {
    /** The module of the constructor that {@link HostileCheckpointProbe} registers, as Spark does with its own. */
    static final String PROBE_MODULE = "encodec_hostile_probe";
    /** The class name of that constructor. */
    static final String PROBE_CLASS = "Marker";

    private static final int ZIP_DEFLATED = 8;

    private HostileCheckpoints() {}

    /** Every hostile input by name, the names being those of the kept inputs. */
    static Map<String, byte[]> all() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("stride-zero-2gib-tensors", strideZero());
        out.put("legacy-stride-zero-2gib-tensor", legacyStrideZero());
        out.put("zip-entries-share-one-deflated-stream", sharedDeflatedStream());
        out.put("deflated-entry-inflates-200mb", deflatedBomb());
        out.put("transposed-views-copy-128mb", copyAmplification());
        out.put("pickle-long-decimal-2m-digits", deflatedPickle(textOpcode('L', '9', 2_000_000)));
        out.put("pickle-inst-registered-constructor", zipOf(inst(PROBE_MODULE, PROBE_CLASS)));
        out.put("pickle-obj-opcode", zipOf(pickle("(c" + "collections\nOrderedDict\no.")));
        out.put("pickle-newobj-opcode", zipOf(pickle("ccollections\nOrderedDict\n)\u0081.")));
        out.put("pickle-global-line-without-end", deflatedPickle(textOpcode('c', 'a', 4_000_000)));
        out.put("pickle-empty-dicts-4m", deflatedPickle(repeat(new byte[0], '}', 4_000_000)));
        out.put("pickle-nested-tuples-4m", deflatedPickle(repeat(new byte[] {'N'}, 0x85, 4_000_000)));
        out.put("pickle-memoize-4m", deflatedPickle(repeat(new byte[] {'N'}, 0x94, 4_000_000)));
        out.put("pickle-long4-huge", zipOf(pickle(new byte[] {(byte) 0x8b, (byte) 0xf0, (byte) 0xff, (byte) 0xff, 0x7f})));
        return out;
    }

    /**
     * Inputs of a megabyte or more, with stored (not deflated) pickles, that reach the
     * unpickler's own limits rather than the allocation budget: too large to keep in the
     * repository, so made when a test runs.
     */
    static Map<String, byte[]> large() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] dictAndMemo = new byte[1_200_000];
        for (int i = 0; i < dictAndMemo.length; i += 2) {
            dictAndMemo[i] = '}';
            dictAndMemo[i + 1] = (byte) 0x94; // MEMOIZE
        }
        out.put("stored-pickle-dicts-and-memo-600k", zipOf(pickle(dictAndMemo)));
        out.put("stored-pickle-global-line-1m", zipOf(textOpcode('c', 'a', 1_000_000)));
        PickleBuilder strings = new PickleBuilder().op(']', '(');
        String text = "\u0101".repeat(30_000); // 60 000 bytes of UTF-8, as many in a String
        for (int i = 0; i < 200; i++) {
            strings.str(text);
        }
        out.put("stored-pickle-strings-12mb", zipOf(strings.op('e').stop()));
        PickleBuilder lists = new PickleBuilder();
        for (int i = 0; i < 120_000; i++) {
            lists.op(']');
        }
        for (int i = 1; i < 120_000; i++) {
            lists.op('a');
        }
        out.put("stored-pickle-lists-nested-120k", zipOf(lists.stop()));
        return out;
    }

    /** Four tensors of 2^29 - 3 floats, each over one float of storage by stride 0 (2 GiB each). */
    private static byte[] strideZero() throws IOException {
        PickleBuilder p = PickleBuilder.stateDict();
        for (int i = 0; i < 4; i++) {
            p.tensor("t" + i, "FloatStorage", "0", 1, 0, new long[] {536_870_909}, new long[] {0});
        }
        return PickleBuilder.zip(p.endDict(), Map.of("0", PickleBuilder.floats(1)), true);
    }

    private static byte[] legacyStrideZero() {
        PickleBuilder b = PickleBuilder.stateDict().str("t");
        b.rebuild(() -> b.storage("FloatStorage", "root", 1, true, null), 0, new long[] {536_870_909}, new long[] {0});
        return PickleBuilder.legacy(b.endDict(), List.of("root"), List.of(PickleBuilder.floats(1)), List.of(1L));
    }

    /** Twenty directory entries, all pointing at one deflated stream of 200 MB of zeros (4 GB in all). */
    private static byte[] sharedDeflatedStream() {
        int entries = 20;
        long size = 200_000_000L;
        PickleBuilder p = PickleBuilder.stateDict();
        for (int i = 0; i < entries; i++) {
            p.tensor("t" + i, "ByteStorage", Integer.toString(i), size, 0, new long[] {size}, new long[] {1});
        }
        RawZip zip = new RawZip().stored("archive/data.pkl", p.endDict());
        byte[] zeros = RawZip.deflatedZeros(size);
        long offset = zip.local("archive/data/0", ZIP_DEFLATED, zeros, 0, size);
        for (int i = 0; i < entries; i++) {
            zip.central("archive/data/" + i, ZIP_DEFLATED, 0, zeros.length, size, offset);
        }
        return zip.bytes();
    }

    /** One honest deflated entry (no sharing), 200 MB of zeros in a file of 200 KB. */
    private static byte[] deflatedBomb() {
        long size = 200_000_000L;
        byte[] pickle = PickleBuilder.stateDict()
                .tensor("t", "ByteStorage", "0", size, 0, new long[] {size}, new long[] {1}).endDict();
        RawZip zip = new RawZip().stored("archive/data.pkl", pickle);
        byte[] zeros = RawZip.deflatedZeros(size);
        zip.central("archive/data/0", ZIP_DEFLATED, 0, zeros.length, size,
                zip.local("archive/data/0", ZIP_DEFLATED, zeros, 0, size));
        return zip.bytes();
    }

    /** 2048 transposed views of one 64 KiB storage: each needs its own 64 KiB copy (128 MiB in all). */
    private static byte[] copyAmplification() throws IOException {
        PickleBuilder p = PickleBuilder.stateDict();
        for (int i = 0; i < 2048; i++) {
            p.tensor("t" + i, "FloatStorage", "0", 128 * 128, 0, new long[] {128, 128}, new long[] {1, 128});
        }
        return PickleBuilder.zip(p.endDict(), Map.of("0", new byte[4 * 128 * 128]), false);
    }

    /** {@code PROTO 2}, {@code opcode}, {@code count} copies of {@code fill}, newline, STOP. */
    private static byte[] textOpcode(char opcode, char fill, int count) {
        byte[] text = new byte[count];
        Arrays.fill(text, (byte) fill);
        return new PickleBuilder().op(opcode).raw(text).op('\n').stop();
    }

    /** {@code PROTO 2}, {@code prefix}, {@code count} times {@code opcode}, STOP. */
    private static byte[] repeat(byte[] prefix, int opcode, int count) {
        byte[] body = new byte[count];
        Arrays.fill(body, (byte) opcode);
        return new PickleBuilder().raw(prefix).raw(body).stop();
    }

    /** {@code MARK INST module name STOP}: the object the registry's constructor makes. */
    private static byte[] inst(String module, String name) {
        return pickle("(i" + module + "\n" + name + "\n.");
    }

    /** {@code PROTO 2} and then these opcodes, one char each. */
    private static byte[] pickle(String opcodes) {
        byte[] ops = new byte[opcodes.length()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = (byte) opcodes.charAt(i);
        }
        return pickle(ops);
    }

    private static byte[] pickle(byte[] opcodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        out.writeBytes(opcodes);
        return out.toByteArray();
    }

    private static byte[] zipOf(byte[] pickle) throws IOException {
        return PickleBuilder.zip(pickle, Map.of(), true);
    }

    private static byte[] deflatedPickle(byte[] pickle) throws IOException {
        return PickleBuilder.zip(pickle, Map.of(), false);
    }

    /**
     * Writes every input into a folder: {@code HostileCheckpoints DIR [large]}; the kept inputs are
     * made so, and {@code large} adds the {@link #large()} ones.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Map<String, byte[]> inputs = new LinkedHashMap<>(all());
        if (args.length > 1 && args[1].equals("large")) {
            inputs.putAll(large());
        }
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println(e.getValue().length + "\t" + e.getKey());
        }
    }
}
