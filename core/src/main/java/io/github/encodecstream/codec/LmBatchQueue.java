package io.github.encodecstream.codec;

import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.entropy.LmBatchDecoder;
import io.github.encodecstream.entropy.LmBatchEncoder;
import io.github.encodecstream.entropy.LmWeights;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The encoder's entropy coding of independent records (48 kHz segments, 24 kHz LM chunks): records
 * are gathered in order into batches of up to {@link LmBatchDecoder#BEST_WIDTH}, each batch coded on
 * one thread in lockstep ({@link LmBatchEncoder}: each weight read once per step for all its records,
 * about half the CPU of coding them one at a time; the bytes are exactly those of one record at a
 * time), on the workers when there are any (at most one batch per worker in flight), else on the
 * calling thread, and handed to the {@link Sink} in record order.
 *
 * <p>Memory: the batch being gathered, the batches in flight, and one {@link LmBatchEncoder} per
 * thread coding at once (the LM's keys and values per lane: about 4.2 MB at 48 kHz, 2.1 MB at 24 kHz),
 * made when first needed and dropped with this queue. Not thread-safe: one writing thread.
 *
 * @param <T> what the sink needs to write a record besides its coded bytes (e.g. its scale)
 */
final class LmBatchQueue<T> {
    /** Writes one coded record, in order. */
    interface Sink<T> {
        void write(T record, byte[] coded) throws IOException;
    }

    private record Batch<T>(List<T> records, Future<List<byte[]>> coded) {}

    private final Workers workers;
    private final Sink<T> sink;
    private List<T> records = new ArrayList<>();
    private List<int[][]> codes = new ArrayList<>();
    private final ArrayDeque<Batch<T>> inFlight = new ArrayDeque<>();
    /** One coder per thread that codes a batch at once. */
    private final CoderPool<LmBatchEncoder> coders;

    /**
     * Records of {@code codebooks} codebooks, the LM's past context {@code pastContext}, coded on
     * {@code workers} (null: on the calling thread) and written to {@code sink}.
     */
    LmBatchQueue(LmWeights weights, int codebooks, int pastContext, Workers workers, Sink<T> sink) {
        this.coders = new CoderPool<>(() -> new LmBatchEncoder(weights, codebooks, pastContext));
        this.workers = workers;
        this.sink = sink;
    }

    /** The next record: its codes {@code [steps][codebooks]}; coded once its batch is full or at {@link #finish()}. */
    void add(T record, int[][] stepMajorCodes) throws IOException {
        records.add(record);
        codes.add(stepMajorCodes);
        if (records.size() == LmBatchDecoder.BEST_WIDTH) {
            submit();
        }
    }

    /** Codes what is gathered and writes every record still in flight. */
    void finish() throws IOException {
        if (!records.isEmpty()) {
            submit();
        }
        drain(0);
    }

    /** Cancels the batches in flight (their records are not written). */
    void cancel() {
        for (Batch<T> b : inFlight) {
            b.coded().cancel(true);
        }
        inFlight.clear();
    }

    private void submit() throws IOException {
        List<T> batch = records;
        List<int[][]> batchCodes = codes;
        records = new ArrayList<>();
        codes = new ArrayList<>();
        if (workers == null) {
            write(batch, code(batchCodes));
            return;
        }
        inFlight.add(new Batch<>(batch, workers.submit(() -> code(batchCodes))));
        drain(workers.threads());
    }

    /** Writes the oldest batches until at most {@code keep} are in flight. */
    private void drain(int keep) throws IOException {
        while (inFlight.size() > keep) {
            Batch<T> b = inFlight.poll();
            write(b.records(), Workers.await(b.coded()));
        }
    }

    private void write(List<T> batch, List<byte[]> coded) throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            sink.write(batch.get(i), coded.get(i));
        }
    }

    /** Codes a batch on this thread with a coder of the pool. */
    private List<byte[]> code(List<int[][]> batch) {
        return coders.with(coder -> coder.encode(batch));
    }
}
