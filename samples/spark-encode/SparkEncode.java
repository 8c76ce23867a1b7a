import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import io.github.encodecstream.spark.EcdcFiles;
import io.github.encodecstream.spark.EncodecFunctions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
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
 *
 * <p>The encoding is spread over every executor (four tasks per core of the default parallelism,
 * at most one per file, unless {@code spark.sql.files.minPartitionNum} is set); the executors write the
 * {@code .ecdc} files and the Parquet table themselves, so {@code OUTPUT_DIR} must be the same
 * folder for the driver and every executor: any local folder in local mode or with every executor
 * on one machine, a shared file system mounted at the same path on every node (NFS...) for
 * several. With {@code spark.encodec.failFast=true} and no {@code spark.task.maxFailures} given,
 * a failing task is not retried ({@code spark.task.maxFailures=1}): a bad file fails the same way
 * every time.
 */
public final class SparkEncode {
    /** The session setting that splits the small input files into about one per task. */
    private static final String MIN_PARTITIONS = "spark.sql.files.minPartitionNum";

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
        SparkConf conf = new SparkConf(); // spark.* system properties, as spark-submit's --conf gives them
        if (!conf.contains("spark.master")) {
            builder.master("local[*]");
        }
        if (conf.getBoolean("spark.encodec.failFast", false) && !conf.contains("spark.task.maxFailures")) {
            builder.config("spark.task.maxFailures", "1"); // a bad file fails the same way on every retry
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
        // small files: 4 tasks per core (at most one per file), so that every executor gets some
        boolean partitionsSet = !spark.conf().contains(MIN_PARTITIONS);
        if (partitionsSet) {
            int tasks = Math.min(paths.size(), 4 * spark.sparkContext().defaultParallelism());
            spark.conf().set(MIN_PARTITIONS, Math.max(1, tasks));
        }
        Dataset<Row> encoded = null;
        try {
            Dataset<Row> files = paths.isEmpty()
                    ? spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
                            .add("path", "string").add("content", "binary"))
                    : spark.read().format("binaryFile").load(paths.toArray(new String[0]));
            encoded = files.select(col("path"), EncodecFunctions.encode(col("content"), kbps).as("e"))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            // the encoding: a task per partition on every executor, each writing its rows' files
            EcdcFiles.write(encoded.select(col("path"), col("e.ecdc")), ecdcDir);
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
            if (encoded != null) {
                encoded.unpersist();
            }
            if (partitionsSet) {
                spark.conf().unset(MIN_PARTITIONS);
            }
        }
    }
}
