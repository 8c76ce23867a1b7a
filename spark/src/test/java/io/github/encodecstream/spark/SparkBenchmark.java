package io.github.encodecstream.spark;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Throughput of {@code ecdc_encode} in Spark's {@code local[N]} against a sequential loop over the
 * same files in one JVM, and how the model load is amortised (scripts/benchmark-spark,
 * docs/PERFORMANCE.md "Spark"):
 *
 * <pre>
 * SparkBenchmark REFERENCE_DIR [FILES] [SECONDS] [KBPS] [MASTER]
 * </pre>
 *
 * writes FILES WAVs (default 40; 8 to 48 kHz, mono and stereo, 0.5 to 1.5 × SECONDS long, default
 * 3) into {@code spark/target/bench-spark}, then, each phase with an empty model cache (the first
 * file loads the checkpoint and builds the networks), on the models of {@code REFERENCE_DIR/models}:
 * <ol>
 *   <li>a sequential loop: the functions' encode of each file in turn, on one thread;</li>
 *   <li>Spark ({@code MASTER}, default {@code local[2]}): one job encoding every file (the first
 *       rows load the models), then the same job again with the models loaded.</li>
 * </ol>
 * Prints seconds per file, first and later, and each phase's wall-clock time.
 */
public final class SparkBenchmark {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Start and end (nanoTime) and thread CPU nanoseconds of each row encoded in this JVM. */
    private static final ConcurrentLinkedQueue<long[]> ROWS = new ConcurrentLinkedQueue<>();
    /** The error field of an encode's row. */
    private static final int ERROR = EncodecFunctions.ENCODE_SCHEMA.fieldIndex("error");

    private SparkBenchmark() {}

    /** Runs the benchmark; see the class comment. */
    public static void main(String[] args) throws Exception {
        Path reference = Path.of(args.length > 0 ? args[0] : "../shared/reference");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        double kbps = args.length > 3 ? Double.parseDouble(args[3]) : 6;
        String master = args.length > 4 ? args[4] : "local[2]";
        Path dir = Path.of("spark/target/bench-spark").toAbsolutePath();
        Path input = dir.resolve("in");
        deleteTree(dir);
        Files.createDirectories(input);
        List<Path> wavs = TestAudio.write(input, count, 0.5 * seconds, 1.5 * seconds);
        Files.delete(input.resolve(TestAudio.CORRUPT));
        double audio = 0;
        List<byte[]> contents = new ArrayList<>();
        for (Path wav : wavs) {
            contents.add(Files.readAllBytes(wav));
            try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
                audio += in.getFrameLength() / (double) in.getFormat().getFrameRate();
            }
        }
        System.setProperty("encodec.models", reference.resolve("models").toAbsolutePath().toString());
        System.setProperty("encodec.offline", "true");
        System.setProperty("encodec.device", "cpu");
        System.out.printf(Locale.ROOT, "%d files, %.1f s of audio, %s kbps, %d processors, models %s%n", count, audio,
                kbps, Runtime.getRuntime().availableProcessors(), reference.resolve("models"));

        // 1. sequential loop in this JVM, one thread
        useCache(dir.resolve("cache-sequential"));
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long start = System.nanoTime();
        double processCpu = processCpu();
        for (byte[] content : contents) {
            long t = System.nanoTime();
            long c = THREADS.getCurrentThreadCpuTime();
            Row r = EcdcRows.encode(content, kbps);
            times.add((System.nanoTime() - t) / 1e9);
            cpu.add((THREADS.getCurrentThreadCpuTime() - c) / 1e9);
            if (!r.isNullAt(ERROR)) {
                throw new IllegalStateException(r.getString(ERROR));
            }
        }
        double sequential = (System.nanoTime() - start) / 1e9;
        report("sequential loop, 1 thread", sequential, processCpu() - processCpu, times.get(0),
                times.subList(1, times.size()), cpu.get(0), cpu.subList(1, cpu.size()), count, audio);

