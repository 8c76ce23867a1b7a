package io.github.encodecstream.codec;

import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.source.ByteSource;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Future;

/**
 * The causal 24 kHz model: one stream of frames decoded chunk by chunk with explicit state
 * ({@link CausalFrameDecoder}), equal to decoding the whole file at once. A seek starts a fresh
 * stream {@link DecoderOptions#prerollFrames()} frames before the target (from the start with
 * {@link DecoderOptions#exactSeek()}), reading the codes from that frame's byte offset. An
 * entropy-coded file of version 2 is coded in independent chunks ({@link ChunkCodes}): the reader
 * opens at the chunk holding the pre-roll's first frame and the LM decodes that chunk from its
 * start, so a seek costs at most one chunk of LM time plus the pre-roll, wherever it lands; the
 * chunks after it are LM-decoded ahead of the network ({@link LmAhead}). A version 1 file is one
 * stream without byte offsets: the LM decodes the codes from the start of the stream up to the
 * pre-roll (its cost grows with the position); a forward seek reads the LM on from where it is
 * (cost: the distance; possible on forward-only sources too).
 *
 * <p>With more than one worker the stream is cut into spans decoded at once. Each span after the
 * first starts from a fresh state a pre-roll ({@link DecoderOptions#prerollFrames()}, at least
 * {@value CausalFrameDecoder#MIN_FIRST_FRAMES} frames) before it, and the state it reaches at its
 * start is compared with the state the previous span ended in: where any value differs by more
 * than {@value #STATE_TOLERANCE}, the span is decoded again from the previous span's end state,
 * so the result does not rest on how fast a network forgets (a trained LSTM may remember longer
 * than the test weights). Spans are delivered in order; memory is bounded by two spans per worker.
 * A stream's first span is only a pre-roll long (0.67 s), so that playback starts without waiting
 * for a whole span.
 *
 * <p>A damaged chunk ({@link DamagedRecordException}, entropy-coded files of version 2) is, with
 * {@link Damage#CONCEAL}, output as silence over its span; decoding resumes at the next chunk with
 * a fresh state ("restarts from silence", as a seek to there without pre-roll: the chunk before
 * is lost), its first {@value Fade#MILLISECONDS} ms faded in. For such files the codes are read
 * one network run ahead of the audio (both modes; files without checksums read no further than
 * they decode), so the damage is known before the audio just before the span is delivered: its
 * last {@value Fade#MILLISECONDS} ms are faded out. Everything else is the
 * undamaged decode's audio; after the span it converges to it as after a seek's pre-roll. With
 * {@link Damage#FAIL} the damage ends the decoding as a cut (no fade).
 */
final class CausalPath extends DecodePath {
    /** The largest difference of any state value for which a pre-rolled span is kept. */
    static final double STATE_TOLERANCE = 1e-6;
    /** Span length bounds in frames (2 s to 10 s). */
    static final int MIN_SPAN = 150;
    static final int MAX_SPAN = 750;

    private final DecoderOptions options;
    private final long totalFrames;
    private CausalFrameDecoder causal;
    private long nextFrame;
    /** The frame the next codes are read for (sequential mode: after {@link #ahead}). */
    private long readFrame;
    /** The frame where the stream restarts from silence after a concealed chunk: faded in; -1: none. */
    private long fadeInFrame = -1;
    /** Sequential mode: the next network run's codes, read ahead of the audio; null: none read. */
    private Ahead ahead;
    // parallel mode
    private final ArrayDeque<Span> inFlight = new ArrayDeque<>();
    /** The frame the current stream started at (fresh state). */
    private long streamStart;
    /** The codes of the frames before readFrame, for the next span's pre-roll. */
    private int[] lastCodes = new int[0];
    private CausalFrameDecoder.Snapshot endState;
    /** Counters for tests and benchmarks: spans kept, spans decoded again. */
    private long kept;
    private long redone;

    CausalPath(ByteSource source, SegmentLayout layout, long headerEnd, DecoderOptions options) {
        super(source, layout, headerEnd, options.damage());
        this.options = options;
        this.totalFrames = layout.segmentCount() == 0 ? 0 : layout.segment(0).steps();
    }

    @Override
    String workerName() {
        return "spans";
    }

    @Override
    Block next() throws IOException {
        if (nextFrame >= totalFrames) {
            return null;
        }
        if (reader == null) {
            openReader(stepOffset((int) nextFrame));
            reader.beginSegment(0, (int) nextFrame);
            startStream();
        }
        return workers == null ? nextChunk() : nextSpan();
    }

