package io.github.encodecstream.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.graph.StateSpec;
import io.github.encodecstream.model.Codebooks;
import io.github.encodecstream.runtime.SessionFactory;
import io.github.encodecstream.runtime.StartupTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One network of a model (its decoder or its encoder) loaded into ONNX Runtime, as
 * {@link DecoderModel} and {@link EncoderModel} hold it: the codebooks, and either the segment
 * session (the non-causal 48 kHz model) or the start and step sessions and the step's state
 * tensors (the causal 24 kHz model). {@link ModelCache} makes it from a prepared model directory.
 *
 * <p>The step session is created on first use: a stream of one chunk (a short file) never needs
 * it. Thread-safe; closing closes the sessions.
 */
public final class NetworkSessions implements AutoCloseable {
    private final String name;
    private final Codebooks codebooks;
    private final OrtSession segment;
    private final OrtSession start;
    private final List<StateSpec> states;
    private final SessionFactory factory;
    private final Path stepFile;
    private OrtSession step;
    private boolean closed;

    private NetworkSessions(String name, Codebooks codebooks, OrtSession segment, OrtSession start, Path stepFile,
            OrtSession step, List<StateSpec> states, SessionFactory factory) {
        this.name = name;
        this.codebooks = Objects.requireNonNull(codebooks, "codebooks");
        this.segment = segment;
        this.start = start;
        this.stepFile = stepFile;
        this.step = step;
        this.states = List.copyOf(states);
        this.factory = factory;
    }

    /** A non-causal network: one session for whole segments. */
    static NetworkSessions segment(String name, Codebooks codebooks, OrtSession segment) {
        return new NetworkSessions(name, codebooks, Objects.requireNonNull(segment, "segment"), null, null, null,
                List.of(), null);
    }

    /**
     * A causal network: the start session now, the step session from {@code stepFile} when first
     * asked for (the file must stay until then).
     */
    static NetworkSessions causal(String name, Codebooks codebooks, OrtSession start, Path stepFile,
            List<StateSpec> states, SessionFactory factory) {
        return new NetworkSessions(name, codebooks, null, Objects.requireNonNull(start, "start"),
                Objects.requireNonNull(stepFile, "stepFile"), null, states, Objects.requireNonNull(factory, "factory"));
    }

    /** A causal network whose sessions are both loaded. */
    static NetworkSessions causal(String name, Codebooks codebooks, OrtSession start, OrtSession step,
            List<StateSpec> states) {
        return new NetworkSessions(name, codebooks, null, Objects.requireNonNull(start, "start"), null,
                Objects.requireNonNull(step, "step"), states, null);
    }

    /** The codebooks. */
    Codebooks codebooks() {
        return codebooks;
    }

    /** Whether this is the causal (start and step) network. */
    boolean causal() {
        return segment == null;
    }

    /** The segment session; null for a causal network. */
    OrtSession segment() {
        return segment;
    }

    /** The session for a causal stream's first chunk; null for a non-causal network. */
    OrtSession start() {
        return start;
    }

    /**
     * The session for a causal stream's later chunks, created on the first call; null for a
     * non-causal network.
     *
     * @throws IllegalStateException when closed (the models were closed)
     */
    synchronized OrtSession step() throws IOException {
        if (closed) {
            throw RunLimit.closedException();
        }
        if (step == null && stepFile != null) {
            step = StartupTrace.time("session " + name + " step", () -> factory.create(stepFile));
        }
        return step;
    }

    /** The step graph's state tensors, in order; empty for a non-causal network. */
    List<StateSpec> states() {
        return states;
    }

    /** Whether {@link #close()} has run (its sessions are closed then). */
    synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        OrtException failed = null;
        for (OrtSession s : new OrtSession[] {segment, start, step}) {
            if (s != null) {
                try {
                    s.close();
                } catch (OrtException e) {
                    failed = failed == null ? e : failed;
                }
            }
        }
        step = null;
        if (failed != null) {
            throw failed;
        }
    }
}
