package io.github.encodecstream.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.checkpoint.TorchCheckpoint;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.files.PrivateFolders;
import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.graph.BuiltGraph;
import io.github.encodecstream.graph.DecoderGraph;
import io.github.encodecstream.graph.EncoderGraph;
import io.github.encodecstream.graph.GraphMode;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.model.DecoderArchitecture;
import io.github.encodecstream.model.EncoderArchitecture;
import io.github.encodecstream.model.Layer;
import io.github.encodecstream.model.ReflectPadding;
import io.github.encodecstream.runtime.Device;
import io.github.encodecstream.runtime.InferenceSettings;
import io.github.encodecstream.runtime.SessionFactory;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.store.ModelStore;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prepared models ({@link ModelCache}): sessions loaded from the cache compute bit for bit what
 * sessions of freshly built graphs compute; damaged entries are built again; a hit does not read
 * the checkpoint; decoding prepares no encoder.
 */
class ModelCacheTest {
    private static final SessionFactory SESSIONS = new SessionFactory(new InferenceSettings(Device.CPU, 1));

    @TempDir
    Path cache;

    private static Path checkpoint(ModelFamily family) {
        return ReferenceData.models().resolve(family.fileName() + "-random.th");
    }

    private static ModelFamily family(Case c) {
        return ModelFamily.fromName(c.model()).orElseThrow();
    }

    /** The decoder as the code loaded it before prepared models: graphs built in memory, sessions from their bytes. */
    private static NetworkSessions freshDecoder(ModelFamily family) throws IOException {
        return fresh(family, DecoderArchitecture::read, DecoderGraph::build);
    }

    private static NetworkSessions freshEncoder(ModelFamily family) throws IOException {
        return fresh(family, EncoderArchitecture::read, EncoderGraph::build);
    }

    /** Reads a network's layers from a checkpoint. */
    private interface Architecture {
        List<Layer> read(Map<String, Tensor> checkpoint, boolean hasScale) throws IOException;
    }

    /** Builds a network's graph of one mode. */
    private interface GraphBuilder {
        BuiltGraph build(List<Layer> layers, GraphMode mode) throws IOException;
    }

    private static NetworkSessions fresh(ModelFamily family, Architecture architecture, GraphBuilder graphs)
            throws IOException {
        Map<String, Tensor> checkpoint = TorchCheckpoint.read(checkpoint(family));
        Codebooks codebooks = Codebooks.read(checkpoint);
        List<Layer> layers = architecture.read(checkpoint, family.hasScale());
        if (family.hasScale()) {
            return NetworkSessions.segment("fresh", codebooks, SESSIONS.create(graphs.build(layers, GraphMode.SEGMENT).model()));
        }
        BuiltGraph step = graphs.build(layers, GraphMode.STREAM_STEP);
        return NetworkSessions.causal("fresh", codebooks,
                SESSIONS.create(graphs.build(layers, GraphMode.STREAM_START).model()),
                SESSIONS.create(step.model()), step.states());
    }

