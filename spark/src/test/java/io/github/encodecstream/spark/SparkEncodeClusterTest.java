package io.github.encodecstream.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.testing.ReferenceModels;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample job on a cluster of separate JVMs: {@code local-cluster[2,1,1024]} (a master and two
 * workers in this JVM, each worker starting one executor JVM of one core), everything bound to
 * 127.0.0.1, 20 WAVs and a corrupt file. The encoding stage's tasks run on both executors, the
 * files are the command line's byte for byte, and each executor's log shows, at INFO, its
 * settings once and each model it loaded once.
 *
 * <p>The workers start their executors from {@code $SPARK_HOME/jars} (Spark's own jars, no
 * project class), which this test builds from its class path in {@code SPARK_HOME} (set, with
 * {@code SPARK_SCALA_VERSION} and {@code SPARK_LOCAL_IP}, by spark/pom.xml for the tests); the
 * project's classes reach the executors through {@code spark.executor.extraClassPath}, the models
 * through {@code spark.executor.extraJavaOptions}.
 */
@ExtendWith(ReferenceModels.class)
class SparkEncodeClusterTest {
    /** The model settings of this JVM ({@link ReferenceModels}) that the executors need too. */
    private static final List<String> MODEL_SETTINGS = List.of("encodec.models", "encodec.offline", "encodec.device",
            "encodec.cache", "encodec.modelsUrl");
    private static final Pattern LOADED = Pattern.compile("INFO ExecutorModels: loaded the (\\S+) of (\\S+) from ");

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void everyExecutorEncodesAndTheFilesAreTheCommandLines() throws Exception {
        String home = System.getenv("SPARK_HOME");
        assertNotNull(home, "SPARK_HOME (spark/pom.xml sets it for the tests: run them through Maven)");
        Path sparkHome = Path.of(home);
        buildSparkHome(sparkHome);
        Path input = Files.createDirectories(dir.resolve("in"));
        List<Path> wavs = TestAudio.write(input, 20);
        Path output = dir.resolve("out");

        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("SparkEncodeClusterTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0") // starts once both executors are up
                .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .config("spark.executor.extraClassPath", projectClassPath())
                .config("spark.executor.extraJavaOptions", modelOptions())
                .getOrCreate();
        StageExecutors listener = new StageExecutors();
        spark.sparkContext().addSparkListener(listener);
        String appId = spark.sparkContext().applicationId();
        try {
            assertArrayEquals(new long[] {20, 1}, SampleJob.run(dir.resolve("classes"), spark, input, output, 6));
            spark.sparkContext().listenerBus().waitUntilEmpty(10_000); // throws a TimeoutException past 10 s
        } finally {
            spark.stop();
        }
        Set<String> encoding = listener.executorsOfStages("foreachPartition");
        assertEquals(Set.of("0", "1"), encoding, "executors that ran the encoding stage's tasks: " + listener);
        SampleJob.assertSameAsEncode(wavs, output.resolve("ecdc"), "6", dir);
        assertTrue(Files.isDirectory(output.resolve("codes.parquet")));

        Path appLogs = sparkHome.resolve("work").resolve(appId);
        for (String executor : List.of("0", "1")) {
            String log = Files.readString(appLogs.resolve(executor).resolve("stderr"));
            assertEquals(1, count(log, Pattern.compile("INFO ExecutorModels: models of this JVM: ")), log);
            Map<String, Integer> loads = new TreeMap<>();
            Matcher m = LOADED.matcher(log);
            while (m.find()) {
                loads.merge(m.group(1) + " of " + m.group(2), 1, Integer::sum);
            }
            assertFalse(loads.isEmpty(), "executor " + executor + " logged no model load");
            loads.forEach((model, n) -> assertEquals(1, n, "executor " + executor + " loaded the " + model + " " + n + " times"));
        }
    }

    /** Makes {@code home/jars}: a link to each jar of this JVM's class path but the project's own. */
    private static void buildSparkHome(Path home) throws IOException {
        if (Files.exists(home)) {
            try (Stream<Path> old = Files.walk(home)) {
                for (Path p : (Iterable<Path>) old.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : classPath()) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !isProjects(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
    }

    /** The project's main classes (folders or jars) of this JVM's class path, for the executors. */
    private static String projectClassPath() {
        String path = classPath().stream().filter(e -> isProjects(Path.of(e)) && !e.endsWith("test-classes")
                && !e.endsWith("-tests.jar")).collect(Collectors.joining(File.pathSeparator));
        assertTrue(path.contains("spark"), path);
        return path;
    }

    private static boolean isProjects(Path entry) {
        return entry.endsWith(Path.of("target", "classes")) || entry.endsWith(Path.of("target", "test-classes"))
                || entry.getFileName().toString().startsWith("encodec-stream");
    }

    private static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    /** {@code -Dencodec.KEY=VALUE} for each model setting of this JVM (paths without spaces). */
    private static String modelOptions() {
        List<String> options = new ArrayList<>();
        for (String key : MODEL_SETTINGS) {
            String value = System.getProperty(key);
            assertNotNull(value, key);
            options.add("-D" + key + "=" + value);
        }
        return String.join(" ", options);
    }

    private static int count(String text, Pattern pattern) {
        return (int) pattern.matcher(text).results().count();
    }

    /** The executors that ran each stage's successful tasks, by stage name. */
    private static final class StageExecutors extends SparkListener {
        private final Map<Integer, String> names = new ConcurrentHashMap<>();
        private final Map<Integer, Set<String>> executors = new ConcurrentHashMap<>();

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted event) {
            names.put(event.stageInfo().stageId(), event.stageInfo().name());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            if (event.taskInfo().successful()) {
                executors.computeIfAbsent(event.stageId(), k -> ConcurrentHashMap.newKeySet())
                        .add(event.taskInfo().executorId());
            }
        }

        /** The executors of the stages whose name starts with {@code prefix}. */
        Set<String> executorsOfStages(String prefix) {
            Set<String> out = new TreeSet<>();
            names.forEach((id, name) -> {
                if (name.startsWith(prefix)) {
                    out.addAll(executors.getOrDefault(id, Set.of()));
                }
            });
            return out;
        }

        @Override
        public String toString() {
            Map<String, Set<String>> byStage = new TreeMap<>();
            names.forEach((id, name) -> byStage.put(id + " " + name, executors.getOrDefault(id, Set.of())));
            return byStage.toString();
        }
    }
}
