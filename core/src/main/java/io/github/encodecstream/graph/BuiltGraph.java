package io.github.encodecstream.graph;

import java.util.List;

/**
 * A network's graph as {@link DecoderGraph} or {@link EncoderGraph} built it, not yet
 * serialised, and for the streaming modes its state tensors.
 *
 * @param graph the graph: {@link OnnxGraphBuilder#build()} serialises it into an array,
 *     {@link OnnxGraphBuilder#write} to a file
 * @param states the state tensors, in order
 */
public record BuiltGraph(OnnxGraphBuilder graph, List<StateSpec> states) {
    /** The serialised model. */
    public byte[] model() {
        return graph.build();
    }
}
