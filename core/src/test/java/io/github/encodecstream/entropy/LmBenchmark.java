package io.github.encodecstream.entropy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time of the LM coder on one thread, per second of audio: {@code java -cp core/target/classes:core/target/test-classes
 * io.github.encodecstream.entropy.LmBenchmark [checkpoint|random] [codebooks] [frameRate] [seconds] [single|batch]
 * [width]} (defaults: random weights of the 48 kHz LM's shape, 4 codebooks, 150 Hz, i.e. 48 kHz at 6 kbps, 10 s,
 * single). The audio is cut as the files cut it: 1 s segments at 150 Hz (48 kHz), 375-step chunks (5 s) at
 * 75 Hz (24 kHz), each restarting the LM. {@code single} codes them one after the other
 * ({@link LmSegmentEncoder}, {@link LmSegmentDecoder}), {@code batch} with {@link LmBatchEncoder} and
 * {@link LmBatchDecoder} of {@code width} streams per pass (default {@link LmBatchDecoder#BEST_WIDTH}). One
 * warm-up round, then 5 measured rounds; prints each and the medians.
 */
public final class LmBenchmark {
    private static final int ROUNDS = 5;

    private LmBenchmark() {}

    public static void main(String[] args) throws Exception {
        String source = args.length > 0 ? args[0] : "random";
        LmWeights weights = !source.equals("random") ? LmWeights.read(Path.of(source)) : LmWeights.random(1, 16);
        int codebooks = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int frameRate = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String mode = args.length > 4 ? args[4] : "single";
        boolean batch = mode.equals("batch");
        if (!batch && !mode.equals("single")) {
            throw new IllegalArgumentException("mode single or batch, not " + mode);
        }
        int width = args.length > 5 ? Integer.parseInt(args[5]) : batch ? LmBatchDecoder.BEST_WIDTH : 1;
        int past = DeterministicLm.pastContext(frameRate);
        int recordSteps = frameRate == 150 ? 150 : 375;
        int totalSteps = frameRate * seconds;
        List<int[][]> codes = new ArrayList<>();
        for (int start = 0, r = 0; start < totalSteps; start += recordSteps, r++) {
            codes.add(LmHashMain.codes(100 + r, Math.min(recordSteps, totalSteps - start), codebooks));
        }
        int[] steps = codes.stream().mapToInt(c -> c.length).toArray();
        Coder coder = batch ? new BatchCoder(weights, codebooks, past, width) : new SingleCoder(weights, codebooks, past);
        System.out.printf("LmBenchmark %s %d %d %d %s %d: %d records of up to %d steps, past context %d%n",
                source, codebooks, frameRate, seconds, mode, width, codes.size(), recordSteps, past);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] encode = new double[ROUNDS];
        double[] decode = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            List<byte[]> coded = coder.encode(codes);
            long t1 = mx.getCurrentThreadCpuTime();
            List<int[][]> back = coder.decode(coded, steps);
            long t2 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < codes.size(); i++) {
                if (!Arrays.deepEquals(back.get(i), codes.get(i))) {
                    throw new AssertionError("round trip failed");
                }
            }
            long bytes = coded.stream().mapToLong(b -> b.length).sum();
            double e = (t1 - t0) / 1e9 / seconds;
            double d = (t2 - t1) / 1e9 / seconds;
            if (round >= 0) {
                encode[round] = e;
                decode[round] = d;
            }
            System.out.printf("%s: encode %.3f s CPU per s of audio, decode %.3f (%d bytes)%n",
                    round < 0 ? "warm-up" : "round " + round, e, d, bytes);
        }
        System.out.printf("median of %d: encode %.3f s CPU per s of audio, decode %.3f%n", ROUNDS, median(encode),
                median(decode));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private interface Coder {
        List<byte[]> encode(List<int[][]> records);

        List<int[][]> decode(List<byte[]> coded, int[] steps) throws Exception;
    }

    private static final class SingleCoder implements Coder {
        private final LmSegmentEncoder encoder;
        private final LmSegmentDecoder decoder;

        SingleCoder(LmWeights weights, int codebooks, int past) {
            encoder = new LmSegmentEncoder(weights, codebooks, past);
            decoder = new LmSegmentDecoder(weights, codebooks, past);
        }

        @Override
        public List<byte[]> encode(List<int[][]> records) {
            List<byte[]> out = new ArrayList<>();
            for (int[][] r : records) {
                out.add(encoder.encode(r));
            }
            return out;
        }

        @Override
        public List<int[][]> decode(List<byte[]> coded, int[] steps) throws Exception {
            List<int[][]> out = new ArrayList<>();
            for (int i = 0; i < steps.length; i++) {
                out.add(decoder.decode(coded.get(i), steps[i]));
            }
            return out;
        }
    }

    private static final class BatchCoder implements Coder {
        private final int codebooks;
        private final LmBatchEncoder encoder;
        private final LmBatchDecoder decoder;

        BatchCoder(LmWeights weights, int codebooks, int past, int width) {
            this.codebooks = codebooks;
            encoder = new LmBatchEncoder(weights, codebooks, past, width);
            decoder = new LmBatchDecoder(weights, codebooks, past, width);
        }

        @Override
        public List<byte[]> encode(List<int[][]> records) {
            return encoder.encode(records);
        }

        @Override
        public List<int[][]> decode(List<byte[]> coded, int[] steps) throws Exception {
            List<int[][]> out = new ArrayList<>();
            List<LmBatchDecoder.Result> results = decoder.decode(coded, steps);
            for (int i = 0; i < steps.length; i++) {
                int[] flat = results.get(i).codesOrThrow();
                int[][] step = new int[steps[i]][codebooks];
                for (int t = 0; t < steps[i]; t++) {
                    System.arraycopy(flat, t * codebooks, step[t], 0, codebooks);
                }
                out.add(step);
            }
            return out;
        }
    }
}
