package io.github.encodecstream.codec;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.source.ByteSource;
import java.io.IOException;

/**
 * The causal 24 kHz model: one stream of frames decoded chunk by chunk with explicit state
 * ({@link CausalFrameDecoder}), equal to decoding the whole file at once. A seek starts a fresh
 * stream {@link DecoderOptions#prerollFrames()} frames before the target (from the start with
 * {@link DecoderOptions#exactSeek()}), reading the codes from that frame's byte offset.
 */
final class CausalPath extends DecodePath {
    private final DecoderOptions options;
    private final long totalFrames;
    private CausalFrameDecoder causal;
    private long nextFrame;

    CausalPath(ByteSource source, SegmentLayout layout, long headerEnd, DecoderOptions options) {
        super(source, layout, headerEnd);
        this.options = options;
        this.totalFrames = layout.segmentCount() == 0 ? 0 : layout.segment(0).steps();
    }

    @Override
    Block next() throws IOException {
        if (nextFrame >= totalFrames) {
            return null;
        }
        if (reader == null) {
            openReader(nextFrame == 0 ? layout.byteOffset(0) : CodeReader.stepOffset(layout, 0, (int) nextFrame));
            reader.beginSegment(0, (int) nextFrame);
            causal = new CausalFrameDecoder(model);
        }
        int want = options.chunkFrames();
        if (causal.atStart()) {
            want = Math.max(want, CausalFrameDecoder.MIN_FIRST_FRAMES);
        }
        want = (int) Math.min(want, totalFrames - nextFrame);
        int[] codes = new int[want * layout.codebooks()];
        int got = readSteps(codes, want, true);
        if (got == 0) {
            return null;
        }
        float[] audio = causal.decode(embed(codes, got), got);
        long start = nextFrame * family.hop();
        nextFrame += got;
        return new Block(audio, got * family.hop(), start, start + (long) got * family.hop());
    }

    @Override
    void seek(long sample, long position) throws IOException {
        long frame = sample / family.hop();
        long from = options.exactSeek() ? 0 : Math.max(0, frame - options.prerollFrames());
        boolean continues = reader != null && sample >= position && nextFrame >= from;
        if (!continues) {
            requireReachable(from == 0 ? layout.byteOffset(0) : CodeReader.stepOffset(layout, 0, (int) from));
            nextFrame = from;
            causal = null;
            closeReader();
        }
    }
}
