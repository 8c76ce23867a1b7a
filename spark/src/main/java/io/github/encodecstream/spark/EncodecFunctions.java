package io.github.encodecstream.spark;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.ShortType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * EnCodec as Spark SQL functions over binary columns (such as the {@code content} of
 * {@code spark.read().format("binaryFile")}): encode audio files, read the codes (the tokens of
 * audio language models), decode to WAV or float PCM, read the metadata. Each returns a struct
 * with an {@code error} field: null on success, else the command line's message for that input
 * (its {@code encodec-stream: INPUT: } left out), the other fields null, so that a bad row does
 * not fail the job ({@link #FAIL_FAST} makes it fail instead). A null input gives a null struct.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("music/");
 * Dataset<Row> ecdc = files.select(col("path"), EncodecFunctions.encode(col("content"), 6).as("e"));
 * ecdc.select(col("path"), EncodecFunctions.codes(col("e.ecdc")).as("c"))
 *     .select("path", "c.model", "c.sample_rate", "c.codes", "c.error").write().parquet("codes.parquet");
 *
 * EncodecFunctions.register(spark); // SQL, and so PySpark: SELECT ecdc_encode(content, 6) FROM ...
 * }</pre>
 *
 * <p>The functions run the core library on the executors: {@link #encode} is the command line's
 * {@code encode -b KBPS} (Java Sound's reading of WAV, AIFF or AU bytes, Encodec-Stream's bitrate
 * rule; the same file byte for byte), {@link #decodeWav} its {@code decode --native --format wav}.
 * The networks are loaded once per executor JVM, on the first row that needs them, from the model
 * store the executor's environment configures ({@code ENCODEC_MODELS} or {@code -Dencodec.models},
 * the cache, the verified download), and shared by its tasks; each encode or decode uses
 * {@code spark.task.cpus} threads (default 1).
 */
public final class EncodecFunctions {
    /**
     * The Spark setting that makes a row that cannot be processed fail its task (and so the job)
     * with an {@link EcdcRowException} instead of filling {@code error}: {@code "true"} in the
     * session ({@code spark.conf().set}, SQL {@code SET}) or the application's configuration.
     */
    public static final String FAIL_FAST = "spark.encodec.failFast";

    /** The bitrate of {@link #encode(Column)}, kbps: 6, as {@code encode} without {@code -b}. */
    public static final double DEFAULT_KBPS = 6;

    /**
     * {@code ecdc_encode}'s result: {@code ecdc} (the file's bytes), {@code model}
     * ({@code encodec_24khz} or {@code encodec_48khz}), {@code sample_rate} (the rate the file plays
     * at: Encodec-Stream's shifted rate {@code sr}), {@code error}.
     */
    public static final StructType ENCODE_SCHEMA = new StructType()
            .add("ecdc", BinaryType)
            .add("model", StringType)
            .add("sample_rate", IntegerType)
            .add("error", StringType);

    /**
     * {@code ecdc_codes}'s result: {@code model}, {@code sample_rate} (the rate the file plays at),
     * {@code codebooks}, {@code codes} ({@code array<array<smallint>>}, codebooks × steps: row
     * {@code k} is codebook {@code k} at every step of the file, segments one after the other, each
     * code 0 to 1023), {@code segment_steps} (the steps of each segment: one segment for a 24 kHz
     * file, one a second for a 48 kHz file), {@code scales} (each segment's scale; null for the
     * 24 kHz model, which has none), {@code error}.
     */
    public static final StructType CODES_SCHEMA = new StructType()
            .add("model", StringType)
            .add("sample_rate", IntegerType)
            .add("codebooks", IntegerType)
            .add("codes", DataTypes.createArrayType(DataTypes.createArrayType(ShortType, false), false))
            .add("segment_steps", DataTypes.createArrayType(IntegerType, false))
            .add("scales", DataTypes.createArrayType(FloatType, false))
            .add("error", StringType);

    /**
     * {@code ecdc_decode_wav}'s result: {@code wav} (a 16-bit PCM WAV file of the samples as decoded,
     * at {@code sample_rate} with {@code channels}: {@code decode --native --format wav}),
     * {@code sample_rate}, {@code channels}, {@code error}.
     */
    public static final StructType WAV_SCHEMA = new StructType()
            .add("wav", BinaryType)
            .add("sample_rate", IntegerType)
            .add("channels", IntegerType)
            .add("error", StringType);

    /**
     * {@code ecdc_decode_pcm}'s result: {@code pcm} (the decoder's float samples, channels
     * interleaved), {@code sample_rate}, {@code channels}, {@code error}.
     */
    public static final StructType PCM_SCHEMA = new StructType()
            .add("pcm", DataTypes.createArrayType(FloatType, false))
            .add("sample_rate", IntegerType)
            .add("channels", IntegerType)
            .add("error", StringType);

    /**
     * {@code ecdc_metadata}'s result: the fields of {@code info --json} ({@code version}, {@code model},
     * {@code sample_rate}, {@code channels}, {@code length} in samples per channel,
     * {@code duration_seconds}, {@code codebooks}, {@code bandwidth_kbps}, {@code lm},
     * {@code lm_version}, {@code lm_checksum}, {@code lm_chunk_steps}, {@code lm_index}, {@code name}, {@code source}, {@code thumbnail},
     * {@code extra}: the unknown keys as a JSON object), then {@code error}.
     */
    public static final StructType METADATA_SCHEMA = new StructType()
            .add("version", IntegerType)
            .add("model", StringType)
            .add("sample_rate", IntegerType)
            .add("channels", IntegerType)
            .add("length", LongType)
            .add("duration_seconds", DoubleType)
            .add("codebooks", IntegerType)
            .add("bandwidth_kbps", DoubleType)
            .add("lm", BooleanType)
            .add("lm_version", StringType)
            .add("lm_checksum", StringType)
            .add("lm_chunk_steps", IntegerType)
            .add("lm_index", BooleanType)
            .add("name", StringType)
            .add("source", StringType)
            .add("thumbnail", StringType)
            .add("extra", StringType)
            .add("error", StringType);

    private static final UserDefinedFunction ENCODE =
            functions.udf((UDF2<byte[], Object, Row>) EcdcRows::encode, ENCODE_SCHEMA).withName("ecdc_encode");
    private static final UserDefinedFunction CODES =
            functions.udf((UDF1<byte[], Row>) EcdcRows::codes, CODES_SCHEMA).withName("ecdc_codes");
    private static final UserDefinedFunction DECODE_WAV =
            functions.udf((UDF1<byte[], Row>) EcdcRows::decodeWav, WAV_SCHEMA).withName("ecdc_decode_wav");
    private static final UserDefinedFunction DECODE_PCM =
            functions.udf((UDF1<byte[], Row>) EcdcRows::decodePcm, PCM_SCHEMA).withName("ecdc_decode_pcm");
    private static final UserDefinedFunction METADATA =
            functions.udf((UDF1<byte[], Row>) EcdcRows::metadata, METADATA_SCHEMA).withName("ecdc_metadata");

    private EncodecFunctions() {}

    /**
     * Registers the SQL functions in the session: {@code ecdc_encode(content, kbps)},
     * {@code ecdc_codes(ecdc)}, {@code ecdc_decode_wav(ecdc)}, {@code ecdc_decode_pcm(ecdc)},
     * {@code ecdc_metadata(ecdc)} (also callable from PySpark, {@code spark.sql} and
     * {@code expr}).
     */
    public static void register(SparkSession spark) {
        for (UserDefinedFunction f : new UserDefinedFunction[] {ENCODE, CODES, DECODE_WAV, DECODE_PCM, METADATA}) {
            spark.udf().register(f.name(), f);
        }
    }

    /** Audio file bytes (WAV, AIFF, AU; any rate, any channels) to an {@code .ecdc} file at 6 kbps ({@link #ENCODE_SCHEMA}). */
    public static Column encode(Column content) {
        return encode(content, DEFAULT_KBPS);
    }

    /**
     * Audio file bytes to an {@code .ecdc} file at {@code kbps} by Encodec-Stream's bitrate rule, as
     * {@code encode -b KBPS} writes it ({@link #ENCODE_SCHEMA}).
     */
    public static Column encode(Column content, double kbps) {
        return encode(content, functions.lit(kbps));
    }

    /** As {@link #encode(Column, double)}, the bitrate (kbps, any number type) from a column. */
    public static Column encode(Column content, Column kbps) {
        return ENCODE.apply(content, kbps);
    }

    /** {@code .ecdc} bytes to their codes, model, rate and scales ({@link #CODES_SCHEMA}); loads no network. */
    public static Column codes(Column ecdc) {
        return CODES.apply(ecdc);
    }

    /** {@code .ecdc} bytes to a 16-bit WAV file of the decoded samples ({@link #WAV_SCHEMA}). */
    public static Column decodeWav(Column ecdc) {
        return DECODE_WAV.apply(ecdc);
    }

    /** {@code .ecdc} bytes to the decoded float samples ({@link #PCM_SCHEMA}). */
    public static Column decodePcm(Column ecdc) {
        return DECODE_PCM.apply(ecdc);
    }

    /** {@code .ecdc} bytes to their header's metadata ({@link #METADATA_SCHEMA}); reads the header only. */
    public static Column metadata(Column ecdc) {
        return METADATA.apply(ecdc);
    }
}
