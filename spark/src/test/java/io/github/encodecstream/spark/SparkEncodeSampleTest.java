package io.github.encodecstream.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.EcdcCodes;
import io.github.encodecstream.testing.ReferenceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/**
 * The sample job of {@code scripts/spark-encode} ({@code samples/spark-encode/SparkEncode.java},
 * compiled here) in {@code local[2]}: 40 WAVs and a corrupt file (and a sub-folder it must not
 * read) at 4.5 kbps give the command line's {@code .ecdc} files and one {@code codes.parquet} row
 * per input, of the schema the issue names.
 */
@ExtendWith(ReferenceModels.class)
class SparkEncodeSampleTest {
    @TempDir
    Path dir;

    @Test
    void encodesTheFolderAndWritesTheCodes() throws Exception {
        ExecutorModels.reset();
        Path input = Files.createDirectories(dir.resolve("in"));
        List<Path> wavs = TestAudio.write(input, 40);
        Files.createDirectories(input.resolve("sub"));
        Files.copy(wavs.get(0), input.resolve("sub/nested.wav"));
        Path output = dir.resolve("out");

        SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkEncodeSampleTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            long[] counts = SampleJob.run(dir.resolve("classes"), spark, input, output, 4.5);
            assertArrayEquals(new long[] {40, 1}, counts);
            SampleJob.assertSameAsEncode(wavs, output.resolve("ecdc"), "4.5", dir);

            List<Row> rows = spark.read().parquet(output.resolve("codes.parquet").toString()).collectAsList();
            assertEquals(41, rows.size());
            StructType schema = rows.get(0).schema();
            assertEquals(List.of("path", "model", "sample_rate", "codes", "error"), List.of(schema.fieldNames()));
            assertEquals("struct<path:string,model:string,sample_rate:int,codes:array<array<smallint>>,error:string>",
                    schema.simpleString());
            for (Row r : rows) {
                String name = new org.apache.hadoop.fs.Path(r.getString(0)).getName();
                assertFalse(name.equals("nested.wav"), "a file of a sub-folder was read");
                if (name.equals(TestAudio.CORRUPT)) {
                    assertEquals(io.github.encodecstream.sound.PcmSource.NOT_AUDIO, r.getAs("error"));
                    assertTrue(r.isNullAt(1) && r.isNullAt(3));
                    continue;
                }
                assertNull(r.getAs("error"), name);
                try (EcdcCodes codes = EcdcCodes.open(output.resolve("ecdc/" + name + ".ecdc"))) {
                    assertEquals(codes.header().metadata().model(), r.getAs("model"));
                    assertEquals(codes.header().metadata().effectiveSampleRate(), (int) r.getAs("sample_rate"));
                    List<Seq<Short>> expected = r.getList(3);
                    int at = 0;
                    for (EcdcCodes.Block b = codes.read(1000); b != null; b = codes.read(1000)) {
                        for (int s = 0; s < b.steps(); s++) {
                            for (int k = 0; k < b.codebooks(); k++) {
                                assertEquals(b.code(s, k), (int) expected.get(k).apply(at + s), name);
                            }
                        }
                        at += b.steps();
                    }
                    assertEquals(at, expected.get(0).size());
                }
            }
        } finally {
            spark.stop();
            ExecutorModels.reset();
        }
    }
}