        // 2. Spark
        useCache(dir.resolve("cache-spark"));
        long session = System.nanoTime();
        SparkSession spark = SparkSession.builder().master(master).appName("SparkBenchmark")
                .config("spark.ui.enabled", "false").getOrCreate();
        System.out.printf(Locale.ROOT, "Spark session (%s): %.2f s to start%n", master, (System.nanoTime() - session) / 1e9);
        try {
            Dataset<Row> files = spark.read().format("binaryFile").load(input.toString());
            System.out.println("partitions: " + files.rdd().getNumPartitions());
            spark.udf().register("timed_encode", (UDF2<byte[], Double, Integer>) (content, k) -> {
                long t = System.nanoTime();
                long c = THREADS.getCurrentThreadCpuTime();
                Row r = EcdcRows.encode(content, k);
                ROWS.add(new long[] {t, System.nanoTime(), THREADS.getCurrentThreadCpuTime() - c});
                return r.isNullAt(ERROR) ? ((byte[]) r.get(0)).length : -1;
            }, DataTypes.IntegerType);
            long job = System.nanoTime();
            double jobCpu = processCpu();
            long failed = files.select(functions.call_function("timed_encode", col("content"), functions.lit(kbps)).as("n"))
                    .where(col("n").lt(0)).count();
            double cold = (System.nanoTime() - job) / 1e9;
            double coldCpu = processCpu() - jobCpu;
            if (failed > 0) {
                throw new IllegalStateException(failed + " files failed");
            }
            List<long[]> rows = new ArrayList<>(ROWS);
            rows.sort((a, b) -> Long.compare(a[0], b[0]));
            // the first row of each task slot waits for the models; the others find them loaded
            int slots = Math.min(rows.size(), Math.max(1, spark.sparkContext().defaultParallelism()));
            List<Double> first = new ArrayList<>();
            List<Double> later = new ArrayList<>();
            List<Double> firstCpu = new ArrayList<>();
            List<Double> laterCpu = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                (i < slots ? first : later).add((rows.get(i)[1] - rows.get(i)[0]) / 1e9);
                (i < slots ? firstCpu : laterCpu).add(rows.get(i)[2] / 1e9);
            }
            report("Spark " + master + ", first job", cold, coldCpu, Collections.max(first), later,
                    Collections.max(firstCpu), laterCpu, count, audio);
            job = System.nanoTime();
            jobCpu = processCpu();
            long bytes = files.select(EncodecFunctions.encode(col("content"), kbps).getField("ecdc").as("ecdc"))
                    .select(functions.sum(functions.length(col("ecdc")))).first().getLong(0);
            double warm = (System.nanoTime() - job) / 1e9;
            System.out.printf(Locale.ROOT, "%-30s %6.2f s wall, %6.2f s CPU, %.3f s/file, %.1f x real time (%d bytes of .ecdc)%n",
                    "Spark " + master + ", again", warm, processCpu() - jobCpu, warm / count, audio / warm, bytes);
            System.out.printf(Locale.ROOT, "speed-up of the Spark jobs over the loop: first %.2f, again %.2f%n",
                    sequential / cold, sequential / warm);
        } finally {
            spark.stop();
        }
    }

    private static void report(String what, double wall, double cpu, double first, List<Double> later, double firstCpu,
            List<Double> laterCpu, int count, double audio) {
        System.out.printf(Locale.ROOT, "%-30s %6.2f s wall, %6.2f s CPU, %.3f s/file, %.1f x real time; "
                + "first file %.2f s (%.2f s CPU), later %.3f s/file (%.3f s CPU)%n", what, wall, cpu, wall / count,
                audio / wall, first, firstCpu, mean(later), mean(laterCpu));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** CPU seconds of this process so far. */
    private static double processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static void useCache(Path cache) {
        System.setProperty("encodec.cache", cache.toString());
        ExecutorModels.reset();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
