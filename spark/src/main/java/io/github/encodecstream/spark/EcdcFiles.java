package io.github.encodecstream.spark;

import io.github.encodecstream.files.AtomicWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes {@code .ecdc} bytes of a dataset as files, from the executors that hold the rows (in
 * parallel, one task per partition; nothing goes through the driver): each row
 * {@code (path string, ecdc binary)} becomes {@code DIRECTORY/NAME.ecdc}, {@code NAME} the last
 * part of {@code path} ({@code .../song.wav} gives {@code song.wav.ecdc}), written under a
 * temporary name and moved into place when complete ({@link AtomicWrite}), so a retried or
 * failed task never leaves a partial file. Rows with a null {@code ecdc} are left out.
 * {@code DIRECTORY} is a local path of each executor's machine: the driver's own disk in local
 * mode or with every executor on one machine; a file system mounted at the same path on every
 * node (NFS...) for a cluster of several machines.
 */
public final class EcdcFiles {
    private EcdcFiles() {}

    /**
     * Writes the rows of {@code pathAndEcdc} (columns 0: path, 1: ecdc bytes) into
     * {@code directory}, which must exist on every executor; returns when every partition is
     * written. A file that cannot be written fails its task, and so the job, with Spark's
     * {@code SparkException} around an {@link UncheckedIOException} that names the file.
     */
    public static void write(Dataset<Row> pathAndEcdc, Path directory) {
        pathAndEcdc.foreachPartition(new PartitionWriter(directory.toAbsolutePath().toString()));
    }

    /** The file name for an input's path: its last part and {@code .ecdc}. */
    static String fileName(String inputPath) {
        return new org.apache.hadoop.fs.Path(inputPath).getName() + ".ecdc";
    }

    /** Writes one partition's rows (on an executor). */
    private record PartitionWriter(String directory) implements ForeachPartitionFunction<Row> {
        @Override
        public void call(Iterator<Row> rows) {
            Path dir = Path.of(directory);
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(1)) {
                    continue;
                }
                Path target = dir.resolve(fileName(row.getString(0)));
                try (AtomicWrite w = AtomicWrite.file(target)) {
                    Files.write(w.temporary(), (byte[]) row.get(1));
                    w.commit();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + target + ": " + e, e);
                }
            }
        }
    }
}
