package io.github.encodecstream.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EcdcFiles#write}: each row's bytes as {@code DIR/NAME.ecdc} (the last part of its path),
 * rows without bytes left out, no temporary file left; a folder it cannot write fails the job with
 * the file's name.
 */
class EcdcFilesTest {
    private static final StructType SCHEMA = new StructType().add("path", DataTypes.StringType)
            .add("ecdc", DataTypes.BinaryType);
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("EcdcFilesTest").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void writesEachRowsBytesUnderItsNameAndSkipsRowsWithoutBytes() throws Exception {
        Dataset<Row> rows = spark.createDataFrame(List.of(
                RowFactory.create("file:/music/a%20b/song.wav", new byte[] {1, 2, 3}),
                RowFactory.create("hdfs://nn/x/other.aiff", new byte[] {4}),
                RowFactory.create("file:/music/bad.wav", null)), SCHEMA).repartition(2);
        EcdcFiles.write(rows, dir);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("other.aiff.ecdc", "song.wav.ecdc"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("song.wav.ecdc")));
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(dir.resolve("other.aiff.ecdc")));
    }

    @Test
    void aFolderItCannotWriteFailsTheJobNamingTheFile() {
        Path missing = dir.resolve("missing");
        Dataset<Row> rows = spark.createDataFrame(List.<Row>of(RowFactory.create("file:/m/song.wav", new byte[] {1})), SCHEMA);
        Exception e = assertThrows(Exception.class, () -> EcdcFiles.write(rows, missing));
        String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(message.contains("cannot write " + missing.resolve("song.wav.ecdc").toAbsolutePath()), message);
    }
}
