package io.github.encodecstream.entropy;

/**
 * The reference's entropy-coding LM ({@code encodec/model.py LMModel} over
 * {@code encodec/modules/transformer.py StreamingTransformerEncoder}), one step at a time, in plain Java
 * arithmetic with one fixed order of operations, so that its probabilities are the same bits on every JVM, CPU
 * and operating system (see {@code docs/LM.md}).
 *
 * <p>Per step: the previous step's codes plus one (zeros at the start) select one embedding per codebook, summed
 * in codebook order; LayerNorm ({@code norm_in}); plus the sinusoidal position embedding (cos half, then sin
 * half, max period 10 000, position = steps since {@link #reset()}); {@code layers} post-norm transformer layers
 * (8-head self-attention over the keys and values of at most {@code pastContext} earlier steps, the reference's
 * initial all-zero state included, then {@code x = norm1(x + attn)}, {@code x = norm2(x + linear2(gelu(linear1 x)))});
 * per codebook a linear head and a softmax.
 *
 * <p>Determinism: float32 multiply-adds accumulated in ascending input order, one accumulator per output (the
 * loops run along outputs, which the JIT may vectorise without changing any value); LayerNorm statistics,
 * softmax and GELU in double with {@link DetMath}'s {@code exp} and {@code erf} and {@link StrictMath}'s
 * {@code sqrt}, {@code pow}, {@code sin}, {@code cos}; no {@code Math} transcendentals, no fused multiply-add,
 * no threads. One instance holds one stream's state: not thread-safe; use one per segment being coded.
 */
public final class DeterministicLm {
    /**
     * The version of this probability model's arithmetic. Any change of the operations or their order that can
     * change one bit of a probability needs a new version (files record it; older versions stay decodable).
     */
    public static final int ARITHMETIC_VERSION = 1;

    private static final int[] LANE = {0};

    private final LmLanes lane;
    private final int[][] previous = new int[1][];
    private final float[][] probabilities = new float[1][];

    /**
     * An LM stream over the first {@code codebooks} codebooks of {@code weights} (a file's codebook count),
     * attending to at most {@code pastContext} earlier steps ({@link #pastContext(int)}).
     */
    public DeterministicLm(LmWeights weights, int codebooks, int pastContext) {
        this.lane = new LmLanes(weights, codebooks, pastContext, 1);
    }

    /** The reference's past context for a frame rate: {@code int(3.5 * frame_rate)} (525 at 150 Hz, 262 at 75 Hz). */
    public static int pastContext(int frameRate) {
        return (7 * frameRate) / 2;
    }

    /** The codebooks this stream predicts. */
    public int codebooks() {
        return lane.codebooks();
    }

    /** Steps taken since the last {@link #reset()}. */
    public long position() {
        return lane.position(0);
    }

    /** Restarts the stream (a new 48 kHz segment): no past, position 0. */
    public void reset() {
        lane.reset(0);
    }

    /**
     * The probabilities of this step's codes, given the previous step's codes ({@code null} at the first step
     * after {@link #reset()}), then advances one step.
     *
     * @param previousCodes the codes of the previous step, {@code [codebooks]}, each in 0..1023; or null
     * @param probabilities out: {@code [codebooks * 1024]}, codebook-major
     */
    public void next(int[] previousCodes, float[] probabilities) {
        previous[0] = previousCodes;
        this.probabilities[0] = probabilities;
        lane.next(LANE, 1, previous, this.probabilities);
    }
}