    /**
     * Codes read ahead of the network (sequential mode); {@code stop}: what ended them early (a
     * cut, or a damaged chunk), met after them.
     */
    private record Ahead(int[] codes, int steps, EcdcFormatException stop) {}

    private Block nextChunk() throws IOException {
        Ahead current = ahead != null ? ahead : readAhead();
        ahead = null;
        EcdcFormatException stop = current.stop();
        if (current.steps() == 0) {
            if (stop instanceof DamagedRecordException d && damage == Damage.CONCEAL) {
                return concealed(d, nextFrame);
            }
            if (stop != null) {
                recordFailure(stop);
                throw stop;
            }
            return null;
        }
        int got = current.steps();
        long start = nextFrame * family.hop();
        boolean fadeIn = nextFrame == fadeInFrame;
        nextFrame += got;
        if (stop instanceof DamagedRecordException d && damage == Damage.CONCEAL) {
            ahead = new Ahead(null, 0, d); // its silence comes next
        } else if (stop != null) {
            recordFailure(stop); // thrown once this block is out
        } else if (nextFrame < totalFrames && layout.hasChecksums()) {
            // so that a damaged chunk right after this run is known before its audio goes out (only files with
            // checksums report damage: others read no further than they decode)
            ahead = readAhead();
        }
        // before a damaged chunk the run keeps its full length (the lost frames' codes zeros, their
        // audio dropped), so that the network's arithmetic, and the audio before the span, is the
        // undamaged decode's bit for bit
        int run = stop instanceof DamagedRecordException ? current.codes().length / layout.codebooks() : got;
        float[] audio = causal.decode(embed(current.codes(), run), run);
        int samples = got * family.hop();
        boolean fadeOut = ahead != null && ahead.steps() == 0 && ahead.stop() instanceof DamagedRecordException;
        fadeEdges(audio, run * family.hop(), samples, fadeIn, fadeOut);
        return new Block(audio, run * family.hop(), start, start + samples);
    }

    /** Reads the next network run's codes (sequential mode); a damaged chunk there is skipped past. */
    private Ahead readAhead() throws IOException {
        int want = options.chunkFrames();
        if (readFrame == streamStart || readFrame == fadeInFrame) { // a fresh stream's first run
            want = Math.max(want, CausalFrameDecoder.MIN_FIRST_FRAMES);
        }
        want = (int) Math.min(want, totalFrames - readFrame);
        int[] codes = new int[want * layout.codebooks()];
        Run run = readRun(codes, 0, want);
        readFrame += run.steps();
        if (run.stop() instanceof DamagedRecordException d) {
            readFrame = endFrame(d);
        }
        return new Ahead(codes, run.steps(), run.stop());
    }

    /** The frame after a damaged chunk's span: where decoding resumes. */
    private long endFrame(DamagedRecordException e) {
        return Math.min(totalFrames, (e.endSample() + family.hop() - 1) / family.hop());
    }

    /**
     * The silence of a concealed chunk from frame {@code from} (where the audio delivered ends) to
     * the end of its span, after which a fresh stream starts, faded in.
     */
    private Block concealed(DamagedRecordException e, long from) throws IOException {
        conceal(e);
        long end = endFrame(e);
        int samples = (int) ((end - from) * family.hop());
        long start = from * family.hop();
        nextFrame = end;
        fadeInFrame = end;
        causal = new CausalFrameDecoder(model);
        return new Block(new float[family.channels() * Math.max(samples, 0)], Math.max(samples, 0), start,
                start + Math.max(samples, 0));
    }

    /** The fades around a concealed span, on a run's audio (with {@link Damage#CONCEAL} only). */
    private void fadeEdges(float[] audio, int stride, int samples, boolean fadeIn, boolean fadeOut) {
        int n = Fade.samples(family.sampleRate());
        if (fadeIn) {
            Fade.in(audio, family.channels(), stride, samples, n);
        }
        if (fadeOut && damage == Damage.CONCEAL) {
            Fade.out(audio, family.channels(), stride, samples, n);
        }
    }

    /**
     * A span of frames {@code [start, start + frames)} decoded from a fresh state at
     * {@code start - preroll}; {@code cut}: where the file ended inside it (its frames are those
     * before the cut); or, {@code damage} set, a concealed chunk's silence of {@code frames}.
     * {@code run}: the frames decoded, more than {@code frames} where a damaged chunk cut the span
     * short (the lost frames' codes zeros, their audio dropped: the network runs keep the
     * undamaged decode's lengths, so the audio before the damage is the same bit for bit).
     */
    private record Span(long start, int frames, int run, int preroll, int[] codes, Future<Decoded> result,
            EcdcFormatException cut, DamagedRecordException damage) {}