    /**
     * The decoder's audio for the first frames of a reference vector's codes: one segment (48 kHz),
     * or a start chunk and a step chunk (24 kHz).
     */
    private static float[] decode(Case c, NetworkSessions network) throws IOException {
        ModelFamily family = family(c);
        DecoderModel model = new DecoderModel(family, network);
        int[] codes = c.stepMajorCodes();
        int dim = model.codebooks().dimension();
        if (family.hasScale()) {
            int steps = c.frames().get(0).steps();
            float[] embedding = new float[dim * steps];
            model.codebooks().decode(codes, c.codebooks(), steps, embedding, 0, steps);
            float[] padded = ReflectPadding.pad(embedding, dim, steps, model.firstPadLeft(), model.firstPadRight());
            return model.decodeSegment(padded, steps + model.firstPadLeft() + model.firstPadRight());
        }
        DecoderModel.CausalState state = new DecoderModel.CausalState(); // a start chunk, then a step chunk
        float[] first = causal(model, state, embed(model, codes, c.codebooks(), 0, 40), 40);
        float[] second = causal(model, state, embed(model, codes, c.codebooks(), 40, 35), 35);
        float[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    /** One chunk of the causal stream, reflect-padded on the left (the same for both networks compared). */
    private static float[] causal(DecoderModel model, DecoderModel.CausalState state, float[] embedding, int frames)
            throws IOException {
        int pad = model.firstPadLeft();
        return model.decodeCausal(ReflectPadding.pad(embedding, model.codebooks().dimension(), frames, pad, 0),
                frames + pad, state);
    }

    private static float[] embed(DecoderModel model, int[] codes, int nc, int from, int steps) {
        int dim = model.codebooks().dimension();
        float[] embedding = new float[dim * steps];
        model.codebooks().decode(Arrays.copyOfRange(codes, from * nc, (from + steps) * nc), nc, steps, embedding, 0, steps);
        return embedding;
    }

    /** The encoder's embedding of the first second of a reference vector's decoded audio (two calls for 24 kHz). */
    private static float[] embed(Case c, NetworkSessions network) throws IOException {
        ModelFamily family = family(c);
        EncoderModel model = new EncoderModel(family, network, SESSIONS);
        float[] audio = ReferenceData.readF32(c.file(".out.f32"));
        int channels = family.channels();
        int length = family.hasScale() ? family.sampleRate() : 20 * 320;
        try (EncoderModel.Stream stream = model.openStream(length)) {
            float[] out = new float[0];
            int[] calls = family.hasScale() ? new int[] {length} : new int[] {8 * 320, 12 * 320};
            int offset = 0;
            for (int n : calls) {
                for (int ch = 0; ch < channels; ch++) { // channel-major, from the interleaved file
                    for (int i = 0; i < n; i++) {
                        stream.input().put(audio[(offset + i) * channels + ch]);
                    }
                }
                float[] e = stream.embed(n);
                out = Arrays.copyOf(out, out.length + e.length);
                System.arraycopy(e, 0, out, out.length - e.length, e.length);
                offset += n;
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"48k_bw6", "24k_bw6"})
    void preparedDecoderIsBitIdenticalToAFreshOne(String name) throws Exception {
        Prepared prepared = prepare(name);
        Case c = prepared.c();
        float[] expected = decodeFresh(c);
        assertArrayEquals(expected, prepared.expected(), "sessions of the files just prepared");
        assertArrayEquals(expected, decodeAgain(c), "sessions of the prepared files, read again");
        ModelFamily family = family(c);
        try (NetworkSessions uncached = new ModelCache(cache.resolve("off"), false).open(family, ModelCache.Part.DECODER,
                checkpoint(family), SESSIONS)) {
            assertArrayEquals(expected, decode(c, uncached), "the cache turned off");
        }
        assertFalse(Files.exists(cache.resolve("off")), "nothing written with the cache off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"48k_bw6", "24k_bw6"})
    void preparedEncoderIsBitIdenticalToAFreshOne(String name) throws Exception {
        Case c = ReferenceCases.named(name);
        ModelFamily family = family(c);
        float[] expected = embedFresh(c);
        new ModelCache(cache, true).open(family, ModelCache.Part.ENCODER, checkpoint(family), SESSIONS).close();
        try (NetworkSessions hit = new ModelCache(cache, true).open(family, ModelCache.Part.ENCODER, checkpoint(family),
                SESSIONS)) {
            assertArrayEquals(expected, embed(c, hit));
        }
    }

    /** What a decoder loaded as before prepared models decodes of {@code c}. */
    private static float[] decodeFresh(Case c) throws Exception {
        try (NetworkSessions fresh = freshDecoder(family(c))) {
            return decode(c, fresh);
        }
    }

    /** What an encoder loaded as before prepared models embeds of {@code c}. */
    private static float[] embedFresh(Case c) throws Exception {
        try (NetworkSessions fresh = freshEncoder(family(c))) {
            return embed(c, fresh);
        }
    }

    /** A reference case's decoder prepared in the cache: what it decodes, its cache and its folder. */
    private record Prepared(Case c, float[] expected, ModelCache modelCache, Path dir) {}

    private Prepared prepare(String name) throws Exception {
        Case c = ReferenceCases.named(name);
        ModelFamily family = family(c);
        ModelCache modelCache = new ModelCache(cache, true);
        try (NetworkSessions first = modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), SESSIONS)) {
            return new Prepared(c, decode(c, first), modelCache,
                    modelCache.entry(family, ModelCache.Part.DECODER, checkpoint(family)));
        }
    }

    /** What {@code c}'s decoder decodes when a new cache object opens it. */
    private float[] decodeAgain(Case c) throws Exception {
        ModelFamily family = family(c);
        try (NetworkSessions again = new ModelCache(cache, true).open(family, ModelCache.Part.DECODER, checkpoint(family),
                SESSIONS)) {
            return decode(c, again);
        }
    }

    /** Damage done to a prepared directory. */
    enum Damage { TRUNCATED_WEIGHTS, CHANGED_GRAPH_BYTE, MISSING_MANIFEST, EMPTY_CODEBOOKS, GARBAGE_MANIFEST }

    @ParameterizedTest
    @ValueSource(strings = {"TRUNCATED_WEIGHTS", "CHANGED_GRAPH_BYTE", "MISSING_MANIFEST", "EMPTY_CODEBOOKS",
        "GARBAGE_MANIFEST"})
    void damagedEntryIsBuiltAgain(String damage) throws Exception {
        Prepared prepared = prepare("48k_bw6");
        Path dir = prepared.dir();
        assertTrue(Files.isDirectory(dir), dir.toString());
        switch (Damage.valueOf(damage)) {
            case TRUNCATED_WEIGHTS -> truncate(dir.resolve("weights.bin"), Files.size(dir.resolve("weights.bin")) / 2);
            case CHANGED_GRAPH_BYTE -> {
                Path graph = dir.resolve("segment.onnx");
                byte[] bytes = Files.readAllBytes(graph);
                bytes[bytes.length / 2] ^= 0x40;
                Files.write(graph, bytes);
            }
            case MISSING_MANIFEST -> Files.delete(dir.resolve("manifest.properties"));
            case EMPTY_CODEBOOKS -> truncate(dir.resolve("codebooks.f32"), 0);
            case GARBAGE_MANIFEST -> Files.writeString(dir.resolve("manifest.properties"), "format=2\ngraphs=segment\n\u0000");
        }
        assertArrayEquals(prepared.expected(), decodeAgain(prepared.c()));
        PreparedManifest.read(dir).verify(dir); // sound again
        try (Stream<Path> entries = Files.list(prepared.modelCache().root())) {
            assertEquals(List.of(dir), entries.toList(), "no temporary directories left");
        }
    }

    /**
     * Changes one byte of {@code weights.bin} in place (same file, same size): the high byte of a
     * non-zero float past the middle, so that a network loaded from it computes something else.
     */
    private static void tamperWeights(Path dir) throws IOException {
        try (FileChannel f = FileChannel.open(dir.resolve("weights.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            for (long pos = f.size() / 2 / 4 * 4 + 3; pos < f.size(); pos += 4) {
                f.read(one.clear(), pos);
                if (one.get(0) != 0) {
                    f.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x40)}), pos);
                    return;
                }
            }
        }
        throw new AssertionError("no weights to change");
    }

