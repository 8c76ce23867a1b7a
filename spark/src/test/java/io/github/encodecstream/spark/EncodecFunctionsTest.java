package io.github.encodecstream.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.cli.CommandLine;
import io.github.encodecstream.codec.EcdcCodes;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceModels;
import io.github.encodecstream.testing.Samples;
import io.github.encodecstream.source.FileByteSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/**
 * The functions in Spark's local mode ({@code local[2]}) on the reference's test models, against
 * the command line and the core library run in this JVM: 40 short WAVs of mixed rates, mono and
 * stereo, at four bitrates (both models), and a corrupt file.
 */
@ExtendWith(ReferenceModels.class)
class EncodecFunctionsTest {
    /** The bitrates the files cycle through, kbps: the 48 kHz model (6, 12) and the 24 kHz one (1.5, 2). */
    private static final double[] KBPS = {6, 1.5, 12, 2};
    private static final int FILES = 40;

    @TempDir
    static Path dir;
    static Path input;
    static SparkSession spark;
    static List<Path> wavs;
    /** Per input path (as Spark writes it): the row of the encode. */
    static Map<String, Row> encoded = new HashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        ExecutorModels.reset(); // the models of this class's settings (ReferenceModels)
        input = Files.createDirectories(dir.resolve("in"));
        wavs = TestAudio.write(input, FILES);
        spark = SparkSession.builder().master("local[2]").appName("EncodecFunctionsTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        Dataset<Row> files = spark.read().format("binaryFile").load(input.toString());
        Dataset<Row> withKbps = files.withColumn("kbps", kbpsOf(col("path")));
        for (Row r : withKbps.select(col("path"), col("kbps"), EncodecFunctions.encode(col("content"), col("kbps")).as("e"))
                .collectAsList()) {
            encoded.put(Path.of(java.net.URI.create(r.getString(0))).getFileName().toString(), r.getStruct(2));
        }
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorModels.reset();
    }

    /** The bitrate of a file: by its number, from {@link #KBPS}. */
    private static org.apache.spark.sql.Column kbpsOf(org.apache.spark.sql.Column path) {
        org.apache.spark.sql.Column n = functions.regexp_extract(path, "clip(\\d+)_", 1).try_cast("int");
        org.apache.spark.sql.Column k = functions.lit(KBPS[0]);
        for (int i = KBPS.length - 1; i >= 1; i--) {
            k = functions.when(n.mod(KBPS.length).equalTo(i), KBPS[i]).otherwise(k);
        }
        return k;
    }