    /** A span's audio, the state at its start (after the pre-roll; null without one) and at its end. */
    private record Decoded(float[] audio, CausalFrameDecoder.Snapshot startState, CausalFrameDecoder.Snapshot endState) {}

    private Block nextSpan() throws IOException {
        fill();
        Span span = inFlight.poll();
        if (span == null) {
            return null;
        }
        if (span.damage() != null) {
            endState = null;
            return concealed(span.damage(), span.start());
        }
        if (span.frames() == 0) {
            inFlight.clear();
            recordFailure(span.cut());
            throw span.cut();
        }
        Decoded decoded = Workers.await(span.result());
        if (span.preroll() > 0 && decoded.startState().distance(endState) > STATE_TOLERANCE) {
            redone++;
            decoded = decodeFrom(span, endState); // from the true state, on this thread
        } else if (span.preroll() > 0) {
            kept++;
        }
        endState = decoded.endState();
        if (span.cut() != null) {
            inFlight.clear();
            recordFailure(span.cut());
        } else {
            fill(); // so that a damaged chunk right after this span is known before its audio goes out
        }
        long start = span.start() * family.hop();
        nextFrame = span.start() + span.frames();
        int samples = span.frames() * family.hop();
        int stride = span.run() * family.hop();
        float[] audio = decoded.audio();
        boolean fadeOut = !inFlight.isEmpty() && inFlight.peek().damage() != null;
        if (span.start() == fadeInFrame || fadeOut) {
            audio = audio.clone(); // the decoded state is kept for comparison; the audio is ours
            fadeEdges(audio, stride, samples, span.start() == fadeInFrame, fadeOut);
        }
        return new Block(audio, stride, start, start + samples);
    }

    /** Reads the codes of the next spans and starts decoding them, up to two spans per worker. */
    private void fill() throws IOException {
        while (inFlight.size() < 2 * workers.threads() && readFrame < totalFrames
                && (inFlight.isEmpty() || inFlight.peekLast().cut() == null)) {
            // the stream's first span is short, so that its first audio comes at once (a player's start)
            int frames = (int) Math.min(readFrame == streamStart ? prerollLength() : spanLength(), totalFrames - readFrame);
            int preroll = (int) Math.min(readFrame - streamStart, prerollLength());
            int k = layout.codebooks();
            int[] codes = new int[(preroll + frames) * k];
            System.arraycopy(lastCodes, lastCodes.length - preroll * k, codes, 0, preroll * k);
            Run read = readRun(codes, preroll, frames);
            int got = read.steps();
            EcdcFormatException cut = read.stop();
            EcdcFormatException runStop = cut;
            DamagedRecordException damaged = cut instanceof DamagedRecordException d && damage == Damage.CONCEAL ? d : null;
            if (damaged != null) {
                cut = null;
            }
            if (got > 0 || cut != null) {
                int run = runStop instanceof DamagedRecordException ? frames : got;
                int[] used = got == frames || run == frames ? codes : Arrays.copyOf(codes, (preroll + got) * k);
                Future<Decoded> result = got == 0 ? null : workers.submit(() -> decodeFresh(used, preroll, run));
                inFlight.add(new Span(readFrame, got, run, preroll, used, result, cut, null));
                int keep = (int) Math.min(readFrame + got - streamStart, prerollLength());
                lastCodes = Arrays.copyOfRange(used, (preroll + got - keep) * k, (preroll + got) * k);
                readFrame += got;
            }
            if (damaged != null) { // its silence, then a fresh stream at the next chunk
                long end = endFrame(damaged);
                int silence = (int) (end - readFrame);
                inFlight.add(new Span(readFrame, silence, silence, 0, null, null, null, damaged));
                readFrame = end;
                streamStart = end;
                lastCodes = new int[0];
            }
        }
    }

    /** Frames decoded before a span to settle the state: the pre-roll, at least a first chunk's minimum. */
    private int prerollLength() {
        return Math.max(options.prerollFrames(), CausalFrameDecoder.MIN_FIRST_FRAMES);
    }

    /** Decodes a span again from a known state: no pre-roll. */
    private Decoded decodeFrom(Span span, CausalFrameDecoder.Snapshot from) throws IOException {
        int k = layout.codebooks();
        int[] codes = Arrays.copyOfRange(span.codes(), span.preroll() * k, span.codes().length);
        CausalFrameDecoder decoder = CausalFrameDecoder.resume(model, from);
        float[] audio = decodeInChunks(decoder, codes, span.run());
        return new Decoded(audio, from, decoder.snapshot());
    }

