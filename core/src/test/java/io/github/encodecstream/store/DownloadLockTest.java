package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download lock: bounded waits, across threads and processes, and never through a symbolic link. */
class DownloadLockTest {
    @TempDir
    Path tmp;

    @Test
    void aThreadWaitsForAnotherAtMostTheGivenTime() throws Exception {
        Path file = tmp.resolve(".x.th.lock");
        try (DownloadLock first = DownloadLock.acquire(file, Duration.ofSeconds(5), () -> false)) {
            assertTrue(first.heldAcrossProcesses());
            long start = System.nanoTime();
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
                try (DownloadLock l = DownloadLock.acquire(file, Duration.ofMillis(300), () -> false)) {
                    return l.heldAcrossProcesses();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertFalse(second.get(5, TimeUnit.SECONDS), "went ahead without the lock");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 290, "waited " + millis + " ms");
        }
        assertFalse(Files.exists(file), "the holder deletes the lock file");
    }

    /** Holds the lock file {@code args[0]} until its standard input ends (for the test below). */
    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void aProcessWaitsForAnotherAtMostTheGivenTimeOrUntilTheFileIsThere() throws Exception {
        Path file = tmp.resolve(".x.th.lock");
        Process holder = ChildJvm.builder(DownloadLockTest.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            long start = System.nanoTime();
            try (DownloadLock l = DownloadLock.acquire(file, Duration.ofMillis(500), () -> false)) {
                assertFalse(l.heldAcrossProcesses());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 490 && millis < 5000, "waited " + millis + " ms");
            assertTrue(Files.exists(file), "not ours to delete");

            Path awaited = tmp.resolve("x.th");
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(200);
                    Files.writeString(awaited, "done");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            start = System.nanoTime();
            try (DownloadLock l = DownloadLock.acquire(file, Duration.ofSeconds(30), () -> Files.exists(awaited))) {
                assertFalse(l.heldAcrossProcesses());
            }
            millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5000, "stopped waiting when the file was there, after " + millis + " ms");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSymbolicLinkAtTheLockIsNeverFollowedNorDeleted() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
        Path file = Files.createSymbolicLink(tmp.resolve(".x.th.lock"), victim);
        Path dangling = Files.createSymbolicLink(tmp.resolve(".y.th.lock"), tmp.resolve("created"));
        for (Path link : new Path[] {file, dangling}) {
            try (DownloadLock l = DownloadLock.acquire(link, Duration.ofSeconds(5), () -> false)) {
                assertFalse(l.heldAcrossProcesses());
            }
            assertTrue(Files.isSymbolicLink(link));
        }
        assertEquals("keep me", Files.readString(victim));
        assertFalse(Files.exists(tmp.resolve("created")));
    }
}
