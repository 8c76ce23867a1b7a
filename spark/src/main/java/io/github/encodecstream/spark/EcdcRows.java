package io.github.encodecstream.spark;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcCodes;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.EncoderOptions;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.codec.PcmEncoder;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.format.UnsupportedEcdcFeatureException;
import io.github.encodecstream.sound.PcmSource;
import io.github.encodecstream.sound.PcmWriter;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.store.ModelStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * What each function does to one cell, on the executor: the core's encoder, code reader and
 * decoder on the cell's bytes, with the models of {@link ExecutorModels}. A failure becomes a row
 * whose fields are null but {@code error}, with the message the command line prints for the same
 * input (after its {@code encodec-stream: INPUT: }), or, in fail-fast mode
 * ({@link EncodecFunctions#FAIL_FAST}), an {@link EcdcRowException} that fails the task.
 */
final class EcdcRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EcdcRows() {}

    /** One function's work on a cell; a {@link RowFailure} carries the complete message. */
    private interface Work {
        Row run() throws Exception;
    }

    /** A failure with the command line's message. */
    private static final class RowFailure extends IOException {
        private static final long serialVersionUID = 1L;

        RowFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code ecdc_encode}: audio file bytes to an {@code .ecdc} file at {@code kbps} ({@code encode -b}). */
    static Row encode(byte[] audio, Object kbps) {
        if (audio == null) {
            return null;
        }
        return guarded(EncodecFunctions.ENCODE_SCHEMA, () -> {
            EncoderOptions options = options(kbps);
            PcmSource pcm = PcmSource.open(new ByteArrayInputStream(audio));
            long total = pcm.frames();
            if (total >= 0 && !PcmEncoder.fits(total, pcm.sampleRate(), options)) {
                throw new RowFailure(PcmEncoder.tooLongMessage(total, pcm.sampleRate(), options), null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, audio.length / 16));
            EcdcHeader header;
            try (PcmEncoder encoder = create(out, options, pcm)) {
                for (int frames = pcm.read(); frames >= 0; frames = pcm.read()) {
                    encoder.write(pcm.samples(), 0, frames);
                }
                header = encoder.finish();
            } catch (PcmEncoder.InputException | IllegalStateException e) { // NaN, infinity, too long
                throw new RowFailure(message(e), e);
            } catch (RowFailure e) {
                throw e;
            } catch (IOException e) {
                throw new RowFailure("encoding failed: " + message(e), e);
            }
            return RowFactory.create(out.toByteArray(), header.metadata().model(),
                    header.metadata().effectiveSampleRate(), null);
        });
    }

    /** {@code ecdc_codes}: the file's codes, codebook-major over all steps, with the segments' steps and scales. */
    static Row codes(byte[] ecdc) {
        if (ecdc == null) {
            return null;
        }
        return guarded(EncodecFunctions.CODES_SCHEMA, () -> {
            try (EcdcCodes codes = EcdcCodes.open(ByteSource.of(ecdc), ExecutorModels.get())) {
                EcdcMetadata m = codes.header().metadata();
                int segments = codes.segmentCount();
                int[] segmentSteps = new int[segments];
                int total = 0;
                for (int s = 0; s < segments; s++) {
                    segmentSteps[s] = codes.steps(s);
                    total += segmentSteps[s];
                }
                short[][] out = new short[m.codebooks()][total];
                float[] scales = m.family() == ModelFamily.ENCODEC_48KHZ ? new float[segments] : null; // 24 kHz: none
                int at = 0;
                for (EcdcCodes.Block b = codes.read(4096); b != null; b = codes.read(4096)) {
                    for (int step = 0; step < b.steps(); step++) {
                        for (int k = 0; k < b.codebooks(); k++) {
                            out[k][at + step] = (short) b.code(step, k);
                        }
                    }
                    at += b.steps();
                    if (scales != null) {
                        scales[b.segment()] = b.scale();
                    }
                }
                return RowFactory.create(m.model(), m.effectiveSampleRate(), m.codebooks(), out, segmentSteps, scales,
                        null);
            }
        });
    }

    /** {@code ecdc_decode_wav}: the decoded samples as a 16-bit WAV file ({@code decode --native --format wav}). */
    static Row decodeWav(byte[] ecdc) {
        if (ecdc == null) {
            return null;
        }
        return guarded(EncodecFunctions.WAV_SCHEMA, () -> {
            try (EcdcDecoder decoder = openDecoder(ecdc)) {
                int rate = decoder.header().metadata().effectiveSampleRate();
                int channels = decoder.channels();
                long length = decoder.length();
                ByteArrayOutputStream out = new ByteArrayOutputStream(
                        (int) Math.min(Integer.MAX_VALUE - 8, PcmWriter.WAV_HEADER + length * channels * 2));
                PcmWriter writer = PcmWriter.open(PcmWriter.Format.wav, out, rate, channels, length);
                for (float[] chunk = read(decoder); chunk != null; chunk = read(decoder)) {
                    writer.write(chunk);
                }
                byte[] wav = out.toByteArray();
                if (writer.frames() != length) { // as decode patches its header when fewer samples came
                    byte[] header = PcmWriter.wavHeader(rate, channels, writer.frames());
                    System.arraycopy(header, 0, wav, 0, header.length);
                }
                return RowFactory.create(wav, rate, channels, null);
            }
        });
    }

    /** {@code ecdc_decode_pcm}: the decoded samples as floats, channels interleaved, at the file's rate. */
    static Row decodePcm(byte[] ecdc) {
        if (ecdc == null) {
            return null;
        }
        return guarded(EncodecFunctions.PCM_SCHEMA, () -> {
            try (EcdcDecoder decoder = openDecoder(ecdc)) {
                int channels = decoder.channels();
                float[] pcm = new float[(int) Math.min(Integer.MAX_VALUE - 8, decoder.length() * channels)];
                int n = 0;
                for (float[] chunk = read(decoder); chunk != null; chunk = read(decoder)) {
                    if (n + chunk.length > pcm.length) {
                        pcm = Arrays.copyOf(pcm, Math.max(2 * pcm.length, n + chunk.length));
                    }
                    System.arraycopy(chunk, 0, pcm, n, chunk.length);
                    n += chunk.length;
                }
                return RowFactory.create(n == pcm.length ? pcm : Arrays.copyOf(pcm, n),
                        decoder.header().metadata().effectiveSampleRate(), channels, null);
            }
        });
    }

    /** {@code ecdc_metadata}: the header, as {@code info --json} describes it. */
    static Row metadata(byte[] ecdc) {
        if (ecdc == null) {
            return null;
        }
        return guarded(EncodecFunctions.METADATA_SCHEMA, () -> {
            EcdcHeader header = EcdcHeader.read(new ByteArrayInputStream(ecdc));
            EcdcMetadata m = header.metadata();
            ObjectNode extra = JSON.createObjectNode();
            m.extra().forEach(extra::set);
            return RowFactory.create(header.version(), m.model(), m.effectiveSampleRate(), m.family().channels(),
                    m.audioLength(), m.durationSeconds(), m.codebooks(), m.bandwidthKbps(), m.lm(), m.lmVersion(),
                    m.lmChecksum(), m.lmChunkSteps(), m.lm() ? (Boolean) m.hasLmIndex() : null, m.name(), m.source(),
                    m.thumbnail(), JSON.writeValueAsString(extra), null);
        });
    }

    /** Encodec-Stream's bitrate rule, as {@code encode -b KBPS}. */
    private static EncoderOptions options(Object kbps) throws RowFailure {
        if (!(kbps instanceof Number)) {
            throw new RowFailure("kbps must be a positive number of kbps, got " + kbps, null);
        }
        double b = ((Number) kbps).doubleValue();
        if (!(b > 0 && b < Double.POSITIVE_INFINITY)) {
            throw new RowFailure("kbps must be a positive number of kbps, got " + b, null);
        }
        try {
            return EncoderOptions.forBitrate(b).withModels(ExecutorModels.get());
        } catch (IllegalArgumentException e) {
            throw new RowFailure(message(e), e);
        }
    }

    /** The encoder with its model loaded, failing as the command line's {@code encode} does. */
    private static PcmEncoder create(ByteArrayOutputStream out, EncoderOptions options, PcmSource pcm)
            throws IOException {
        try {
            return PcmEncoder.create(out, options, pcm.sampleRate(), pcm.channels());
        } catch (ModelStore.ModelNotFoundException e) {
            throw new RowFailure(message(e), e);
        } catch (IllegalArgumentException e) {
            throw new RowFailure(message(e), e);
        } catch (IOException | RuntimeException e) {
            throw new RowFailure("cannot load model " + options.family().fileName() + ": " + message(e), e);
        }
    }

    /** A decoder of the cell with its model loaded, failing as the command line's {@code decode} does. */
    private static EcdcDecoder openDecoder(byte[] ecdc) throws IOException {
        Models models = ExecutorModels.get();
        EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(ecdc),
                DecoderOptions.builder().models(models).build());
        try {
            decoder.header().requireCodesDecodable();
            decoder.loadModel();
            return decoder;
        } catch (UnsupportedEcdcFeatureException | ModelStore.ModelNotFoundException e) {
            decoder.close();
            throw new RowFailure(message(e), e);
        } catch (IOException | RuntimeException e) {
            decoder.close();
            throw new RowFailure("cannot load model " + decoder.header().metadata().model() + ": " + message(e), e);
        }
    }

    /** The next chunk, cut to the file's length; inference errors as {@code decode} reports them. */
    private static float[] read(EcdcDecoder decoder) throws IOException {
        long left = (decoder.length() - decoder.position()) * decoder.channels();
        float[] chunk;
        try {
            chunk = left > 0 ? decoder.read() : null;
        } catch (IOException e) {
            throw e.getCause() instanceof OrtException ? new RowFailure("decoding failed: " + message(e), e) : e;
        }
        return chunk == null || chunk.length <= left ? chunk : Arrays.copyOf(chunk, (int) left);
    }

    /** Runs the work: a failure becomes an error row, or an {@link EcdcRowException} when failing fast. */
    private static Row guarded(StructType schema, Work work) {
        try {
            return work.run();
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String message = message(e);
            if (failFast()) {
                throw new EcdcRowException(message, e);
            }
            Object[] values = new Object[schema.size()];
            values[schema.fieldIndex("error")] = message;
            return RowFactory.create(values);
        }
    }

    /** Whether {@link EncodecFunctions#FAIL_FAST} is set for this task (the session's SQL conf) or this executor. */
    static boolean failFast() {
        TaskContext task = TaskContext.get();
        String value = task == null ? null : task.getLocalProperty(EncodecFunctions.FAIL_FAST);
        if (value == null) {
            SparkEnv env = SparkEnv.get();
            value = env == null ? null : env.conf().get(EncodecFunctions.FAIL_FAST, null);
        }
        return Boolean.parseBoolean(value);
    }

    /** The exception's message on one line (its class name when it has none), as the command line prints it. */
    static String message(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "): give the executors more memory";
        }
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.toString() : m).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
