package io.github.encodecstream.codec;

import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.model.ReflectPadding;
import io.github.encodecstream.source.ByteSource;
import java.io.IOException;

/**
 * The 48 kHz model: each segment (its codes and scale) is decoded once, on its own, and joined to
 * the previous one by the reference's linear overlap-add from a held tail. A seek jumps to the
 * segment's byte offset (the one before when the target lies in its overlap).
 */
final class SegmentPath extends DecodePath {
    private final OverlapAdd overlapAdd;
    private int nextSegment;

    SegmentPath(ByteSource source, SegmentLayout layout, long headerEnd) {
        super(source, layout, headerEnd);
        this.overlapAdd = new OverlapAdd(family);
    }

    @Override
    Block next() throws IOException {
        if (nextSegment >= layout.segmentCount()) {
            return null;
        }
        if (reader == null) {
            openReader(layout.byteOffset(nextSegment));
        }
        int index = nextSegment;
        int steps = layout.segment(index).steps();
        int[] codes = new int[steps * layout.codebooks()];
        float scale = 0;
        int got = 0;
        try {
            scale = reader.beginSegment(index);
            got = readSteps(codes, steps, false);
        } catch (EcdcFormatException e) {
            recordFailure(e);
        }
        long start = layout.segment(index).start();
        if (got < steps) {
            // cut mid-segment: deliver the held tail of the previous segment, then the error
            float[] held = overlapAdd.takeTail();
            int heldLength = overlapAdd.tailLength();
            return held == null ? null : new Block(held, heldLength, start, start + heldLength);
        }
        float[] padded = ReflectPadding.pad(embed(codes, steps), model.codebooks().dimension(), steps,
                model.firstPadLeft(), model.firstPadRight());
        float[] audio = model.decodeSegment(padded, steps + model.firstPadLeft() + model.firstPadRight());
        int decoded = steps * family.hop();
        for (int i = 0; i < audio.length; i++) {
            audio[i] *= scale;
        }
        nextSegment++;
        boolean last = nextSegment >= layout.segmentCount();
        overlapAdd.join(audio, decoded, last);
        return new Block(audio, decoded, start, last ? length : start + family.segmentStride());
    }

    @Override
    void seek(long sample, long position) throws IOException {
        int segment = layout.segmentContaining(Math.min(sample, length - 1));
        if (segment > 0 && sample - layout.segment(segment).start() < family.overlap()) {
            segment--;
        }
        boolean continues = sample >= position && (segment == nextSegment || segment + 1 == nextSegment) && reader != null;
        if (!continues) {
            requireReachable(layout.byteOffset(segment));
            nextSegment = segment;
            overlapAdd.reset();
            closeReader();
        }
    }
}
