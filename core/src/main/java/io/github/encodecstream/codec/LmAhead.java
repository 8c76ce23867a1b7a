package io.github.encodecstream.codec;

import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.entropy.DeterministicLm;
import io.github.encodecstream.entropy.LmBatchDecoder;
import io.github.encodecstream.entropy.LmWeights;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The codes of an entropy-coded file's independent records (48 kHz segments; 24 kHz chunks of
 * {@code encodec-stream-lm/2} files), LM-decoded ahead of the network decode, delivered in order.
 *
 * <p>The reading thread reads each record's coded bytes ({@link Reader}, cheap); the LM runs on
 * them in batches of up to {@link LmBatchDecoder#BEST_WIDTH} records, stepped in lockstep on one
 * thread ({@link LmBatchDecoder}: each weight read once per step for all of them, the codes exactly
 * those of one record at a time). With {@link Workers} the batches run on the worker threads (the
 * thread budget the network shares), {@code window} batches ahead of the reader; without, on the
 * reading thread when their codes are needed. The first {@value #FIRST_BATCH} records after
 * {@link #start(int)} are decoded together on the reading thread, while one batch fewer than the
 * window is queued ahead (a worker stays free for the first record's network run), so that the
 * first audio after an open or a seek waits for a short batch's LM only.
 *
 * <p>Memory is bounded: at most {@code window} batches in flight, each up to
 * {@link LmBatchDecoder#BEST_WIDTH} records' bytes and codes (a 48 kHz segment at 6 kbps: 600
 * codes; a 5 s 24 kHz chunk at 6 kbps: 3 000), and one {@link LmBatchDecoder} per thread running a
 * batch at once (the LM's keys and values per lane: about 4.2 MB at 48 kHz, 2.1 MB at 24 kHz).
 *
 * <p>A record whose bytes are damaged ({@link DamagedRecordException} from the reader), or whose
 * stream does not decode to exactly its steps from exactly its bytes, is delivered as damaged; a
 * cut or other format error ends the records (delivered in its place, nothing read after it).
 * Not thread-safe: one reading thread.
 */
final class LmAhead {
    /** Reads record {@code r}'s coded bytes on the reading thread, in order. */
    interface Reader {
        /**
         * Record {@code r}: its coded bytes and scale (1 without one).
         *
         * @throws DamagedRecordException when its bytes are damaged (the reader is then at the next record)
         * @throws EcdcFormatException when the data ends or the file is broken there
         */
        LmCodeReader.RawSegment read(int r) throws IOException;
    }

    /**
     * A record's codes ({@code [steps * codebooks]}, step-major) and scale; or {@code damage} (its
     * span to be concealed); or {@code end}, the error that ends the records here.
     */
    record Codes(int record, float scale, int[] codes, DamagedRecordException damage, EcdcFormatException end) {}

    /**
     * The records decoded together on the reading thread after {@link #start(int)}: two cost little
     * more than one (one record alone is bound by reading the weights from memory at every step, and
     * the second shares those reads), and a seek needs the next record soon after the first.
     */
    static final int FIRST_BATCH = 2;

    private final int records;
    private final Workers workers;
    private final int window;
    private final Reader reader;
    private final ArrayDeque<Future<List<Codes>>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Codes> ready = new ArrayDeque<>();
    /** One batch decoder per thread running a batch at once. */
    private final CoderPool<LmBatchDecoder> decoders;
    private int nextRead;
    /** The end met (a cut, a broken file), if any: delivered again by every later {@link #next()} until {@link #start(int)}. */
    private Codes end;
    /** Nothing delivered since {@link #start(int)}: the first records go on the reading thread. */
    private boolean fresh = true;

    /**
     * The records of a file of {@code layout} ({@link SegmentLayout#recordCount()}: its segments, or a
     * chunked file's chunks), read by {@code reader}, decoded on {@code workers} (null: on the reading
     * thread) with up to one batch per worker thread ahead.
     */
    LmAhead(LmWeights weights, SegmentLayout layout, Workers workers, Reader reader) {
        int codebooks = layout.codebooks();
        int pastContext = DeterministicLm.pastContext(layout.family().frameRate());
        this.decoders = new CoderPool<>(() -> new LmBatchDecoder(weights, codebooks, pastContext));
        this.records = layout.recordCount();
        this.workers = workers;
        this.window = workers == null ? 1 : Math.max(1, workers.threads());
        this.reader = reader;
    }

    /** Goes to record {@code r}: drops what is in flight; the next {@link #next()} is record {@code r}. */
    void start(int r) {
        drop();
        nextRead = r;
        end = null;
        fresh = true;
    }

    /** Cancels and forgets the batches in flight. */
    void drop() {
        for (Future<List<Codes>> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        ready.clear();
    }

    /**
     * The next record's codes, in order; null after the last record. After an end (a cut, a broken
     * file) is delivered, every later call delivers it again (until {@link #start(int)}): the records
     * after it are not there, which null would say.
     */
    Codes next() throws IOException {
        if (ready.isEmpty() && end != null && inFlight.isEmpty()) {
            return end;
        }
        if (ready.isEmpty()) {
            if (fresh) {
                // the first records, here, while one batch fewer than the window goes ahead on the
                // workers: one worker stays free for the first record's network run (the workers take
                // tasks in order), and the records after it are not waited for serially
                fresh = false;
                List<LmCodeReader.RawSegment> first = new ArrayList<>();
                Codes stop = readBatch(first, FIRST_BATCH);
                if (stop == null) {
                    fillWorkers(window - 1);
                }
                ready.addAll(decode(first, () -> false));
                if (stop != null) {
                    ready.add(stop);
                }
            } else if (workers != null) {
                fillWorkers(window);
                if (!inFlight.isEmpty()) {
                    ready.addAll(Workers.await(inFlight.poll()));
                    fillWorkers(window);
                }
            } else {
                List<LmCodeReader.RawSegment> batch = new ArrayList<>();
                Codes stop = readBatch(batch, LmBatchDecoder.BEST_WIDTH);
                ready.addAll(decode(batch, () -> false));
                if (stop != null) {
                    ready.add(stop);
                }
            }
        }
        return ready.poll();
    }

    /** Keeps up to {@code limit} batches in flight on the workers. */
    private void fillWorkers(int limit) throws IOException {
        while (workers != null && inFlight.size() < limit && end == null && nextRead < records) {
            List<LmCodeReader.RawSegment> batch = new ArrayList<>();
            Codes stop = readBatch(batch, LmBatchDecoder.BEST_WIDTH);
            if (!batch.isEmpty()) {
                // cancelled by a seek (drop): the worker gives the batch up within a step, for the network
                inFlight.add(workers.submit(() -> decode(batch, () -> Thread.currentThread().isInterrupted())));
            }
            if (stop != null) {
                inFlight.add(CompletableFuture.completedFuture(List.of(stop)));
            }
        }
    }

    /**
     * Reads up to {@code max} records into {@code batch}; returns the damaged record or the end
     * that stopped it (after the records before it), or null.
     */
    private Codes readBatch(List<LmCodeReader.RawSegment> batch, int max) throws IOException {
        while (batch.size() < max && nextRead < records && end == null) {
            int r = nextRead++;
            try {
                batch.add(reader.read(r));
            } catch (DamagedRecordException e) {
                return new Codes(r, 0, null, e, null);
            } catch (EcdcFormatException e) {
                end = new Codes(r, 0, null, null, e);
                return end;
            }
        }
        return null;
    }

    /** LM-decodes a batch on this thread, given up once {@code cancelled} says so. */
    private List<Codes> decode(List<LmCodeReader.RawSegment> batch, BooleanSupplier cancelled) {
        List<Codes> out = new ArrayList<>(batch.size());
        if (batch.isEmpty()) {
            return out;
        }
        List<byte[]> coded = new ArrayList<>(batch.size());
        int[] steps = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            coded.add(batch.get(i).coded());
            steps[i] = batch.get(i).steps();
        }
        List<LmBatchDecoder.Result> results = decoders.with(decoder -> decoder.decode(coded, steps, cancelled));
        for (int i = 0; i < batch.size(); i++) {
            LmCodeReader.RawSegment raw = batch.get(i);
            LmBatchDecoder.Result result = results.get(i);
            if (result.ok()) {
                out.add(new Codes(raw.index(), raw.scale(), result.codes(), null, null));
            } else {
                // as LmCodeReader#decodeRecord says it: version 2 a damaged record, version 1 the end
                EcdcFormatException e = LmCodeReader.undecodable(raw.index(), raw.checked(), raw.offset(),
                        raw.startSample(), raw.endSample(), result.failure());
                out.add(e instanceof DamagedRecordException d ? new Codes(raw.index(), 0, null, d, null)
                        : new Codes(raw.index(), 0, null, null, e));
            }
        }
        return out;
    }
}