    @Test
    void aTamperedFileIsNotLoadedThoughItsStampIsIntact() throws Exception {
        Prepared prepared = prepare("48k_bw6");
        Path dir = prepared.dir();
        String manifest = Files.readString(dir.resolve(ModelCache.MANIFEST));
        String genuine = DigestStamp.sha256(dir.resolve("weights.bin"));
        tamperWeights(dir);
        assertEquals(manifest, Files.readString(dir.resolve(ModelCache.MANIFEST)), "the stamp is intact");
        assertArrayEquals(prepared.expected(), decodeAgain(prepared.c()));
        assertEquals(genuine, DigestStamp.sha256(dir.resolve("weights.bin")), "built again");
    }

    @Test
    void aForgedStampInAFolderOthersMayWriteIsNotTrusted() throws Exception {
        Prepared prepared = prepare("48k_bw6");
        Path dir = prepared.dir();
        tamperWeights(dir);
        Path weights = dir.resolve("weights.bin");
        Path manifest = dir.resolve(ModelCache.MANIFEST);
        String forged = Files.readAllLines(manifest).stream()
                .map(l -> l.startsWith("file.weights.bin=") ? forgedLine(weights) : l)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Files.writeString(manifest, forged);
        Files.setPosixFilePermissions(prepared.modelCache().root(), PosixFilePermissions.fromString("rwxrwxr-x"));
        assertArrayEquals(prepared.expected(), decodeAgain(prepared.c()), "built in a private temporary folder instead");
        assertEquals(forged, Files.readString(manifest), "the shared folder is left alone");

        // The control: in a private folder the same forged stamp is the user's own word, and the change shows.
        Files.setPosixFilePermissions(prepared.modelCache().root(), PosixFilePermissions.fromString("rwx------"));
        assertFalse(Arrays.equals(prepared.expected(), decodeAgain(prepared.c())), "the changed byte changes the samples");
    }