    /**
     * Decodes a span from a fresh state (the stream's start, or a pre-roll before the span): the
     * pre-roll first, then the span in chunks.
     */
    private Decoded decodeFresh(int[] codes, int preroll, int frames) throws IOException {
        int k = layout.codebooks();
        CausalFrameDecoder decoder = new CausalFrameDecoder(model);
        CausalFrameDecoder.Snapshot start = null;
        if (preroll > 0) {
            decoder.decode(embed(Arrays.copyOfRange(codes, 0, preroll * k), preroll), preroll);
            start = decoder.snapshot();
        }
        float[] audio = decodeInChunks(decoder, Arrays.copyOfRange(codes, preroll * k, codes.length), frames);
        return new Decoded(audio, start, decoder.snapshot());
    }

    /**
     * Runs a span through a decoder in runs of {@link DecoderOptions#chunkFrames()} frames (the
     * first of a fresh stream at least {@value CausalFrameDecoder#MIN_FIRST_FRAMES}), so that a
     * network run's activations stay those of one chunk, not of the whole span.
     */
    private float[] decodeInChunks(CausalFrameDecoder decoder, int[] codes, int frames) throws IOException {
        int k = layout.codebooks();
        int hop = family.hop();
        float[] audio = new float[frames * hop];
        for (int done = 0; done < frames; ) {
            int n = Math.min(frames - done, decoder.atStart()
                    ? Math.max(options.chunkFrames(), CausalFrameDecoder.MIN_FIRST_FRAMES) : options.chunkFrames());
            float[] chunk = decoder.decode(embed(Arrays.copyOfRange(codes, done * k, (done + n) * k), n), n);
            System.arraycopy(chunk, 0, audio, done * hop, n * hop);
            done += n;
        }
        return audio;
    }

    /** Frames per span: the rest split over two spans per worker, within the bounds. */
    private int spanLength() {
        long rest = totalFrames - readFrame;
        long even = (rest + 2L * workers.threads() - 1) / (2L * workers.threads());
        return (int) Math.max(Math.max(MIN_SPAN, options.prerollFrames()), Math.min(MAX_SPAN, even));
    }

    @Override
    void seek(long sample, long position) throws IOException {
        long frame = sample / family.hop();
        long from = options.exactSeek() ? 0 : Math.max(0, frame - options.prerollFrames());
        // ahead within the codes already read (spans in flight): the stream goes on, exact, rather
        // than restart behind what a forward-only source has already given
        boolean continues = reader != null && sample >= position && (nextFrame >= from || from < readFrame);
        if (!continues && skipForward(from)) {
            return;
        }
        if (!continues) {
            requireReachable(stepOffset((int) from));
            nextFrame = from;
            causal = null;
            dropInFlight();
            closeReader();
        }
    }

    /**
     * A forward seek in an entropy-coded stream: the LM reads on from where it is to frame
     * {@code from} (dropping those codes) and a fresh network stream starts there, so the cost is
     * the distance, not the position, and a forward-only source can seek forward.
     *
     * @return false when this is not such a case (plain file, no reader, or the target behind the LM)
     */
    private boolean skipForward(long from) throws IOException {
        if (!(reader instanceof LmCodeReader) || from < ((LmCodeReader) reader).step()) {
            return false;
        }
        LmCodeReader lm = (LmCodeReader) reader;
        dropInFlight();
        int k = layout.codebooks();
        int[] scratch = new int[256 * k];
        while (lm.step() < from) {
            int n = (int) Math.min(256, from - lm.step());
            if (readSteps(scratch, n) < n) {
                break; // a cut: recorded, thrown by the next read
            }
        }
        nextFrame = lm.step();
        startStream();
        return true;
    }

    /** A fresh network stream (and, in parallel mode, a fresh run of spans) at {@link #nextFrame}. */
    private void startStream() {
        causal = new CausalFrameDecoder(model);
        streamStart = nextFrame;
        readFrame = nextFrame;
        lastCodes = new int[0];
        endState = null;
        ahead = null;
    }

    /** Spans whose pre-rolled state was kept, and spans decoded again from the true state. */
    long[] spanCounts() {
        return new long[] {kept, redone};
    }

    @Override
    void dropInFlight() {
        for (Span s : inFlight) {
            if (s.result() != null) {
                s.result().cancel(true);
            }
        }
        inFlight.clear();
    }
}
