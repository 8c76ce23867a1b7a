package io.github.encodecstream.codec;

import io.github.encodecstream.codes.LmCodeReader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.engine.Workers;
import io.github.encodecstream.format.DamagedRecordException;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.model.ReflectPadding;
import io.github.encodecstream.source.ByteSource;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Future;

/**
 * The 48 kHz model: each segment (its codes and scale) is decoded once, on its own, and joined to
 * the previous one by the reference's linear overlap-add from a held tail. A seek jumps to the
 * segment's byte offset (the one before when the target lies in its overlap).
 *
 * <p>With more than one worker, the codes of the next segments are read in order on the calling
 * thread and up to two segments per worker are decoded at once; they are joined in order, so the
 * audio is bit-identical to decoding one segment after the other (each segment's network run
 * does the same operations whichever thread runs it). Memory stays bounded by that window. For
 * an entropy-coded file the LM runs ahead of the network ({@link LmAhead}): the reading thread
 * reads each segment's coded bytes, and batches of segments are LM-decoded on the workers (with
 * one thread: interleaved on the reading thread), the first segment after an open or a seek alone.
 *
 * <p>A damaged segment ({@link DamagedRecordException}) is, with {@link Damage#CONCEAL}, decoded
 * as a frame of zeros: the overlap-add then fades the previous segment out over the 1% overlap
 * (480 samples, 10 ms) into the silence, and the next one in from it, so the audio differs from
 * the undamaged decode only within the damaged segment's samples. With {@link Damage#FAIL} it
 * ends the decoding as a cut.
 */
final class SegmentPath extends DecodePath {
    private final OverlapAdd overlapAdd;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** The next segment to deliver. */
    private int nextSegment;
    /** The next segment whose codes are read (parallel mode). */
    private int readSegment;

    /** A segment read and being decoded, or the cut that ended the reading ({@code audio} null). */
    private record Pending(int index, Future<Decoded> audio, EcdcFormatException cut) {}

    /** A segment's audio, channel-major and scaled; zeros where its record is damaged ({@code damage}). */
    private record Decoded(float[] audio, DamagedRecordException damage) {}

    SegmentPath(ByteSource source, SegmentLayout layout, long headerEnd, Damage damage) {
        super(source, layout, headerEnd, damage);
        this.overlapAdd = new OverlapAdd(family);
    }

    @Override
    String workerName() {
        return "segments";
    }

    @Override
    Block next() throws IOException {
        if (nextSegment >= layout.segmentCount()) {
            return null;
        }
        if (workers == null) {
            Segment segment = read(nextSegment);
            return segment.cut == null ? deliver(decode(segment)) : cutAt(segment.cut);
        }
        fill();
        Pending head = inFlight.poll();
        if (head.cut() != null) {
            inFlight.clear();
            return cutAt(head.cut());
        }
        return deliver(Workers.await(head.audio()));
    }

    /**
     * Joins a decoded segment; a damaged one (only with {@link Damage#CONCEAL}: with FAIL it was
     * read as a cut, {@link Segment#damaged}) is concealed, its zeros joined.
     */
    private Block deliver(Decoded decoded) throws IOException {
        if (decoded.damage() != null) {
            conceal(decoded.damage());
        }
        return join(decoded.audio());
    }

    /** Reads codes ahead and starts their decoding, up to two segments per worker in flight. */
    private void fill() throws IOException {
        if (readSegment < nextSegment) {
            readSegment = nextSegment;
        }
        while (inFlight.size() < 2 * workers.threads() && readSegment < layout.segmentCount()
                && (inFlight.isEmpty() || inFlight.peekLast().cut() == null)) {
            Segment segment = read(readSegment++);
            inFlight.add(segment.cut != null ? new Pending(segment.index, null, segment.cut)
                    : new Pending(segment.index, workers.submit(() -> decode(segment)), null));
        }
    }

    /**
     * A segment's codes and scale, or where the file is cut inside it; or that its record is
     * damaged ({@code damage}, concealed).
     */
    private record Segment(int index, int steps, float scale, int[] codes, EcdcFormatException cut,
            DamagedRecordException damage) {
        Segment(int index, int steps, float scale, int[] codes, EcdcFormatException cut) {
            this(index, steps, scale, codes, cut, null);
        }

        /** A damaged segment: concealed, or with {@link Damage#FAIL} a cut. */
        static Segment damaged(int index, int steps, DamagedRecordException e, Damage damage) {
            return damage == Damage.FAIL ? new Segment(index, steps, 0, null, e)
                    : new Segment(index, steps, 0, null, null, e);
        }
    }

    /** The LM ahead of the network, for entropy-coded files with segment byte offsets; null until needed. */
    private LmAhead lmAhead;

