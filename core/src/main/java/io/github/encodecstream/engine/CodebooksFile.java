package io.github.encodecstream.engine;

import io.github.encodecstream.checkpoint.DType;
import io.github.encodecstream.checkpoint.Tensor;
import io.github.encodecstream.model.Codebooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** The codebooks file of a prepared model ({@code codebooks.f32}): the quantizer's codebooks, written once, read at each load. */
final class CodebooksFile {
    private CodebooksFile() {}

    /** Writes the codebooks, little-endian float32, one after the other. */
    static void write(Codebooks codebooks, Path file) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int k = 0; k < codebooks.count(); k++) {
                float[] book = codebooks.codebook(k);
                int per = chunk.capacity() / Float.BYTES;
                for (int i = 0; i < book.length; i += per) {
                    int n = Math.min(per, book.length - i);
                    chunk.clear();
                    chunk.asFloatBuffer().put(book, i, n);
                    chunk.limit(n * Float.BYTES);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
            }
        }
    }

    /**
     * Reads the codebooks file one codebook at a time through one direct buffer (read, not mapped:
     * a mapping would stay resident until the garbage collector unmaps it; and no heap garbage).
     */
    static Codebooks read(Path file, PreparedManifest manifest) throws IOException {
        int count = manifest.codebooks[0];
        int[] shape = {manifest.codebooks[1], manifest.codebooks[2]};
        int bytes = Math.multiplyExact(Math.multiplyExact(shape[0], shape[1]), Float.BYTES);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() != (long) count * bytes) {
                throw new IOException(file + " holds " + in.size() + " bytes, not " + count + " codebooks of " + bytes);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
            // Codebooks.read asks for each codebook once, in order, and copies it into its own array
            // before asking for the next: one buffer serves them all.
            Map<String, Tensor> tensors = new java.util.AbstractMap<>() {
                private int next;

                @Override
                public Tensor get(Object key) {
                    if (!("quantizer.vq.layers." + next + "._codebook.embed").equals(key)) {
                        if (("quantizer.vq.layers." + count + "._codebook.embed").equals(key)) {
                            return null; // the end
                        }
                        throw new IllegalStateException("codebooks asked for out of order: " + key);
                    }
                    if (next >= count) {
                        return null;
                    }
                    buffer.clear();
                    try {
                        while (buffer.hasRemaining()) {
                            if (in.read(buffer, (long) next * bytes + buffer.position()) < 0) {
                                throw new IOException(file + " ends inside codebook " + next);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    next++;
                    return Tensor.of(DType.FLOAT32, shape, buffer.flip());
                }

                @Override
                public java.util.Set<Map.Entry<String, Tensor>> entrySet() {
                    throw new UnsupportedOperationException();
                }
            };
            Codebooks codebooks = Codebooks.read(tensors);
            if (codebooks.count() != count) {
                throw new IOException("read " + codebooks.count() + " codebooks of " + count);
            }
            return codebooks;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

}
