package io.github.encodecstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.Samples;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.StreamByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.ReferenceData;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Shared helpers of the decoder tests: opening reference files, draining, comparing. */
final class Decoding {
    static final double TOLERANCE = 1e-4;
    private static final Map<String, float[]> REFERENCE = new ConcurrentHashMap<>();

    private Decoding() {}

    /** The reference decoder's output of a case (read once per run). */
    static float[] reference(Case c) {
        return REFERENCE.computeIfAbsent(c.name(), n -> {
            try {
                return ReferenceData.readF32(c.file(".out.f32"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static EcdcDecoder open(Case c) throws IOException {
        return open(c, ReferenceCases.options());
    }

    static EcdcDecoder open(Case c, DecoderOptions options) throws IOException {
        return EcdcDecoder.open(new FileByteSource(c.file(".ecdc")), options);
    }

    /**
     * On a forward-only source (a stream), {@code c}'s decoder (of {@code channels} channels) seeks
     * forward to {@code target}, its samples from there the reference's, and refuses to go back to
     * {@code back}.
     */
    static void assertSeeksForwardOnly(Case c, int channels, long target, long back) throws IOException {
        CountingSource source = new CountingSource(new StreamByteSource(Files.newInputStream(c.file(".ecdc"))));
        try (EcdcDecoder decoder = EcdcDecoder.open(source, ReferenceCases.options())) {
            Samples.drain(decoder, 1);
            decoder.seek(target);
            float[] out = Samples.drain(decoder);
            assertEquals((c.length() - target) * channels, out.length);
            double error = Samples.maxError(reference(c), (int) target * channels, out);
            System.out.printf("%s forward-only source, seek forward to %d: max error %.3g%n", c.name(), target, error);
            assertTrue(error <= TOLERANCE, "max error " + error);
            IOException e = assertThrows(IOException.class, () -> decoder.seek(back));
            assertTrue(e.getMessage().contains("not seekable"), e.getMessage());
        }
    }

    /** Decodes a whole file. */
    static float[] decodeAll(Case c, DecoderOptions options) throws IOException {
        try (EcdcDecoder decoder = open(c, options)) {
            return Samples.drain(decoder);
        }
    }

    /** A source that counts its {@link #openAt(long)} calls and remembers being closed. */
    static final class CountingSource implements ByteSource {
        private final ByteSource delegate;
        int opens;
        boolean closed;

        CountingSource(ByteSource delegate) {
            this.delegate = delegate;
        }

        /** A seekable source over bytes in memory. */
        static CountingSource of(byte[] bytes) {
            return new CountingSource(ByteSource.of(bytes));
        }

        @Override
        public InputStream openAt(long offset) throws IOException {
            opens++;
            return delegate.openAt(offset);
        }

        @Override
        public boolean isSeekable() {
            return delegate.isSeekable();
        }

        @Override
        public OptionalLong size() throws IOException {
            return delegate.size();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            delegate.close();
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .count();
    }

    /** Waits up to 10 s for the threads named {@code prefix...} to end; how many are left. */
    static long awaitNoThreads(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threadsNamed(prefix) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return threadsNamed(prefix);
    }
}
