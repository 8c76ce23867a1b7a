package io.github.encodecstream.entropy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * CPU time of the LM coder on one thread, per second of audio: {@code java -cp ... LmBenchmark [checkpoint]
 * [codebooks] [frameRate] [seconds]} (default: random weights of the 48 kHz LM's shape, 4 codebooks, 150 Hz,
 * i.e. 48 kHz at 6 kbps; 10 s). Encodes then decodes one-second segments (restarted each, as at 48 kHz).
 */
public final class LmBenchmark {
    private LmBenchmark() {}

    public static void main(String[] args) throws Exception {
        LmWeights weights = args.length > 0 && !args[0].equals("random")
                ? LmWeights.read(Path.of(args[0])) : LmWeights.random(1, 16);
        int codebooks = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int frameRate = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int past = DeterministicLm.pastContext(frameRate);
        // 48 kHz: segments of one second restart the LM; 24 kHz: one stream
        int segmentSteps = frameRate == 150 ? 150 : frameRate * seconds;
        int segments = frameRate == 150 ? seconds : 1;
        LmSegmentEncoder encoder = new LmSegmentEncoder(weights, codebooks, past);
        LmSegmentDecoder decoder = new LmSegmentDecoder(weights, codebooks, past);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {
            long bytes = 0;
            long t0 = mx.getCurrentThreadCpuTime();
            byte[][] coded = new byte[segments][];
            int[][][] codes = new int[segments][][];
            for (int s = 0; s < segments; s++) {
                codes[s] = LmHashMain.codes(100 + s, segmentSteps, codebooks);
                coded[s] = encoder.encode(codes[s]);
                bytes += coded[s].length;
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int s = 0; s < segments; s++) {
                int[][] back = decoder.decode(coded[s], segmentSteps);
                if (!java.util.Arrays.deepEquals(back, codes[s])) {
                    throw new AssertionError("round trip failed");
                }
            }
            long t2 = mx.getCurrentThreadCpuTime();
            System.out.printf("round %d: %d codebooks at %d Hz, %d s of audio: encode %.3f s CPU per s of audio,"
                            + " decode %.3f s CPU per s of audio (%d bytes)%n", round, codebooks, frameRate, seconds,
                    (t1 - t0) / 1e9 / seconds, (t2 - t1) / 1e9 / seconds, bytes);
        }
    }
}
