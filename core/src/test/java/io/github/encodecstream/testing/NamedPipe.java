package io.github.encodecstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A named pipe ({@code mkfifo}) for tests, with a reader that takes everything written to it. */
public final class NamedPipe {
    private NamedPipe() {}

    /** Makes the pipe {@code fifo}; an {@link IOException} when {@code mkfifo} fails or takes over 10 s. */
    public static Path create(Path fifo) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            mkfifo.destroyForcibly();
            throw new IOException("mkfifo " + fifo + " failed");
        }
        return fifo;
    }

    /**
     * Makes the pipe {@code fifo} and starts reading it in the background: the future completes
     * with all the bytes written once the writer closes it.
     */
    public static CompletableFuture<byte[]> createAndRead(Path fifo) throws IOException, InterruptedException {
        create(fifo);
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
