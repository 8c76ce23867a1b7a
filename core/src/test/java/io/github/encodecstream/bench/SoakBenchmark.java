package io.github.encodecstream.bench;

import io.github.encodecstream.codec.Models;
import io.github.encodecstream.sound.EcdcAudioInputStream;
import io.github.encodecstream.source.TestHttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Soak and concurrency of the Java Sound plugin: {@code STREAMS} threads (default 8) for
 * {@code MINUTES} (default 2) each open {@code .ecdc} reference vectors of both models through
 * {@link AudioSystem#getAudioInputStream} from a File, a URL (a local HTTP server with ranges) or
 * an InputStream, and read, skip, seek (forward only on an InputStream), close early and get
 * interrupted at random. Every byte read is checked against a quiet sequential decode of the whole
 * file made first: identical for 48 kHz, within 1 LSB (16-bit) for 24 kHz (a seek's pre-roll
 * differs slightly from one stream). A watchdog dumps the threads and fails when a stream makes no
 * progress for 60 s. Threads, open descriptors ({@code /proc/self/fd}) and RSS
 * ({@code /proc/self/status}) are reported at the start, after warm-up and at the end; it fails
 * unless threads and descriptors come back to their starting values once everything is closed
 * (idle pool threads end after 60 s) and RSS at the end is within 5% of RSS after warm-up.
 *
 * <pre>scripts/soak [REFERENCE_DIR] [MINUTES] [STREAMS] [SEED]</pre>
 * Exit status 0 when every check held, 1 otherwise.
 */
public final class SoakBenchmark {
    private static final String[] FILES = {"48k_full", "24k_full", "48k_bw24", "24k_bw3"};
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private SoakBenchmark() {}

    /** A vector: its bytes and its quiet sequential decode (16-bit little-endian). */
    private record Vector(String name, Path file, byte[] pcm, int frameSize, boolean exact) {}

    private static final AtomicLong READS = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong SKIPS = new AtomicLong();
    private static final AtomicLong SEEKS = new AtomicLong();
    private static final AtomicLong OPENS = new AtomicLong();
    private static final AtomicLong EARLY_CLOSES = new AtomicLong();
    private static final AtomicLong INTERRUPTS = new AtomicLong();
    private static final AtomicLong INTERRUPT_FAILURES = new AtomicLong();
    private static final AtomicLong MAX_LSB = new AtomicLong();
    private static final List<String> FAILURES = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        Path reference = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int streams = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : System.nanoTime();
        System.out.printf("soak: %s min, %d streams, seed %d, %d processors%n", minutes, streams, seed,
                Runtime.getRuntime().availableProcessors());
        // the streams' models (Models.shared(), through the settings): the reference models, offline, on 2 threads
        System.setProperty("encodec.models", reference.resolve("models").toString());
        System.setProperty("encodec.offline", "true");
        System.setProperty("encodec.device", "cpu");
        System.setProperty("encodec.threads", "2");

        TestHttpServer server = new TestHttpServer();
        List<Vector> vectors = new ArrayList<>();
        for (String name : FILES) {
            Path file = reference.resolve("vectors/" + name + ".ecdc");
            server.put(name + ".ecdc", Files.readAllBytes(file));
            byte[] pcm;
            int frameSize;
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
                frameSize = in.getFormat().getFrameSize();
                pcm = in.readAllBytes();
            }
            vectors.add(new Vector(name, file, pcm, frameSize, name.startsWith("48k")));
        }
        // one of each source once, so that what stays for the process (classes, pools, caches) is there at the start
        for (Source s : Source.values()) {
            try (AudioInputStream in = s.open(vectors.get(0), server)) {
                in.readNBytes(4096);
            }
        }
        ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-interrupter");
            t.setDaemon(true);
            return t;
        });
        interrupter.schedule(() -> { }, 0, TimeUnit.MILLISECONDS).get();
        Thread.sleep(2000);
        Snapshot start = Snapshot.take("start");

        AtomicBoolean stop = new AtomicBoolean();
        Worker[] workers = new Worker[streams];
        for (int i = 0; i < streams; i++) {
            workers[i] = new Worker(i, new Random(seed + i), vectors, server, interrupter, stop);
        }
        AtomicBoolean stalled = new AtomicBoolean();
        Thread watchdog = new Thread(() -> watch(workers, stop, stalled, server), "soak-watchdog");
        watchdog.setDaemon(true);
        long t0 = System.nanoTime();
        for (Worker w : workers) {
            w.thread.start();
        }
        watchdog.start();
        long total = (long) (minutes * 60_000);
        long warmUp = Math.min(30_000, total / 4);
        Thread.sleep(warmUp);
        Snapshot warm = Snapshot.take("after warm-up (" + warmUp / 1000 + " s)");
        long peakRss = warm.rssKb;
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(total) && !stalled.get()) {
            Thread.sleep(1000);
            peakRss = Math.max(peakRss, Snapshot.rss());
        }
        stop.set(true);
        for (Worker w : workers) {
            w.thread.join(120_000);
        }
        double ran = (System.nanoTime() - t0) / 1e9;
        Snapshot running = Snapshot.take("streams closed");
        // idle pool threads (decode-ahead, the HTTP server's) end after 60 s idle; keep-alive sockets sooner
        long waitStart = System.nanoTime();
        Snapshot end = running;
        while ((end.threads > start.threads || end.fds > start.fds) && System.nanoTime() - waitStart < 90e9) {
            Thread.sleep(1000);
            end = Snapshot.take("end");
        }
        System.gc();
        end = Snapshot.take(String.format("end (waited %.0f s after closing)", (System.nanoTime() - waitStart) / 1e9));
        server.close();
        interrupter.shutdownNow();

        System.out.printf("%n%.0f s, %d streams: %d opens, %d reads (%.1f MB checked), %d skips, %d seeks, "
                + "%d early closes, %d interrupts (%d ended the stream with an exception), max 24 kHz difference %d LSB%n",
                ran, streams, OPENS.get(), READS.get(), BYTES.get() / 1e6, SKIPS.get(), SEEKS.get(), EARLY_CLOSES.get(),
                INTERRUPTS.get(), INTERRUPT_FAILURES.get(), MAX_LSB.get());
        System.out.println("| when | threads | open fds | RSS MB |");
        System.out.println("| --- | --- | --- | --- |");
        for (Snapshot s : new Snapshot[] {start, warm, running, end}) {
            System.out.printf("| %s | %d | %d | %.1f |%n", s.label, s.threads, s.fds, s.rssKb / 1024.0);
        }
        System.out.printf("peak RSS %.1f MB; RSS at the end / after warm-up: %+.1f%%%n", peakRss / 1024.0,
                100.0 * (end.rssKb - warm.rssKb) / warm.rssKb);
        if (stalled.get()) {
            FAILURES.add("a stream made no progress for 60 s");
        }
        if (end.threads > start.threads) {
            FAILURES.add("threads: " + end.threads + " at the end, " + start.threads + " at the start");
        }
        if (end.fds > start.fds) {
            FAILURES.add("descriptors: " + end.fds + " at the end, " + start.fds + " at the start");
        }
        if (end.rssKb > warm.rssKb * 1.05) {
            FAILURES.add("RSS grew " + (end.rssKb - warm.rssKb) / 1024 + " MB after warm-up (over 5%)");
        }
        if (READS.get() == 0) {
            FAILURES.add("nothing read");
        }
        synchronized (FAILURES) {
            FAILURES.forEach(f -> System.out.println("FAILED: " + f));
        }
        System.out.println(FAILURES.isEmpty() ? "PASSED" : "FAILED");
        System.exit(FAILURES.isEmpty() ? 0 : 1);
    }

    private static void watch(Worker[] workers, AtomicBoolean stop, AtomicBoolean stalled, TestHttpServer server) {
        while (!stop.get()) {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                return;
            }
            server.clearRequests(); // its log would grow for ever
            long now = System.nanoTime();
            for (Worker w : workers) {
                if (!stop.get() && now - w.progress > STALL_NANOS) {
                    System.out.println("STALL: " + w.thread.getName() + " made no progress for 60 s; threads:");
                    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                        System.out.print(info);
                        for (StackTraceElement e : info.getStackTrace()) {
                            System.out.println("\tat " + e);
                        }
                    }
                    stalled.set(true);
                    return;
                }
            }
        }
    }

    /** Where a stream is opened from. */
    private enum Source {
        FILE, URL, STREAM;

        AudioInputStream open(Vector v, TestHttpServer server) throws Exception {
            switch (this) {
                case FILE:
                    return AudioSystem.getAudioInputStream(v.file().toFile());
                case URL:
                    return AudioSystem.getAudioInputStream(server.uri("/files/" + v.name() + ".ecdc").toURL());
                default:
                    InputStream in = new BufferedInputStream(Files.newInputStream(v.file()));
                    try {
                        return AudioSystem.getAudioInputStream(in);
                    } catch (Exception | Error e) {
                        in.close();
                        throw e;
                    }
            }
        }
    }

    private static final class Worker implements Runnable {
        final Thread thread;
        final Random random;
        final List<Vector> vectors;
        final TestHttpServer server;
        final ScheduledExecutorService interrupter;
        final AtomicBoolean stop;
        volatile long progress = System.nanoTime();

        Worker(int index, Random random, List<Vector> vectors, TestHttpServer server,
                ScheduledExecutorService interrupter, AtomicBoolean stop) {
            this.thread = new Thread(this, "soak-" + index);
            this.random = random;
            this.vectors = vectors;
            this.server = server;
            this.interrupter = interrupter;
            this.stop = stop;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                Vector v = vectors.get(random.nextInt(vectors.size()));
                Source source = Source.values()[random.nextInt(3)];
                AtomicBoolean delivered = new AtomicBoolean();
                ScheduledFuture<?> interrupt = null;
                if (random.nextInt(6) == 0) {
                    interrupt = interrupter.schedule(() -> {
                        delivered.set(true);
                        thread.interrupt();
                    }, random.nextInt(400), TimeUnit.MILLISECONDS);
                    INTERRUPTS.incrementAndGet();
                }
                String what = v.name() + " " + source;
                try {
                    session(v, source);
                } catch (Throwable e) {
                    if (interrupt != null) {
                        awaitQuietly(interrupt);
                    }
                    if (delivered.get()) {
                        INTERRUPT_FAILURES.incrementAndGet(); // an interrupt may end a stream with an exception
                    } else {
                        FAILURES.add(what + ": " + e);
                        e.printStackTrace(System.out);
                    }
                } finally {
                    if (interrupt != null && !interrupt.cancel(false)) {
                        awaitQuietly(interrupt);
                    }
                    Thread.interrupted();
                    progress = System.nanoTime();
                }
            }
        }

        private static void awaitQuietly(ScheduledFuture<?> f) {
            while (true) {
                try {
                    f.get();
                    return;
                } catch (InterruptedException e) {
                    // the interrupt itself: wait on
                } catch (Exception e) {
                    return;
                }
            }
        }

        /** Opens a stream and does random reads, skips and seeks on it, then closes it (maybe early). */
        private void session(Vector v, Source source) throws Exception {
            try (AudioInputStream in = source.open(v, server)) {
                OPENS.incrementAndGet();
                int fs = v.frameSize();
                long frames = v.pcm().length / fs;
                long pos = 0;
                int steps = 1 + random.nextInt(20);
                for (int step = 0; step < steps && !stop.get(); step++) {
                    int op = random.nextInt(10);
                    if (op < 6) {
                        int want = (1 + random.nextInt(48_000)) * fs + random.nextInt(fs); // not always whole frames
                        byte[] b = new byte[want];
                        int n = in.read(b, 0, want);
                        if (n < 0) {
                            check(pos == frames, v, "end of stream at frame " + pos + " of " + frames);
                            break;
                        }
                        check(n % fs == 0 && n > 0, v, "read " + n + " bytes");
                        compare(v, b, n, pos);
                        pos += n / fs;
                        READS.incrementAndGet();
                        BYTES.addAndGet(n);
                    } else if (op < 8) {
                        long n = (long) random.nextInt(96_000) * fs;
                        long skipped = in.skip(n);
                        check(skipped == Math.min(n, (frames - pos) * fs), v, "skip " + n + " returned " + skipped);
                        pos += skipped / fs;
                        SKIPS.incrementAndGet();
                    } else if (in instanceof EcdcAudioInputStream) {
                        EcdcAudioInputStream e = (EcdcAudioInputStream) in;
                        long target = source == Source.STREAM ? pos + random.nextInt((int) Math.max(1, frames - pos))
                                : (long) (random.nextDouble() * frames);
                        e.seek(Math.min(target, frames));
                        pos = Math.min(target, frames);
                        check(e.framePosition() == pos, v, "seek");
                        SEEKS.incrementAndGet();
                    }
                    progress = System.nanoTime();
                }
                if (pos < frames) {
                    EARLY_CLOSES.incrementAndGet();
                }
            }
        }

        private static void check(boolean ok, Vector v, String what) {
            if (!ok) {
                throw new AssertionError(v.name() + ": " + what);
            }
        }

        private static void compare(Vector v, byte[] b, int n, long pos) {
            int at = (int) (pos * v.frameSize());
            if (at + n > v.pcm().length) {
                throw new AssertionError(v.name() + ": read past the end at frame " + pos);
            }
            if (v.exact()) {
                if (!java.util.Arrays.equals(b, 0, n, v.pcm(), at, at + n)) {
                    throw new AssertionError(v.name() + ": bytes differ from the sequential decode at frame " + pos);
                }
                return;
            }
            long max = 0;
            for (int i = 0; i < n; i += 2) {
                int x = (short) ((b[i] & 0xFF) | (b[i + 1] << 8));
                int y = (short) ((v.pcm()[at + i] & 0xFF) | (v.pcm()[at + i + 1] << 8));
                max = Math.max(max, Math.abs(x - y));
            }
            MAX_LSB.accumulateAndGet(max, Math::max);
            if (max > 1) {
                throw new AssertionError(v.name() + ": " + max + " LSB from the sequential decode at frame " + pos);
            }
        }
    }

    /** Threads, descriptors and RSS at one moment. */
    private record Snapshot(String label, int threads, long fds, long rssKb) {
        static Snapshot take(String label) throws IOException {
            long fds;
            try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
                fds = s.count() - 1; // less the listing's own
            }
            return new Snapshot(label, ManagementFactory.getThreadMXBean().getThreadCount(), fds, rss());
        }

        static long rss() throws IOException {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return -1;
        }
    }
}