    private static double kbps(int index) {
        return KBPS[index % KBPS.length];
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Test
    void encodeIsTheCommandLinesEncodeByteForByteAndTheCorruptFileIsItsErrorRow() throws Exception {
        assertEquals(FILES + 1, encoded.size());
        for (int i = 0; i < FILES; i++) {
            Path wav = wavs.get(i);
            Row row = encoded.get(wav.getFileName().toString());
            assertNull(row.getAs("error"), wav + ": " + row.getAs("error"));
            Path expected = dir.resolve(wav.getFileName() + ".ecdc");
            CommandLine.Result cli = CommandLine.run("encode", "-q", "-b", format(kbps(i)), "-o", expected.toString(),
                    wav.toString());
            assertEquals(0, cli.exitCode(), cli.stderr());
            byte[] bytes = row.getAs("ecdc");
            assertArrayEquals(Files.readAllBytes(expected), bytes, wav + " at " + kbps(i) + " kbps");
            EcdcMetadata m = EcdcHeader.read(new java.io.ByteArrayInputStream(bytes)).metadata();
            assertEquals(m.model(), row.getAs("model"));
            assertEquals(m.effectiveSampleRate(), (int) row.getAs("sample_rate"));
        }
        Row bad = encoded.get(TestAudio.CORRUPT);
        assertNull(bad.getAs("ecdc"));
        Path corrupt = input.resolve(TestAudio.CORRUPT);
        CommandLine.Result cli = CommandLine.run("encode", "-q", "-o", dir.resolve("corrupt.ecdc").toString(),
                corrupt.toString());
        assertEquals(3, cli.exitCode());
        assertEquals("encodec-stream: " + corrupt + ": " + bad.getAs("error"), cli.stderr().strip());
    }

    @Test
    void codesAreWhatTheCoreLibraryReads() throws Exception {
        Dataset<Row> ecdc = ecdcFiles();
        List<Row> rows = ecdc.select(col("name"), EncodecFunctions.codes(col("ecdc")).as("c")).collectAsList();
        assertEquals(FILES, rows.size());
        for (Row r : rows) {
            Row c = r.getStruct(1);
            assertNull(c.getAs("error"));
            Path file = dir.resolve(r.getString(0) + ".ecdc");
            try (EcdcCodes codes = EcdcCodes.open(new FileByteSource(file))) {
                EcdcMetadata m = codes.header().metadata();
                assertEquals(m.model(), c.getAs("model"));
                assertEquals(m.effectiveSampleRate(), (int) c.getAs("sample_rate"));
                assertEquals(m.codebooks(), (int) c.getAs("codebooks"));
                List<Seq<Short>> rowsOfCodes = c.getList(c.fieldIndex("codes"));
                assertEquals(m.codebooks(), rowsOfCodes.size());
                List<Integer> steps = c.getList(c.fieldIndex("segment_steps"));
                assertEquals(codes.segmentCount(), steps.size());
                List<Float> scales = c.isNullAt(c.fieldIndex("scales")) ? null : c.getList(c.fieldIndex("scales"));
                assertEquals(m.family() == io.github.encodecstream.format.ModelFamily.ENCODEC_48KHZ, scales != null);
                int at = 0;
                for (EcdcCodes.Block b = codes.read(100); b != null; b = codes.read(100)) {
                    for (int s = 0; s < b.steps(); s++) {
                        for (int k = 0; k < b.codebooks(); k++) {
                            assertEquals(b.code(s, k), (int) rowsOfCodes.get(k).apply(at + s), file + " step " + (at + s));
                        }
                    }
                    if (scales != null) {
                        assertEquals(b.scale(), scales.get(b.segment()));
                    }
                    at += b.steps();
                }
                assertEquals(at, rowsOfCodes.get(0).size());
                assertEquals(at, steps.stream().mapToInt(Integer::intValue).sum());
            }
        }
    }

    @Test
    void decodedWavsAreTheCommandLinesDecode() throws Exception {
        List<Row> rows = ecdcFiles().select(col("name"), EncodecFunctions.decodeWav(col("ecdc")).as("w")).collectAsList();
        assertEquals(FILES, rows.size());
        for (Row r : rows) {
            Row w = r.getStruct(1);
            assertNull(w.getAs("error"));
            Path ecdc = dir.resolve(r.getString(0) + ".ecdc");
            Path expected = dir.resolve(r.getString(0) + ".decoded.wav");
            CommandLine.Result cli = CommandLine.run("decode", "-q", "--native", "--format", "wav", "-o",
                    expected.toString(), ecdc.toString());
            assertEquals(0, cli.exitCode(), cli.stderr());
            assertArrayEquals(Files.readAllBytes(expected), (byte[]) w.getAs("wav"), ecdc.toString());
        }
    }

    @Test
    void floatPcmIsTheDecodersAndMetadataIsTheHeaders() throws Exception {
        List<Row> rows = ecdcFiles().limit(6).select(col("name"), EncodecFunctions.decodePcm(col("ecdc")).as("p"),
                EncodecFunctions.metadata(col("ecdc")).as("m")).collectAsList();
        for (Row r : rows) {
            Path file = dir.resolve(r.getString(0) + ".ecdc");
            Row p = r.getStruct(1);
            assertNull(p.getAs("error"));
            try (EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(file),
                    DecoderOptions.builder().models(ReferenceCases.models()).build())) {
                float[] expected = Samples.drain(decoder);
                List<Float> actual = p.getList(p.fieldIndex("pcm"));
                assertEquals(expected.length, actual.size());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual.get(i), file + " sample " + i);
                }
                assertEquals(decoder.channels(), (int) p.getAs("channels"));
            }
            Row m = r.getStruct(2);
            EcdcHeader header;
            try (InputStream in = Files.newInputStream(file)) {
                header = EcdcHeader.read(in);
            }
            assertNull(m.getAs("error"));
            assertEquals(header.version(), (int) m.getAs("version"));
            assertEquals(header.metadata().model(), m.getAs("model"));
            assertEquals(header.metadata().audioLength(), (long) m.getAs("length"));
            assertEquals(header.metadata().bandwidthKbps(), (double) m.getAs("bandwidth_kbps"));
            assertEquals("{}", m.getAs("extra"));
            assertNull(m.getAs("lm_chunk_steps")); // plain files: no LM chunks, no index
            assertNull(m.getAs("lm_index"));
        }
    }

    @Test
    void sqlFunctionsAndErrorRowsOfTheReaders() throws Exception {
        EncodecFunctions.register(spark);
        spark.read().format("binaryFile").load(input.toString()).createOrReplaceTempView("audio");
        Row r = spark.sql("SELECT ecdc_encode(content, 6) AS e FROM audio WHERE path LIKE '%clip00_%'").first();
        assertArrayEquals((byte[]) encoded.get(wavs.get(0).getFileName().toString()).getAs("ecdc"),
                (byte[]) r.getStruct(0).getAs("ecdc"));
        Row bad = spark.sql("SELECT ecdc_codes(content) AS c, ecdc_decode_wav(content) AS w, ecdc_metadata(content) AS m,"
                + " ecdc_decode_pcm(content) AS p, ecdc_encode(content, -1) AS e FROM audio WHERE path LIKE '%corrupt%'")
                .first();
        for (int i = 0; i < 5; i++) {
            assertNotNull(bad.getStruct(i).getAs("error"), bad.schema().fields()[i].name());
        }
        // the command line's message for a file that is not .ecdc
        Path corrupt = input.resolve(TestAudio.CORRUPT);
        CommandLine.Result cli = CommandLine.run("decode", "-q", "-o", dir.resolve("x.s16").toString(), corrupt.toString());
        assertEquals("encodec-stream: " + corrupt + ": " + bad.getStruct(1).getAs("error"), cli.stderr().strip());
        Row nulls = spark.sql("SELECT ecdc_codes(CAST(NULL AS BINARY)) AS c").first();
        assertTrue(nulls.isNullAt(0));
    }

    @Test
    void failFastFailsTheJobWithTheRowsMessage() {
        Dataset<Row> corrupt = spark.read().format("binaryFile").load(input.resolve(TestAudio.CORRUPT).toString());
        spark.conf().set(EncodecFunctions.FAIL_FAST, "true");
        try {
            Exception e = assertThrows(Exception.class,
                    () -> corrupt.select(EncodecFunctions.encode(col("content")).as("e")).collectAsList());
            boolean found = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                found |= t instanceof EcdcRowException
                        && t.getMessage().equals(io.github.encodecstream.sound.PcmSource.NOT_AUDIO);
            }
            assertTrue(found, "EcdcRowException in " + e);
        } finally {
            spark.conf().unset(EncodecFunctions.FAIL_FAST);
        }
    }

    /** The encoded files (name of the input, .ecdc bytes) as a DataFrame, written by the first test's encode. */
    private static Dataset<Row> ecdcFiles() throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (Path wav : wavs) {
            Row e = encoded.get(wav.getFileName().toString());
            Path file = dir.resolve(wav.getFileName() + ".ecdc");
            if (!Files.exists(file)) {
                Files.write(file, (byte[]) e.getAs("ecdc"));
            }
            rows.add(org.apache.spark.sql.RowFactory.create(wav.getFileName().toString(), e.getAs("ecdc")));
        }
        return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
                .add("name", "string").add("ecdc", "binary"));
    }
}
