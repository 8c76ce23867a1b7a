package io.github.encodecstream.sound;

import static io.github.encodecstream.sound.SoundTests.readAll;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.encodecstream.source.TestHttpServer;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The background decoding: ahead of the reader, shared models, stopping, no leaks. */
@ExtendWith(UsesReferenceModels.class)
class DecodeAheadTest {
    private static final List<String> FOUR = List.of("48k_bw6", "24k_bw6", "48k_bw3", "24k_bw3");

    private static AudioInputStream open(String name) throws Exception {
        return AudioSystem.getAudioInputStream(ReferenceCases.named(name).file(".ecdc").toFile());
    }

    @Test
    void fourStreamsAtOnceEqualOneAtATime() throws Exception {
        List<byte[]> single = new ArrayList<>();
        for (String name : FOUR) {
            try (AudioInputStream in = open(name)) {
                single.add(readAll(in));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(FOUR.size());
        try {
            List<Future<byte[]>> parallel = new ArrayList<>();
            for (String name : FOUR) {
                parallel.add(pool.submit(() -> {
                    try (AudioInputStream in = open(name)) {
                        return readAll(in);
                    }
                }));
            }
            for (int i = 0; i < FOUR.size(); i++) {
                assertArrayEquals(single.get(i), parallel.get(i).get(300, TimeUnit.SECONDS), FOUR.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        report("4 streams at once (" + FOUR + ") gave the same bytes as one at a time");
    }

    /** After the first read the next chunks are decoded without further reads; a read of what is there does not block. */
    @Test
    void decodesAheadOfTheReader() throws Exception {
        try (AudioInputStream in = open("48k_full")) {
            byte[] buffer = new byte[4 * 4800];
            assertEquals(buffer.length, in.read(buffer));
            long chunkBytes = 4L * 47_520;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (((EcdcAudioInputStream) in).bufferedBytes() < 2 * chunkBytes && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int available = ((EcdcAudioInputStream) in).bufferedBytes();
            assertTrue(available >= 2 * chunkBytes, "decoded ahead: " + available + " bytes");
            byte[] rest = new byte[available];
            long t0 = System.nanoTime();
            assertEquals(available, in.read(rest));
            report("decode-ahead: " + available + " bytes waiting after the first read; reading them took "
                    + (System.nanoTime() - t0) / 1000 + " us");
        }
        System.setProperty(EcdcAudioFileReader.DECODE_AHEAD_PROPERTY, "false");
        try (AudioInputStream in = open("48k_full")) {
            byte[] buffer = new byte[4 * 4800];
            assertEquals(buffer.length, in.read(buffer));
            Thread.sleep(500);
            assertEquals(4 * (48_000 - 4800 - 480), ((EcdcAudioInputStream) in).bufferedBytes(), "the rest of the first segment only");
        } finally {
            System.clearProperty(EcdcAudioFileReader.DECODE_AHEAD_PROPERTY);
        }
    }

    /**
     * A consumer reading 0.1 s at a time (a player), the decoder on one thread (more threads
     * decode segments ahead by themselves): with decoding ahead, the bytes of every read, across
     * the segments, are decoded before the read asks for them, without a read in between; without,
     * the reads that reach into the next segment find it not decoded and decode it themselves.
     * (The time each read takes: {@code bench.DecodeAheadBenchmark}, docs/PERFORMANCE.md.)
     */
    @Test
    void realTimeConsumerDoesNotWait() throws Exception {
        assertEquals(0, readsThatDecode(true), "reads that found their bytes not yet decoded, decoding ahead");
        int direct = readsThatDecode(false);
        assertTrue(direct >= 2, "reads that decoded a segment themselves, without decoding ahead: " + direct);
        report("reader of 48k_full, 3 s in reads of 0.1 s: every read found its bytes decoded ahead; without, "
                + direct + " reads decoded a segment");
    }

    /**
     * Of 30 reads of 0.1 s of 48k_full after the first, those that found fewer bytes decoded than
     * they ask for; decoding ahead, each read first gives the decoder up to 60 s (a hang guard).
     */
    private static int readsThatDecode(boolean decodeAhead) throws Exception {
        try (EcdcAudioInputStream in = (EcdcAudioInputStream) new EcdcAudioFileReader(
                ReferenceCases.options().withThreads(1), decodeAhead)
                .getAudioInputStream(ReferenceCases.named("48k_full").file(".ecdc").toFile())) {
            byte[] tenth = new byte[4 * 4800];
            in.read(tenth); // the first segment: both wait for it
            int notDecoded = 0;
            for (int i = 0; i < 30; i++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (decodeAhead && in.bufferedBytes() < tenth.length && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                if (in.bufferedBytes() < tenth.length) {
                    notDecoded++;
                }
                int got = 0;
                while (got < tenth.length) {
                    int n = in.read(tenth, got, tenth.length - got);
                    assertTrue(n > 0, "the file ended at read " + i);
                    got += n;
                }
            }
            return notDecoded;
        }
    }

    /** Reads all of {@code in} on {@code pool}: what it read, or the {@link IOException} that ended the reading. */
    private static Future<Object> readAllOn(ExecutorService pool, AudioInputStream in) {
        return pool.submit(() -> {
            try {
                return readAll(in);
            } catch (IOException e) {
                return e;
            }
        });
    }

    @Test
    void closeStopsABlockedRead() throws Exception {
        AudioInputStream in = open("48k_full");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> reading = readAllOn(pool, in);
            Thread.sleep(50);
            in.close();
            Object result = reading.get(60, TimeUnit.SECONDS);
            assertTrue(result instanceof IOException, "reading after close fails: " + result);
            assertThrows(IOException.class, () -> in.read(new byte[4]));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A stream whose decoding task waits for a stalled server: close() neither waits for the server nor for the task. */
    @Test
    void closeDuringAStalledDownloadReturnsAtOnce() throws Exception {
        byte[] file = Files.readAllBytes(ReferenceCases.named("24k_full").file(".ecdc"));
        try (TestHttpServer server = new TestHttpServer().put("a.ecdc", file)) {
            server.stallAfter(file.length / 2, -1); // every response: half its body, then silence (30 s timeout)
            AudioInputStream in = AudioSystem.getAudioInputStream(server.uri("/files/a.ecdc").toURL());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Object> reading = readAllOn(pool, in);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.faults() == 0 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(server.faults() > 0, "the server stalled");
                Thread.sleep(300); // the task waits for the server
                long start = System.nanoTime();
                in.close();
                long closeMillis = (System.nanoTime() - start) / 1_000_000;
                Object result = reading.get(5, TimeUnit.SECONDS);
                long endMillis = (System.nanoTime() - start) / 1_000_000;
                report("close() during a stalled download: " + closeMillis + " ms; the reader's exception after "
                        + endMillis + " ms");
                assertTrue(closeMillis < 5000, "close() took " + closeMillis + " ms");
                assertTrue(result instanceof IOException, "reading after close fails: " + result);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Streams never closed are closed once unreachable: their decoding stops, their files close. */
    @Test
    void unclosedStreamsAreCleaned() throws Exception {
        int before = settledOpenCount(); // streams other tests left unreachable are cleaned first
        List<WeakReference<AudioInputStream>> dropped = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AudioInputStream in = open(i % 2 == 0 ? "48k_full" : "24k_full");
            in.read(new byte[4 * 100]); // starts the decoding thread, which fills its buffer and waits
            dropped.add(new WeakReference<>(in));
        }
        // (no count check here: streams of other tests may still be closing, on the cleaner's thread)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (DecodeAhead.openCount() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        assertTrue(dropped.stream().allMatch(r -> r.get() == null));
        assertTrue(DecodeAhead.openCount() <= before, "still open: " + DecodeAhead.openCount() + " of " + before);
    }

    /** The open count once the streams already unreachable have been cleaned (at most 5 s). */
    private static int settledOpenCount() throws InterruptedException {
        int count = DecodeAhead.openCount();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(200);
            int now = DecodeAhead.openCount();
            if (now == count) {
                break;
            }
            count = now;
        }
        return count;
    }

    @Test
    void truncatedFileDeliversTheAudioBeforeTheCut(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(ReferenceCases.named("48k_full").file(".ecdc"));
        Path cut = dir.resolve("cut.ecdc");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(cut.toFile())) {
            byte[] buffer = new byte[40_000];
            long total = 0;
            IOException error = null;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    total += n;
                }
            } catch (IOException e) {
                error = e;
            }
            assertTrue(error != null, "the cut is reported");
            assertTrue(total > 4L * 300_000, total + " bytes before the cut");
            IOException again = assertThrows(IOException.class, () -> in.read(buffer));
            assertEquals(error.getMessage(), again.getMessage());
            report("cut 48k_full at byte " + bytes.length / 2 + ": " + total / 4 + " frames, then " + error);
        }
    }

    /** 200 open/read/close cycles in a child JVM with a fixed, pre-touched heap: the resident memory stays flat. */
    @Test
    void manyCyclesDoNotGrowResidentMemory() throws Exception {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs /proc");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
                "-Dencodec.models=" + ReferenceData.models().toAbsolutePath(), "-Dencodec.offline=true",
                "-Dencodec.device=cpu", "-Dencodec.threads=1", "-cp", System.getProperty("java.class.path"),
                RssProbe.class.getName(), "300"));
        for (String name : List.of("24k_short", "48k_short", "24k_bw6")) {
            command.add(ReferenceCases.named(name).file(".ecdc").toAbsolutePath().toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // glibc gives each new thread a malloc arena of its own (up to 8 per core), whose sudden
        // growth is noise here: two arenas, as many server JVMs run, leave the stream's own memory
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<long[]> rss = new ArrayList<>();
        for (String line : out.lines().filter(l -> l.startsWith("rss ")).toList()) {
            String[] f = line.split(" ");
            rss.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[4])});
        }
        assertEquals(6, rss.size(), out);
        // from cycle 100: the first cycles also warm up the JIT and the allocators; one decoding
        // thread per stream, since the peaks of runs that happen to go at once step ONNX Runtime's
        // arena up (by up to ~30 MB), which is not what this test is about
        long first = rss.get(1)[1];
        long last = rss.get(5)[1];
        report("RSS over open/read(16 KiB)/close cycles (child JVM, 1 GiB heap pre-touched), KiB: "
                + rss.stream().map(r -> r[0] + ":" + r[1]).toList() + "; growth from cycle 100 to 300: "
                + (last - first) + " KiB");
        assertTrue(rss.stream().allMatch(r -> r[2] == 0), "streams left open: " + out);
        assertTrue(last - first < 32 * 1024, "resident memory grew by " + (last - first) + " KiB: " + out);
    }
}
