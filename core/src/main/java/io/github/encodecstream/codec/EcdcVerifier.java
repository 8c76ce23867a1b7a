package io.github.encodecstream.codec;

import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcFormatException;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.source.ByteSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a file's integrity without any model, network or LM (as {@code flac -t}): the header (and
 * the {@code encodec-stream-lm/2} index with its CRC), then every record in order against the data
 * present. What can be checked depends on the file:
 * <ul>
 * <li>{@code encodec-stream-lm/2}: every record's CRC-32C and length (a record cut by the end of
 *     the data), and each 48 kHz segment's scale (finite, in (0, 16]);</li>
 * <li>{@code encodec-stream-lm/1}: no checksums: the 48 kHz segment lengths ({@code lms}) against
 *     the data and the scales; a 24 kHz stream only by decoding it with the LM (not done);</li>
 * <li>files without entropy coding: the data holds every segment (no cut), and the 48 kHz
 *     scales;</li>
 * <li>entropy-coded files this library cannot decode (the reference's): the header only, reported
 *     as a problem.</li>
 * </ul>
 * Bytes after the expected end are ignored, as decoding does. Reads the whole file once, forward.
 */
public final class EcdcVerifier {
    private static final int BUFFER = 1 << 16;

    /**
     * One problem found.
     *
     * @param record the record it concerns: the chunk of a 24 kHz {@code encodec-stream-lm/2} file,
     *     else the segment; -1 for the header
     * @param startSample the first file sample of the record's span (per channel, model rate); 0 for the header
     * @param endSample the sample after the span; the file's length for the header
     * @param byteOffset where in the file the problem is
     * @param message what is wrong, one line
     */
    public record Problem(int record, long startSample, long endSample, long byteOffset, String message) {}

    /**
     * The outcome.
     *
     * @param header the header, or null when it could not be read
     * @param checked what was checked, one line (e.g. "header, LM index, 12 chunk checksums")
     * @param problems the problems found, in file order; empty when the file is good
     */
    public record Report(EcdcHeader header, String checked, List<Problem> problems) {
        /** Whether no problem was found. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private EcdcVerifier() {}

    /**
     * Verifies the file in {@code source}.
     *
     * @throws IOException when the source cannot be read (not for problems of the file's content)
     */
    public static Report verify(ByteSource source) throws IOException {
        long size = source.size().orElse(-1);
        try (InputStream raw = source.openAt(0); InputStream in = new BufferedInputStream(raw, BUFFER)) {
            EcdcHeader header;
            try {
                header = EcdcHeader.read(in, size);
            } catch (EcdcFormatException e) {
                return new Report(null, "header", List.of(new Problem(-1, 0, 0, e.byteOffset(), e.getMessage())));
            }
            return new Check(header, in).run();
        }
    }

    /** The records of one file, read in order. */
    private static final class Check {
        private final EcdcHeader header;
        private final EcdcMetadata metadata;
        private final SegmentLayout layout;
        private final InputStream in;
        private final List<Problem> problems = new ArrayList<>();
        private long position;

        Check(EcdcHeader header, InputStream in) {
            this.header = header;
            this.metadata = header.metadata();
            this.layout = SegmentLayout.of(header);
            this.in = in;
            this.position = header.frameDataOffset();
        }

        Report run() throws IOException {
            try {
                header.requireCodesDecodable();
            } catch (EcdcFormatException e) {
                problems.add(new Problem(-1, 0, metadata.audioLength(), e.byteOffset(), e.getMessage()));
                return report("header only");
            }
            if (layout.hasChecksums()) {
                int records = layout.recordCount();
                int r = 0;
                while (r < records && checkRecord(r)) { // a cut stops
                    r++;
                }
                String what = layout.isChunked() ? "chunk" : "segment";
                return report("header, LM index and header CRC, " + records + " " + what + " checksums and lengths"
                        + (layout.isChunked() ? "" : ", scales"));
            }
            if (!layout.hasByteOffsets()) { // a 24 kHz encodec-stream-lm/1 stream
                return report("header only: an " + metadata.lmVersion() + " 24 kHz file has no index or checksums,"
                        + " its coded stream is checked only by decoding it");
            }
            int s = 0;
            while (s < layout.segmentCount() && checkSegment(s)) { // a cut stops
                s++;
            }
            return report("header, " + layout.segmentCount() + " segment lengths"
                    + (metadata.family().hasScale() ? " and scales" : "")
                    + (metadata.lm() ? " (an " + metadata.lmVersion() + " file has no checksums)" : ""));
        }

        private Report report(String checked) {
            return new Report(header, checked, List.copyOf(problems));
        }

        /** An indexed record: its bytes whole, CRC-32C, scale; false at a cut. */
        private boolean checkRecord(int r) throws IOException {
            long start = layout.recordByteOffset(r);
            int size = layout.recordByteSize(r);
            byte[] bytes = in.readNBytes(size);
            position += bytes.length;
            if (bytes.length < size) {
                problems.add(problem(r, position, "the file ends inside " + layout.recordName(r) + " (" + bytes.length
                        + " of its " + size + " bytes)"));
                return false;
            }
            String damage = layout.recordDamage(r, bytes);
            if (damage != null) {
                problems.add(problem(r, start, damage));
            }
            return true;
        }

        /** A segment of a file without an index: present whole, plausible scale; false at a cut. */
        private boolean checkSegment(int s) throws IOException {
            long start = layout.byteOffset(s);
            long size = layout.byteSize(s);
            if (metadata.family().hasScale()) {
                byte[] scale = in.readNBytes(SegmentLayout.SCALE_BYTES);
                position += scale.length;
                if (scale.length == SegmentLayout.SCALE_BYTES) {
                    checkScale(s, start, ByteBuffer.wrap(scale).getFloat());
                }
                size -= scale.length;
            }
            position += skip(size);
            if (position < start + layout.byteSize(s)) {
                problems.add(problem(s, position, "the file ends inside segment " + s + " (" + (position - start)
                        + " of its " + layout.byteSize(s) + " bytes)"));
                return false;
            }
            return true;
        }

        /** Skips up to {@code n} bytes; fewer at the end of the data. */
        private long skip(long n) throws IOException {
            long done = 0;
            while (done < n) {
                long k = in.skip(n - done);
                if (k <= 0) {
                    if (in.read() < 0) {
                        break;
                    }
                    k = 1;
                }
                done += k;
            }
            return done;
        }

        private void checkScale(int s, long start, float scale) {
            String damage = SegmentLayout.scaleDamage(s, scale);
            if (damage != null) {
                problems.add(problem(s, start, damage));
            }
        }

        private Problem problem(int record, long byteOffset, String message) {
            return new Problem(record, layout.recordStartSample(record), layout.recordEndSample(record), byteOffset,
                    message);
        }
    }
}
