package io.github.encodecstream.graph;

/**
 * One tensor of a streaming graph's state, shape {@code [1, channels, length]}: a convolution's
 * left context, an LSTM layer's h or c, a transposed convolution's tail. The step graph takes it
 * as input {@link #input()} and every streaming graph outputs its next value as {@link #output()}.
 */
public record StateSpec(String name, long channels, long length) {
    /** Prefix of the state inputs of {@link GraphMode#STREAM_STEP}. */
    public static final String STATE_IN = "state_in_";
    /** Prefix of the state outputs of the streaming graphs. */
    public static final String STATE_OUT = "state_out_";

    /** The step graph's input name. */
    public String input() {
        return STATE_IN + name;
    }

    /** The graph's output name. */
    public String output() {
        return STATE_OUT + name;
    }
}
