package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.encodecstream.store.ModelStore.ModelFile;
import io.github.encodecstream.store.ModelStore.ModelNotFoundException;
import io.github.encodecstream.http.HttpSettings;
import io.github.encodecstream.runtime.Settings;
import io.github.encodecstream.source.HttpSourceException;
import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.testing.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private Path cache;

    private String retryDelay;

    @BeforeEach
    void startServer() throws IOException {
        // retries 10 ms apart (doubling to 160 ms) rather than 0.25 s to 4 s
        retryDelay = System.setProperty("encodec.http.retryDelay", "0.01");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stopServer() {
        if (retryDelay == null) {
            System.clearProperty("encodec.http.retryDelay");
        } else {
            System.setProperty("encodec.http.retryDelay", retryDelay);
        }
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/");
    }

    private void serve(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    private void serveBytes(String path, byte[] data) {
        serve(path, exchange -> {
            exchange.sendResponseHeaders(200, data.length);
            exchange.getResponseBody().write(data);
        });
    }

    /** Serves {@code data} in pieces of 100 000 bytes, {@code pauseMillis} apart. */
    private void serveSlowly(String path, byte[] data, long pauseMillis) {
        serve(path, exchange -> {
            exchange.sendResponseHeaders(200, data.length);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < data.length; i += 100_000) {
                out.write(data, i, Math.min(100_000, data.length - i));
                out.flush();
                sleep(pauseMillis);
            }
        });
    }

    private ModelStore.Builder store(ModelFile... table) {
        ModelStore.Builder b = ModelStore.builder().cacheDirectory(cache).baseUri(base()).allowHttp(true);
        return table.length == 0 ? b : b.models(List.of(table));
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    /** A table entry whose file name carries the real hash prefix of {@code data}. */
    private static ModelFile entryFor(String name, byte[] data) throws Exception {
        String prefix = sha256(data).substring(0, 8);
        return new ModelFile(name, name + "-" + prefix + ".th", prefix);
    }

    /** The model {@code name} with {@code data} as its checkpoint, served at {@code /files/FILE}. */
    private ModelFile served(String name, byte[] data) throws Exception {
        ModelFile entry = entryFor(name, data);
        serveBytes("/files/" + entry.fileName(), data);
        return entry;
    }

    /** The model {@code name} with {@code data} as its checkpoint, {@code /files/FILE} answered by {@code handler}. */
    private ModelFile served(String name, byte[] data, HttpHandler handler) throws Exception {
        ModelFile entry = entryFor(name, data);
        serve("/files/" + entry.fileName(), handler);
        return entry;
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            // the hash stamps of verified files (CachedCheckpoint) are not listed
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".sha256")).sorted().toList();
        }
    }

    private static Path touch(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), name);
    }

    /** The folder {@code models} holding files of these names (each holding its name). */
    private Path modelsFolder(String... names) throws IOException {
        Path dir = tmp.resolve("models");
        for (String name : names) {
            touch(dir, name);
        }
        return dir;
    }

    /** {@code bytes} in the cache as {@code entry}'s checkpoint. */
    private Path inCache(ModelFile entry, byte[] bytes) throws IOException {
        Files.createDirectories(cache);
        return Files.write(cache.resolve(entry.fileName()), bytes);
    }

    /** An offline store over the models folder {@code dir}. */
    private ModelStore offlineOver(Path dir) {
        return store().modelsDirectory(dir).offline(true).build();
    }

    // ---- the table and the environment

    @Test
    void officialTable() {
        List<ModelFile> models = ModelStore.officialModels();
        assertEquals(List.of("encodec_24khz", "encodec_48khz", "encodec_lm_24khz", "encodec_lm_48khz"),
                models.stream().map(ModelFile::name).toList());
        assertEquals(URI.create("https://dl.fbaipublicfiles.com/encodec/v0/encodec_24khz-d7cc33bc.th"),
                models.get(0).officialUrl());
        assertEquals(URI.create("https://dl.fbaipublicfiles.com/encodec/v0/encodec_lm_48khz-7add9fc3.th"),
                models.get(3).officialUrl());
        for (ModelFile m : models) {
            assertEquals(m.name() + "-" + m.sha256Prefix() + ".th", m.fileName());
        }
        ModelStore store = ModelStore.builder().cacheDirectory(cache).build();
        assertEquals(URI.create("https://dl.fbaipublicfiles.com/encodec/v0/encodec_48khz-7e698e3e.th"),
                store.url("encodec_48khz"));
    }

    @Test
    void unknownModelIsRejected() {
        ModelStore store = store().offline(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.locate("encodec_12khz"));
        assertTrue(e.getMessage().contains("encodec_24khz"), e.getMessage());
    }

    @Test
    void settingsFromPropertiesThenEnvironment() {
        Map<String, String> props = Map.of("user.home", "/home/u", "os.name", "Linux",
                "encodec.models", "/p/models", "encodec.modelsUrl", "http://mirror.example/enc");
        Map<String, String> env = Map.of("ENCODEC_MODELS", "/e/models", "ENCODEC_CACHE", "/e/cache", "ENCODEC_OFFLINE", "1");
        ModelStore s = ModelStore.fromEnvironment(Settings.of(props, env)).build();
        assertEquals(Path.of("/p/models"), s.modelsDirectory().orElseThrow());
        assertEquals(Path.of("/e/cache"), s.cacheDirectory());
        assertEquals(URI.create("http://mirror.example/enc/"), s.baseUri());
        assertTrue(s.isOffline());

        ModelStore d = ModelStore.fromEnvironment(Settings.of(Map.of("user.home", "/home/u", "os.name", "Linux"),
                Map.of())).build();
        assertTrue(d.modelsDirectory().isEmpty());
        assertEquals(Path.of("/home/u/.cache/encodec-stream"), d.cacheDirectory());
        assertEquals(URI.create(ModelStore.DEFAULT_BASE_URL), d.baseUri());
        assertFalse(d.isOffline());

        assertEquals(Path.of("/x/encodec-stream"), Settings.of(
                Map.of("user.home", "/home/u", "os.name", "Linux"), Map.of("XDG_CACHE_HOME", "/x")).cacheDirectory());
        assertEquals(Path.of("C:\\Users\\u\\AppData\\Local", "encodec-stream"), Settings.of(
                Map.of("user.home", "C:\\Users\\u", "os.name", "Windows 11"),
                Map.of("LOCALAPPDATA", "C:\\Users\\u\\AppData\\Local")).cacheDirectory());
        assertTrue(ModelStore.fromEnvironment(Settings.of(Map.of("user.home", "/h", "encodec.offline", "true"),
                Map.of())).build().isOffline());
        assertEquals(s, ModelStore.fromEnvironment(props, env), "configured alike: equal");
        assertEquals(s.hashCode(), ModelStore.fromEnvironment(props, env).hashCode());
        assertNotEquals(s, ModelStore.fromEnvironment(props, Map.of("ENCODEC_MODELS_ALLOW_HTTP", "1", "ENCODEC_MODELS",
                "/e/models", "ENCODEC_CACHE", "/e/cache", "ENCODEC_OFFLINE", "1")), "allowing http: another store");
    }

    // ---- the models directory

    @Test
    void directoryPrefersOfficialNameOverOthers() throws Exception {
        Path dir = modelsFolder("encodec_24khz-random.th", "encodec_24khz-aaaa.th", "encodec_24khz-d7cc33bc.th");
        assertEquals(dir.resolve("encodec_24khz-d7cc33bc.th"), offlineOver(dir).locate("encodec_24khz"));
    }

    @Test
    void directoryFallsBackToFirstSortedMatchAndIsNotConfusedByLmModels() throws Exception {
        Path dir = modelsFolder("encodec_lm_24khz-1608e3c0.th", "encodec_24khz-zzz.th", "encodec_24khz-random.th",
                "encodec_24khzX.th", // not <name> + separator
                "encodec_24khz-notes.txt"); // not .th
        ModelStore store = offlineOver(dir);
        assertEquals(dir.resolve("encodec_24khz-random.th"), store.locate("encodec_24khz"));
        assertEquals(dir.resolve("encodec_lm_24khz-1608e3c0.th"), store.locate("encodec_lm_24khz"));
        // neither file name is taken for the other model
        assertThrows(ModelNotFoundException.class, () -> store.locate("encodec_lm_48khz"));
        assertEquals(0, requests.get());
    }

    @Test
    void lmFileIsNotTakenForCodecModel() throws Exception {
        ModelStore store = offlineOver(modelsFolder("encodec_lm_24khz-random.th"));
        assertThrows(ModelNotFoundException.class, () -> store.locate("encodec_24khz"));
        assertTrue(ModelsDirectory.matchesModel("encodec_24khz.th", "encodec_24khz"));
        assertFalse(ModelsDirectory.matchesModel("encodec_lm_24khz-x.th", "encodec_24khz"));
    }

    @Test
    void referenceModelsDirectory() throws Exception {
        Path dir = ReferenceData.models();
        ModelStore store = offlineOver(dir);
        assertEquals(dir.resolve("encodec_24khz-random.th"), store.locate("encodec_24khz"));
        assertEquals(dir.resolve("encodec_48khz-random.th"), store.locate("encodec_48khz"));
        assertEquals(dir.resolve("encodec_lm_48khz-random.th"), store.locate("encodec_lm_48khz"));
        assertThrows(ModelNotFoundException.class, () -> store.locate("encodec_lm_24khz"));
    }

    // ---- the cache

    @Test
    void cacheHitNeedsNoNetwork() throws Exception {
        byte[] data = randomBytes(1000);
        ModelFile entry = entryFor("encodec_48khz", data);
        Path cached = inCache(entry, data);
        touch(cache, "encodec_48khz-random.th"); // only the official name counts in the cache
        serveBytes("/files/", new byte[] {1});
        ModelStore store = store(entry).build();
        assertEquals(cached, store.locate("encodec_48khz"));
        assertEquals(cached, store.findLocal("encodec_48khz").orElseThrow());
        assertEquals(0, requests.get());
        assertTrue(Files.isRegularFile(CacheLayout.stampOf(cached)), "hashed once, then trusted by its stamp");
    }

    @Test
    void theStampGivesTheHashWhileTheFileStaysTheSame() throws Exception {
        byte[] data = randomBytes(1000);
        ModelFile entry = entryFor("encodec_lm_48khz", data);
        Path cached = inCache(entry, data);
        String real = CachedCheckpoint.sha256(cached, Long.MAX_VALUE);
        assertEquals(real, CachedCheckpoint.knownSha256(cached), "no stamp: computed");
        assertEquals(cached, store(entry).build().locate("encodec_lm_48khz")); // verified: stamp written
        Path stamp = CacheLayout.stampOf(cached);
        String identity = Files.readString(stamp).trim().split(" ")[0];
        String other = "ab".repeat(32);
        Files.writeString(stamp, identity + " " + other + "\n");
        assertEquals(other, CachedCheckpoint.knownSha256(cached), "taken from the stamp, the file not read again");
        assertEquals(other.substring(0, 8), CacheLayout.knownSha256(cached).substring(0, 8));
        Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(real, CachedCheckpoint.knownSha256(cached), "another file now: hashed again");
    }

    @Test
    void damagedCachedFileIsDownloadedAgain() throws Exception {
        byte[] data = randomBytes(100_000);
        ModelStore store = store(served("encodec_24khz", data)).build();
        Path cached = store.locate("encodec_24khz");
        assertEquals(cached, store.findLocal("encodec_24khz").orElseThrow()); // verified: stamp written
        // damaged in place: same length, other bytes (a newer modification time)
        byte[] damaged = data.clone();
        damaged[50_000] ^= 1;
        Files.write(cached, damaged);
        Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(cached, store.locate("encodec_24khz"));
        assertArrayEquals(data, Files.readAllBytes(cached));
        // truncated
        Files.write(cached, Arrays.copyOf(data, 1000));
        assertEquals(cached, store.locate("encodec_24khz"));
        assertArrayEquals(data, Files.readAllBytes(cached));
        assertEquals(3, requests.get(), "downloaded, then again after each damage");
    }

    @Test
    void damagedCachedFileOfflineIsDeletedAndNamed() throws Exception {
        byte[] data = randomBytes(1000);
        ModelFile entry = entryFor("encodec_24khz", data);
        Path cached = inCache(entry, new byte[1000]);
        ModelStore store = store(entry).offline(true).build();
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> store.locate("encodec_24khz"));
        assertTrue(e.getMessage().contains(entry.fileName()), e.getMessage());
        assertFalse(Files.exists(cached), "the damaged file is gone");
    }

    @Test
    void modelsDirectoryComesBeforeCache() throws Exception {
        touch(cache, "encodec_24khz-d7cc33bc.th");
        Path mine = touch(tmp.resolve("models"), "encodec_24khz-mine.th");
        assertEquals(mine, store().modelsDirectory(tmp.resolve("models")).build().locate("encodec_24khz"));
    }

    @Test
    void offlineMissingModelExplainsWhatToDo() throws Exception {
        ModelStore store = offlineOver(tmp.resolve("models"));
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> store.locate("encodec_24khz"));
        assertFalse(e instanceof ModelDownloadException);
        String m = e.getMessage();
        assertTrue(m.contains("encodec_24khz-d7cc33bc.th"), m);
        assertTrue(m.contains(base() + "encodec_24khz-d7cc33bc.th"), m);
        assertTrue(m.contains("-Dencodec.models") && m.contains("ENCODEC_MODELS"), m);
        assertTrue(m.contains("-Dencodec.offline") && m.contains("ENCODEC_OFFLINE"), m);
        assertEquals("encodec_24khz-d7cc33bc.th", e.fileName());
        assertEquals(0, requests.get());
        assertEquals(List.of(), list(cache));
    }

    // ---- downloads

    @Test
    void downloadsVerifiesAndCaches() throws Exception {
        byte[] data = randomBytes(300_000);
        ModelFile entry = served("encodec_24khz", data);
        ModelStore store = store(entry).build();

        Path path = store.locate("encodec_24khz");
        assertEquals(cache.resolve(entry.fileName()), path);
        assertArrayEquals(data, Files.readAllBytes(path));
        assertEquals(List.of(entry.fileName()), list(cache));
        // second call: cache hit
        assertEquals(path, store.locate("encodec_24khz"));
        assertEquals(1, requests.get());
    }

    @Test
    void downloadsRealReferenceCheckpoint() throws Exception {
        Path source = ReferenceData.models().resolve("encodec_24khz-random.th");
        String hash = sha256(source);
        ModelFile entry = new ModelFile("encodec_24khz", "encodec_24khz-" + hash.substring(0, 8) + ".th", hash.substring(0, 8));
        serve("/files/" + entry.fileName(), exchange -> {
            exchange.sendResponseHeaders(200, Files.size(source));
            Files.copy(source, exchange.getResponseBody());
        });
        Path path = store(entry).build().locate("encodec_24khz");
        assertEquals(hash, sha256(path));
        assertEquals(List.of(entry.fileName()), list(cache));
    }

    @Test
    void corruptDownloadIsRejectedAndLeavesNothing() throws Exception {
        byte[] data = randomBytes(100_000);
        String actual = sha256(data);
        String wrong = actual.startsWith("0") ? "1234abcd" : "0badc0de";
        ModelFile entry = new ModelFile("encodec_24khz", "encodec_24khz-" + wrong + ".th", wrong);
        serveBytes("/files/" + entry.fileName(), data);

        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store(entry).build().locate("encodec_24khz"));
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(actual), e.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void httpErrorIsReportedWithStatus() throws Exception {
        serve("/files/", exchange -> exchange.sendResponseHeaders(404, -1));
        ModelStore store = store().build();
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store.locate("encodec_lm_24khz"));
        assertEquals(404, e.statusCode());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(base() + "encodec_lm_24khz-1608e3c0.th"), e.getMessage());
        assertTrue(e.getMessage().contains("ENCODEC_MODELS"), e.getMessage());
        assertInstanceOf(ModelNotFoundException.class, e);
        assertEquals(List.of(), list(cache));
    }

    @Test
    void connectionRefusedIsADownloadError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ModelStore store = ModelStore.builder().cacheDirectory(cache)
                .baseUri(URI.create("http://127.0.0.1:" + port + "/x/")).allowHttp(true).build();
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store.locate("encodec_24khz"));
        assertEquals(-1, e.statusCode());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void redirectIsFollowed() throws Exception {
        byte[] data = randomBytes(50_000);
        ModelFile entry = entryFor("encodec_48khz", data);
        serve("/files/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/files/".length());
            exchange.getResponseHeaders().add("Location", "/moved/" + name);
            exchange.sendResponseHeaders(302, -1);
        });
        serveBytes("/moved/" + entry.fileName(), data);
        Path path = store(entry).build().locate("encodec_48khz");
        assertArrayEquals(data, Files.readAllBytes(path));
        assertEquals(2, requests.get());
    }

    @Test
    void concurrentLocatesDownloadOnce() throws Exception {
        byte[] data = randomBytes(1_000_000);
        ModelFile entry = entryFor("encodec_24khz", data);
        serveSlowly("/files/" + entry.fileName(), data, 20);
        ModelStore a = store(entry).build();
        ModelStore b = store(entry).build(); // a second instance shares the lock
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Path>> results = Stream.of(a, b, a, b)
                    .map(s -> pool.submit(() -> {
                        go.await();
                        return s.locate("encodec_24khz");
                    }))
                    .toList();
            go.countDown();
            for (Future<Path> f : results) {
                assertEquals(cache.resolve(entry.fileName()), f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, requests.get());
        assertArrayEquals(data, Files.readAllBytes(cache.resolve(entry.fileName())));
        assertEquals(List.of(entry.fileName()), list(cache));
    }

    /**
     * A child process's download (args: cache, base URL, model name, file name, hash prefix): says
     * "ready", waits for a line on standard input, locates the model, prints its path.
     */
    public static void main(String[] args) throws Exception {
        ModelStore store = ModelStore.builder().cacheDirectory(Path.of(args[0])).baseUri(URI.create(args[1]))
                .allowHttp(true).models(List.of(new ModelFile(args[2], args[3], args[4]))).build();
        System.out.println("ready");
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        System.out.println(store.locate(args[2]));
    }

    @Test
    void twoProcessesDownloadOnceAndBothGetTheFile() throws Exception {
        byte[] data = randomBytes(1_000_000);
        ModelFile entry = entryFor("encodec_24khz", data);
        serveSlowly("/files/" + entry.fileName(), data, 200); // 2 s: the other process asks meanwhile
        List<Process> children = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(io.github.encodecstream.testing.ChildJvm.builder(ModelStoreTest.class.getName(),
                        cache.toString(), base().toString(), entry.name(), entry.fileName(), entry.sha256Prefix())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            List<java.io.BufferedReader> outs = new java.util.ArrayList<>();
            for (Process child : children) {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                        child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                outs.add(out);
            }
            for (Process child : children) { // both ask at once
                child.getOutputStream().write('\n');
                child.getOutputStream().flush();
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(cache.resolve(entry.fileName()).toString(), outs.get(i).readLine());
                assertTrue(children.get(i).waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, children.get(i).exitValue());
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        assertEquals(1, requests.get(), "one process downloaded, the other waited for it");
        assertArrayEquals(data, Files.readAllBytes(cache.resolve(entry.fileName())));
        assertEquals(List.of(entry.fileName()), list(cache), "no lock or partial file left");
    }

    @Test
    void slowButSteadyDownloadIsNotTimedOut() throws Exception {
        byte[] data = randomBytes(10_000);
        ModelFile entry = served("encodec_24khz", data, exchange -> {
            exchange.sendResponseHeaders(200, data.length);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 10; i++) { // 1.5 s in all, never idle for 500 ms
                out.write(data, i * 1000, 1000);
                out.flush();
                sleep(150);
            }
        });
        Path path = store(entry).readTimeout(Duration.ofMillis(500)).build().locate("encodec_24khz");
        assertArrayEquals(data, Files.readAllBytes(path));
    }

    @Test
    void stalledDownloadTimesOutAndLeavesNothing() throws Exception {
        byte[] data = randomBytes(10_000);
        ModelFile entry = served("encodec_24khz", data, exchange -> {
            exchange.sendResponseHeaders(200, data.length);
            exchange.getResponseBody().write(data, 0, 100);
            exchange.getResponseBody().flush();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ModelStore store = store(entry).readTimeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        ModelDownloadException e = assertThrows(ModelDownloadException.class, () -> store.locate("encodec_24khz"));
        assertTrue(assertInstanceOf(HttpSourceException.class, e.getCause()).isTimeout(), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
        assertEquals(List.of(), list(cache));
    }

    // ---- resumed downloads (a flaky server)

    private static final byte[] MODEL = randomBytes(1_000_000);

    private static byte[] other() {
        byte[] b = new byte[MODEL.length];
        new Random(43).nextBytes(b);
        return b;
    }

    /** A flaky server with MODEL at /files/NAME, and a store for it. */
    private static final class Flaky implements AutoCloseable {
        final TestHttpServer server = new TestHttpServer();
        final ModelFile entry;

        Flaky() throws Exception {
            entry = entryFor("encodec_24khz", MODEL);
            server.put(entry.fileName(), MODEL);
        }

        List<String> ranges() {
            return server.requests().stream().map(r -> r.range() + (r.ifRange() == null ? "" : " if-range")).toList();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private ModelStore flakyStore(Flaky f, String base) {
        return ModelStore.builder().cacheDirectory(cache).baseUri(f.server.uri(base)).allowHttp(true)
                .models(List.of(f.entry)).build();
    }

    /** The download at {@code path} is whole, made of requests for these ranges, and alone in the cache. */
    private void assertResumed(Flaky f, Path path, String... ranges) throws IOException {
        assertArrayEquals(MODEL, Files.readAllBytes(path));
        assertEquals(List.of(ranges), f.ranges());
        assertEquals(List.of(f.entry.fileName()), list(cache));
    }

    @Test
    void droppedDownloadIsResumedWithRangeAndIfRange() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.dropAfter(300_000, -1);
            assertResumed(f, flakyStore(f, "/files/").locate("encodec_24khz"),
                    "null", "bytes=300000- if-range", "bytes=600000- if-range", "bytes=900000- if-range");
        }
    }

    @Test
    void stalledDownloadIsResumed() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.stallAfter(250_000, 2);
            ModelStore store = ModelStore.builder().cacheDirectory(cache).baseUri(f.server.uri("/files/")).allowHttp(true)
                    .models(List.of(f.entry)).readTimeout(Duration.ofMillis(300)).build();
            assertResumed(f, store.locate("encodec_24khz"), "null", "bytes=250000- if-range", "bytes=500000- if-range");
        }
    }

    @Test
    void redirectThenDropsAreResumed() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.dropAfter(400_000, -1);
            Path path = flakyStore(f, "/redirect/1/").locate("encodec_24khz");
            assertArrayEquals(MODEL, Files.readAllBytes(path));
            assertEquals(9, f.server.requests().size(), "3 responses, each after 2 redirects");
        }
    }

    @Test
    void withoutRangesADropStartsAgainFromZero() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.ranges(false).dropAfter(300_000, 2);
            Path path = flakyStore(f, "/files/").locate("encodec_24khz");
            assertArrayEquals(MODEL, Files.readAllBytes(path));
            assertEquals(3, f.server.requests().size());
            assertEquals(List.of(f.entry.fileName()), list(cache));
        }
    }

    @Test
    void mixedVersionsFailTheHashAndAreDownloadedOnceMoreFromTheStart() throws Exception {
        try (Flaky f = new Flaky()) {
            // no validators: the client cannot tell. Response 1 is MODEL up to 100 000, then the file is OTHER;
            // response 2 (OTHER from 100 000) drops at 200 000 and the file is MODEL again; response 3 ends it
            byte[] other = other();
            String name = f.entry.fileName();
            AtomicInteger faults = new AtomicInteger();
            f.server.validators(false, false).dropAfter(100_000, 2)
                    .onFault(() -> f.server.put(name, faults.incrementAndGet() == 1 ? other : MODEL));
            Path path = flakyStore(f, "/files/").locate("encodec_24khz");
            assertArrayEquals(MODEL, Files.readAllBytes(path));
            assertEquals(List.of("null", "bytes=100000-", "bytes=200000-", "null"), f.ranges());
            assertEquals(List.of(name), list(cache));
        }
    }

    @Test
    void aChangedModelFailsItsChecksumAndLeavesNothing() throws Exception {
        try (Flaky f = new Flaky()) {
            byte[] other = other();
            f.server.dropAfter(100_000, 1).onFault(() -> f.server.put(f.entry.fileName(), other));
            ModelDownloadException e = assertThrows(ModelDownloadException.class,
                    () -> flakyStore(f, "/files/").locate("encodec_24khz"));
            assertTrue(e.getMessage().startsWith("Checksum mismatch for " + f.entry.fileName()), e.getMessage());
            // the If-Range request got the whole new file (200), which then failed the hash
            assertEquals(List.of("null", "bytes=100000- if-range"), f.ranges());
            assertEquals(List.of(), list(cache));
        }
    }

    @Test
    void spentRetriesNameTheOffsetAndTheLastErrorAndLeaveNothing() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.ranges(false).dropAfter(100_000, -1);
            ModelDownloadException e = assertThrows(ModelDownloadException.class,
                    () -> flakyStore(f, "/files/").locate("encodec_24khz"));
            assertTrue(e.getMessage().contains(": the connection closed early after 100000 of 1000000 bytes; gave up after"
                    + " 5 retries. "), e.getMessage());
            assertTrue(e.getMessage().contains(f.server.uri("/files/" + f.entry.fileName()).toString()), e.getMessage());
            assertEquals(6, f.server.requests().size());
            assertEquals(List.of(), list(cache));
        }
    }

    @Test
    void http503IsRetried() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.failNext(503, 2);
            Path path = flakyStore(f, "/files/").locate("encodec_24khz");
            assertArrayEquals(MODEL, Files.readAllBytes(path));
            assertEquals(3, f.server.requests().size());
            Files.delete(path);
        }
        try (Flaky f = new Flaky()) {
            f.server.failNext(503, -1);
            ModelDownloadException e = assertThrows(ModelDownloadException.class,
                    () -> flakyStore(f, "/files/").locate("encodec_24khz"));
            assertEquals(503, e.statusCode());
            assertTrue(e.getMessage().contains(": HTTP 503 Service Unavailable; gave up after 5 retries. "), e.getMessage());
            assertEquals(List.of(), list(cache));
        }
    }

    @Test
    void twoDownloadersOfOneModelAtOnceEndWithOneGoodFile() throws Exception {
        // two processes: no lock shared; each writes its own .part and moves it into place atomically
        try (Flaky f = new Flaky()) {
            f.server.dropAfter(200_000, 4);
            Files.createDirectories(cache);
            Path target = cache.resolve(f.entry.fileName());
            URI url = f.server.uri("/files/" + f.entry.fileName());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> runs = Stream.of(1, 2).map(i -> pool.submit(() -> {
                    go.await();
                    new ModelDownloader(HttpSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                            .withRetries(5, Duration.ofMillis(5), Duration.ofMillis(20)), System.getLogger("test"), "")
                            .download(f.entry, url, target, java.util.Optional.empty(), false);
                    return (Object) null;
                })).toList();
                go.countDown();
                for (Future<Object> r : runs) {
                    r.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertArrayEquals(MODEL, Files.readAllBytes(target));
            assertEquals(List.of(f.entry.fileName()), list(cache));
        }
    }

    @Test
    void anInterruptedDownloadLeavesNothing() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.stallAfter(100_000, -1);
            ModelStore store = flakyStore(f, "/files/");
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    store.locate("encodec_24khz");
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            for (int i = 0; i < 200 && f.server.faults() == 0; i++) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            t.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive());
            assertInstanceOf(java.io.InterruptedIOException.class, failure.get());
            assertEquals(List.of(), list(cache));
        }
    }

    @Test
    void retryAfterAsAnHttpDateIsWaitedForAndTheDownloadSucceeds() throws Exception {
        try (Flaky f = new Flaky()) {
            // two seconds ahead: more than the first delay (10 ms), capped at the longest (160 ms)
            f.server.failNext(503, 1).retryAfter(() -> java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2)));
            long start = System.nanoTime();
            Path path = flakyStore(f, "/files/").locate("encodec_24khz");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertArrayEquals(MODEL, Files.readAllBytes(path));
            assertEquals(2, f.server.requests().size());
            assertTrue(millis >= 150, "waited the longest delay, not the first: " + millis + " ms");
        }
    }

    @Test
    void closingTheResourceEndsADownloadBlockedOnAStalledServerWithinASecond() throws Exception {
        try (Flaky f = new Flaky()) {
            f.server.stallAfter(100_000, -1);
            io.github.encodecstream.http.Resource resource = new io.github.encodecstream.http.Resource(
                    f.server.uri("/files/" + f.entry.fileName()), HttpSettings.defaults(),
                    io.github.encodecstream.http.Resource.Use.DOWNLOAD);
            try (InputStream in = new io.github.encodecstream.http.ResumingInputStream(resource, resource.open(0), null)) {
                assertEquals(100_000, in.readNBytes(100_000).length);
                Thread closer = new Thread(() -> {
                    sleep(300);
                    resource.close();
                });
                closer.start();
                long start = System.nanoTime();
                assertThrows(IOException.class, in::read);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1300, "ended " + millis + " ms after the read began (closed after 300 ms)");
            }
        }
    }

    @Test
    void stalePartsOfKilledProcessesAreDeleted() throws Exception {
        try (Flaky f = new Flaky()) {
            Path old = touch(cache, "." + f.entry.fileName() + ".123.part");
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
            Path fresh = touch(cache, "." + f.entry.fileName() + ".456.part"); // perhaps another process's, downloading now
            flakyStore(f, "/files/").locate("encodec_24khz");
            assertEquals(List.of(fresh.getFileName().toString(), f.entry.fileName()), list(cache)); // sorted: '.' first
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