    private static String forgedLine(Path weights) {
        try {
            return "file.weights.bin=" + Files.size(weights) + " " + DigestStamp.take(weights);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTouchedFileIsHashedOnceAndStampedAgain() throws Exception {
        Case c = ReferenceCases.named("48k_bw6");
        ModelFamily family = family(c);
        ModelCache modelCache = new ModelCache(cache, true);
        modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), SESSIONS).close();
        Path dir = modelCache.entry(family, ModelCache.Part.DECODER, checkpoint(family));
        Path weights = dir.resolve("weights.bin");
        Files.setLastModifiedTime(weights, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        String touched = FileIdentity.of(weights);
        try (NetworkSessions again = new ModelCache(cache, true).open(family, ModelCache.Part.DECODER, checkpoint(family),
                SESSIONS)) {
            assertNotNull(again);
        }
        assertEquals(touched, FileIdentity.of(weights), "the same file, not built again");
        java.util.Properties manifest = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(dir.resolve(ModelCache.MANIFEST))) {
            manifest.load(in);
        }
        assertTrue(manifest.getProperty("file.weights.bin").contains(" " + touched + " "), "stamped again: " + manifest);
    }

    @Test
    void aSessionSourceThatFailsFailsTheOpenAndLeavesTheEntry() throws Exception {
        ModelFamily family = ModelFamily.ENCODEC_48KHZ;
        ModelCache modelCache = new ModelCache(cache, true);
        modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), SESSIONS).close();
        Path weights = modelCache.entry(family, ModelCache.Part.DECODER, checkpoint(family)).resolve("weights.bin");
        Object before = Files.readAttributes(weights, BasicFileAttributes.class).fileKey();
        IOException noRuntime = new IOException("ONNX Runtime did not start");
        IOException thrown = assertThrows(IOException.class, () -> modelCache.open(family, ModelCache.Part.DECODER,
                checkpoint(family), () -> {
                    throw noRuntime;
                }));
        assertSame(noRuntime, thrown);
        assertEquals(before, Files.readAttributes(weights, BasicFileAttributes.class).fileKey(), "not built again");
        int[] asked = {0};
        try (NetworkSessions hit = modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), () -> {
            asked[0]++;
            return SESSIONS;
        })) {
            assertNotNull(hit.segment());
            assertEquals(128, hit.codebooks().dimension()); // the codebooks were read too
        }
        assertEquals(1, asked[0]);
        assertEquals(before, Files.readAttributes(weights, BasicFileAttributes.class).fileKey());
    }

    @Test
    void aCheckpointIsHashedOnceWhileItStaysTheSameFile() throws Exception {
        Path file = cache.resolve("models").resolve("encodec_lm_test.th");
        Files.createDirectories(file.getParent());
        Files.write(file, "not a real checkpoint".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String sha256 = DigestStamp.sha256(file);
        ModelCache modelCache = new ModelCache(cache, true);
        assertEquals(sha256, modelCache.checkpointSha256(file));
        Path record = modelCache.digestRecord(file);
        String written = Files.readString(record);
        assertTrue(written.startsWith(sha256 + "\n") && written.contains("file " + file.toRealPath() + "\n"), written);
        assertTrue(PrivateFolders.isOwnerOnlyFile(record), "owner-only");
        // the record is believed without reading the file: a different recorded value comes back
        String other = "0".repeat(64);
        Files.writeString(record, written.replace(sha256, other));
        assertEquals(other, modelCache.checkpointSha256(file));
        // a record for another identity than the one it is filed under is not believed
        Files.writeString(record, written.replace(sha256, other).replace("size ", "size 1"));
        assertEquals(sha256, modelCache.checkpointSha256(file));
        // a changed file is another identity: hashed again, recorded under its new key
        Files.write(file, "another checkpoint".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertNotEquals(record, modelCache.digestRecord(file));
        assertEquals(DigestStamp.sha256(file), modelCache.checkpointSha256(file));
        // a record's temporary left by a process that died writing it goes after a day, when a record is written
        String recordName = modelCache.digestRecord(file).getFileName().toString();
        Path orphan = modelCache.root().resolve("." + recordName + ".123.tmp");
        Path writing = modelCache.root().resolve("." + recordName + ".456.tmp");
        Files.writeString(orphan, "partial");
        Files.writeString(writing, "partial");
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10))); // a new identity: written
        assertEquals(DigestStamp.sha256(file), modelCache.checkpointSha256(file));
        assertFalse(Files.exists(orphan), "a record's temporary two days old");
        assertTrue(Files.exists(writing), "a record's temporary being written");
        Files.delete(writing);
        // a malformed record is not believed
        Files.writeString(modelCache.digestRecord(file), "garbage\n");
        assertEquals(DigestStamp.sha256(file), modelCache.checkpointSha256(file));
        Path current = modelCache.digestRecord(file);
        String forged = Files.readString(current).replace(DigestStamp.sha256(file), other);
        // a checkpoint others may change is hashed every time, its record neither believed nor written
        Files.writeString(current, forged);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            assertEquals(DigestStamp.sha256(file), modelCache.checkpointSha256(file));
            assertEquals(forged, Files.readString(current), "left alone");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        // in a folder others may write, nothing is believed nor written
        Files.setPosixFilePermissions(modelCache.root(), PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            assertEquals(DigestStamp.sha256(file), modelCache.checkpointSha256(file));
            assertEquals(forged, Files.readString(current), "left alone");
        } finally {
            Files.setPosixFilePermissions(modelCache.root(), PosixFilePermissions.fromString("rwx------"));
        }
        assertEquals(other, modelCache.checkpointSha256(file), "the forged record, now in a private folder");
        // with the cache off, hashed every time
        assertEquals(DigestStamp.sha256(file), new ModelCache(cache, false).checkpointSha256(file));
    }

    @Test
    void entriesArePrivate() throws Exception {
        ModelFamily family = ModelFamily.ENCODEC_48KHZ;
        ModelCache modelCache = new ModelCache(cache, true);
        modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), SESSIONS).close();
        Path dir = modelCache.entry(family, ModelCache.Part.DECODER, checkpoint(family));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(modelCache.root())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertTrue(PrivateFolders.isOwnerOnlyFile(f), f.toString());
            }
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.truncate(size);
        }
    }

    @Test
    void hitDoesNotReadTheCheckpoint() throws Exception {
        Case c = ReferenceCases.named("24k_bw6");
        ModelFamily family = family(c);
        Path copy = cache.resolve("models").resolve(checkpoint(family).getFileName());
        Files.createDirectories(copy.getParent());
        Files.copy(checkpoint(family), copy);
        ModelCache modelCache = new ModelCache(cache, true);
        float[] expected;
        try (NetworkSessions built = modelCache.open(family, ModelCache.Part.DECODER, copy, SESSIONS)) {
            expected = decode(c, built);
        }
        // The same file (size, time, inode), its bytes now garbage: only a read would notice.
        FileTime modified = Files.getLastModifiedTime(copy);
        try (FileChannel f = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
            for (long pos = 0; pos < f.size(); pos += zeros.capacity()) {
                f.write(zeros.clear().limit((int) Math.min(zeros.capacity(), f.size() - pos)), pos);
            }
        }
        Files.setLastModifiedTime(copy, modified);
        try (NetworkSessions hit = modelCache.open(family, ModelCache.Part.DECODER, copy, SESSIONS)) {
            assertArrayEquals(expected, decode(c, hit));
        }
        // A changed file is another key.
        Files.setLastModifiedTime(copy, FileTime.from(modified.toInstant().plusSeconds(10)));
        assertNotEquals(modelCache.entry(family, ModelCache.Part.DECODER, copy),
                new ModelCache(cache, true).entry(family, ModelCache.Part.DECODER, checkpoint(family)));
    }

    @Test
    void decodingPreparesTheDecoderOnly() throws Exception {
        Case c = ReferenceCases.named("48k_bw6");
        ModelStore store = ModelStore.builder().modelsDirectory(ReferenceData.models()).cacheDirectory(cache).offline(true)
                .build();
        Models models = Models.builder().store(store).device("cpu").threads(2).build();
        try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(c.file(".ecdc")),
                DecoderOptions.defaults().withModels(models))) {
            assertNotNull(decoder.read());
        }
        try (Stream<Path> entries = Files.list(cache.resolve("prepared"))) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).startsWith("encodec_48khz-random.decoder."), names.toString());
        }
    }

    @Test
    void staleEntriesOfOtherKeysGo() throws Exception {
        ModelFamily family = ModelFamily.ENCODEC_48KHZ;
        ModelCache modelCache = new ModelCache(cache, true);
        Path old = Files.createDirectories(modelCache.root().resolve("encodec_48khz-random.decoder.0000000000000000"));
        Path recent = Files.createDirectories(modelCache.root().resolve("encodec_48khz-random.decoder.1111111111111111"));
        Path other = Files.createDirectories(modelCache.root().resolve("encodec_48khz-random.encoder.0000000000000000"));
        Path leftOver = Files.createDirectories(modelCache.root().resolve(".tmp-123"));
        Files.writeString(leftOver.resolve("weights.bin"), "partial");
        FileTime longAgo = FileTime.from(Instant.now().minus(ModelCache.STALE).minus(Duration.ofDays(1)));
        Files.setLastModifiedTime(old, longAgo);
        Files.setLastModifiedTime(other, longAgo);
        Files.setLastModifiedTime(leftOver, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        modelCache.open(family, ModelCache.Part.DECODER, checkpoint(family), SESSIONS).close();
        assertFalse(Files.exists(old), "an old entry of another key");
        assertFalse(Files.exists(leftOver), "a temporary directory two days old");
        assertTrue(Files.exists(recent), "a recently used entry of another key");
        assertTrue(Files.exists(other), "another part");
    }
}
