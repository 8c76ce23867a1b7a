import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import io.github.encodecstream.spark.EncodecFunctions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Encodes the audio files of a folder on Apache Spark (local mode unless {@code spark.master} says
 * otherwise) with encodec-stream-spark:
 *
 * <pre>
 * SparkEncode INPUT_DIR OUTPUT_DIR [KBPS]
 * </pre>
 *
 * reads the files directly in {@code INPUT_DIR} (not its sub-folders; hidden files left out) with
 * Spark's {@code binaryFile} source, encodes each at {@code KBPS} (default 6) as
 * {@code encode -b KBPS} does, and writes {@code OUTPUT_DIR/ecdc/NAME.ecdc} for each file that
 * could be encoded ({@code song.wav} gives {@code song.wav.ecdc}) and {@code OUTPUT_DIR/codes.parquet},
 * one row per input: {@code path} string, {@code model} string, {@code sample_rate} int,
 * {@code codes} {@code array<array<smallint>>} (codebooks × steps), {@code error} string (null,
 * or why that file failed: the command line's message). Exits 0 when the job ran, whatever single
 * files failed (they are listed on standard error), 2 for wrong arguments. Run it with
 * {@code scripts/spark-encode}, which builds and sets up everything it needs.
 */
public final class SparkEncode {
    private SparkEncode() {}

    /** Runs the job; see the class comment. */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: spark-encode INPUT_DIR OUTPUT_DIR [KBPS]");
            System.exit(2);
        }
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        double kbps;
        try {
            kbps = args.length > 2 ? Double.parseDouble(args[2]) : EncodecFunctions.DEFAULT_KBPS;
        } catch (NumberFormatException e) {
            kbps = Double.NaN;
        }
        if (!(kbps > 0 && kbps < Double.POSITIVE_INFINITY)) {
            System.err.println("spark-encode: KBPS must be a positive number, got " + args[2]);
            System.exit(2);
        }
        if (!Files.isDirectory(input)) {
            System.err.println("spark-encode: " + input + ": not a directory");
            System.exit(2);
        }
        SparkSession.Builder builder = SparkSession.builder().appName("spark-encode");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            long[] counts = run(spark, input, output, kbps);
            System.out.println("spark-encode: " + counts[0] + " files encoded, " + counts[1] + " failed; "
                    + output.resolve("ecdc") + ", " + output.resolve("codes.parquet"));
        } catch (IOException e) {
            System.err.println("spark-encode: " + e.getMessage());
            System.exit(1);
        } finally {
            spark.stop();
        }
    }

    /**
     * Encodes the files directly in {@code input} at {@code kbps} into {@code output} (see the
     * class comment); returns the number of files encoded and of those that failed.
     */
    public static long[] run(SparkSession spark, Path input, Path output, double kbps) throws IOException {
        List<String> paths;
        try (Stream<Path> files = Files.list(input)) {
            paths = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> p.toAbsolutePath().toString()).sorted().toList();
        }
        Path ecdcDir = Files.createDirectories(output.resolve("ecdc"));
        Dataset<Row> files = paths.isEmpty()
                ? spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
                        .add("path", "string").add("content", "binary"))
                : spark.read().format("binaryFile").load(paths.toArray(new String[0]));
        Dataset<Row> encoded = files.select(col("path"), EncodecFunctions.encode(col("content"), kbps).as("e"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // the files come to the driver a partition at a time and are written there: OUTPUT_DIR is its folder
            Iterator<Row> ecdc = encoded.where(col("e.error").isNull()).select(col("path"), col("e.ecdc")).toLocalIterator();
            while (ecdc.hasNext()) {
                write(ecdcDir, ecdc.next());
            }
            encoded.select(col("path"), col("e.error").as("encode_error"), EncodecFunctions.codes(col("e.ecdc")).as("c"))
                    .select(col("path"), col("c.model").as("model"), col("c.sample_rate").as("sample_rate"),
                            col("c.codes").as("codes"), coalesce(col("encode_error"), col("c.error")).as("error"))
                    .write().mode(SaveMode.Overwrite).parquet(output.resolve("codes.parquet").toString());
            List<Row> failed = encoded.where(col("e.error").isNotNull()).select("path", "e.error").collectAsList();
            for (Row r : failed) {
                System.err.println("spark-encode: " + r.getString(0) + ": " + r.getString(1));
            }
            return new long[] {paths.size() - failed.size(), failed.size()};
        } finally {
            encoded.unpersist();
        }
    }

    /** Writes one row's file as {@code DIR/NAME.ecdc}, through a temporary file moved into place. */
    private static void write(Path dir, Row row) throws IOException {
        String name = new org.apache.hadoop.fs.Path(row.getString(0)).getName() + ".ecdc";
        Path temporary = dir.resolve("." + name + ".tmp");
        Files.write(temporary, (byte[]) row.get(1));
        Files.move(temporary, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