    private Segment read(int index) throws IOException {
        int steps = layout.segment(index).steps();
        if (layout.isEntropyCoded() && layout.hasByteOffsets()) {
            if (lmAhead == null) {
                lmAhead = new LmAhead(lm, layout, workers, new RawSegments());
                lmAhead.start(index);
            }
            LmAhead.Codes codes = lmAhead.next();
            if (codes.end() != null) {
                return new Segment(index, steps, 0, null, codes.end());
            }
            if (codes.damage() != null) {
                return Segment.damaged(index, steps, codes.damage(), damage);
            }
            return new Segment(index, steps, codes.scale(), codes.codes(), null);
        }
        if (reader == null) {
            openReader(layout.byteOffset(index));
        }
        int[] codes = new int[steps * layout.codebooks()];
        try {
            float scale = reader.beginSegment(index);
            int got = reader.readSteps(codes, steps);
            if (got < steps) {
                reader.readSteps(new int[codes.length], 1); // throws the cut's exception
            }
            return new Segment(index, steps, scale, codes, null);
        } catch (DamagedRecordException e) {
            return Segment.damaged(index, steps, e, damage);
        } catch (EcdcFormatException e) {
            return new Segment(index, steps, 0, null, e);
        }
    }

    /** Reads segments' coded bytes for {@link LmAhead}, opening the reader where needed. */
    private final class RawSegments implements LmAhead.Reader {
        @Override
        public LmCodeReader.RawSegment read(int r) throws IOException {
            if (reader == null) {
                openReader(layout.byteOffset(r));
            }
            return ((LmCodeReader) reader).readRaw(r);
        }
    }

    /** Runs the network on a segment: its audio, channel-major, scaled; zeros for a damaged one. */
    private Decoded decode(Segment segment) throws IOException {
        int steps = segment.steps();
        int[] codes = segment.codes();
        if (segment.damage() != null) {
            return silence(segment.damage());
        }
        float[] padded = ReflectPadding.pad(embed(codes, steps), model.codebooks().dimension(), steps,
                model.firstPadLeft(), model.firstPadRight());
        float[] audio = model.decodeSegment(padded, steps + model.firstPadLeft() + model.firstPadRight());
        for (int i = 0; i < audio.length; i++) {
            audio[i] *= segment.scale();
        }
        return new Decoded(audio, null);
    }

    /** The frame of a damaged segment: zeros, as long as its decoded audio would be. */
    private Decoded silence(DamagedRecordException e) {
        int index = e.record();
        return new Decoded(new float[family.channels() * layout.segment(index).steps() * family.hop()], e);
    }

    /** Joins the next segment's audio to the held tail and holds its own. */
    private Block join(float[] audio) {
        int index = nextSegment++;
        long start = layout.segment(index).start();
        int decoded = layout.segment(index).steps() * family.hop();
        boolean last = nextSegment >= layout.segmentCount();
        overlapAdd.join(audio, decoded, last);
        return new Block(audio, decoded, start, last ? length : start + family.segmentStride());
    }

    /** A cut mid-segment: the held tail of the previous segment, then (recorded) the error. */
    private Block cutAt(EcdcFormatException cut) {
        recordFailure(cut);
        long start = layout.segment(nextSegment).start();
        float[] held = overlapAdd.takeTail();
        int heldLength = overlapAdd.tailLength();
        return held == null ? null : new Block(held, heldLength, start, start + heldLength);
    }

    @Override
    void seek(long sample, long position) throws IOException {
        int segment = layout.segmentContaining(Math.min(sample, length - 1));
        if (segment > 0 && sample - layout.segment(segment).start() < family.overlap()) {
            segment--;
        }
        boolean continues = sample >= position && (segment == nextSegment || segment + 1 == nextSegment) && reader != null;
        if (continues) {
            return;
        }
        if (sample >= position && segment > nextSegment && segment < readSegment) {
            // ahead, among the segments already read and in flight: keep those from the target on
            // (a forward-only source cannot give their codes again)
            dropInFlightBefore(segment);
            nextSegment = segment;
            overlapAdd.reset();
            return;
        }
        requireReachable(layout.byteOffset(segment));
        nextSegment = segment;
        readSegment = segment;
        overlapAdd.reset();
        dropInFlight();
        closeReader();
        if (lmAhead != null) {
            lmAhead.start(segment);
        }
    }

    @Override
    void dropInFlight() {
        dropInFlightBefore(Integer.MAX_VALUE);
        if (lmAhead != null) {
            lmAhead.drop();
        }
    }

    /** Cancels and forgets the segments in flight before {@code segment}. */
    private void dropInFlightBefore(int segment) {
        while (!inFlight.isEmpty() && inFlight.peek().index() < segment) {
            Pending dropped = inFlight.poll();
            if (dropped.audio() != null) {
                dropped.audio().cancel(true);
            }
        }
    }
}
