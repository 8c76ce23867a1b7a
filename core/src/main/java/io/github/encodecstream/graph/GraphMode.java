package io.github.encodecstream.graph;

/**
 * Which variant of a network {@link DecoderGraph} and {@link EncoderGraph} build: the 48 kHz
 * model's whole segments, or the 24 kHz model's causal stream, whose first chunk reflect-pads the
 * start of the signal and whose later chunks take the state the chunk before left.
 */
public enum GraphMode {
    /** The non-causal 48 kHz model on one whole segment. */
    SEGMENT,
    /** The causal model on the first chunk of a stream: outputs the state the next chunk needs. */
    STREAM_START,
    /** The causal model on a later chunk, taking that state: outputs the next state. */
    STREAM_STEP
}
