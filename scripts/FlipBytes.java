import io.github.encodecstream.codec.ConcealedSpan;
import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.source.ByteSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Flips one bit of a file's body (the records after the header and index) at many positions and
 * compares each decode with the undamaged one (run by scripts/flip-bytes). Per position: the
 * spans concealed, the first and last differing sample, whether every difference lies where the
 * documented rule allows it, and the peak. Allowed: inside a concealed span; 24 kHz: also the
 * 5 ms fade before it, and after it the stream's convergence (differences above TOLERANCE later
 * than one second after the span are violations); a plain 48 kHz file without a concealed span:
 * inside the one segment holding the byte (its samples include the 1% overlaps).
 */
public class FlipBytes {
    static final double TOLERANCE = 1e-4;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int positions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        byte[] bytes = Files.readAllBytes(file);
        EcdcHeader header = EcdcHeader.read(new ByteArrayInputStream(bytes));
        SegmentLayout layout = SegmentLayout.of(header);
        int channels = header.family().channels();
        int rate = header.family().sampleRate();
        boolean segmented = header.family().isSegmented();
        DecoderOptions options = DecoderOptions.defaults().withThreads(threads);
        long t0 = System.nanoTime();
        float[] clean = decode(bytes, options, new ArrayList<>());
        System.out.printf(Locale.ROOT, "%s: %d bytes, body from byte %d, %.1f s of audio (%d Hz, %d ch), clean decode %.1f s%n",
                file, bytes.length, layout.dataOffset(), clean.length / (double) channels / rate, rate, channels,
                (System.nanoTime() - t0) / 1e9);
        SplittableRandom random = new SplittableRandom(seed);
        int concealed = 0;
        int silent = 0;
        int failed = 0;
        int violations = 0;
        double worstPeak = 0;
        for (int p = 0; p < positions; p++) {
            long offset = random.nextLong(layout.dataOffset(), bytes.length);
            int bit = random.nextInt(8);
            byte[] damaged = bytes.clone();
            damaged[(int) offset] ^= (byte) (1 << bit);
            List<ConcealedSpan> spans = new ArrayList<>();
            float[] out;
            try {
                out = decode(damaged, options, spans);
            } catch (IOException e) {
                failed++;
                System.out.printf(Locale.ROOT, "byte %d bit %d: decoding failed: %s%n", offset, bit, e.getMessage());
                continue;
            }
            long first = -1;
            long last = -1;
            double peak = 0;
            String violation = null;
            int n = Math.min(out.length, clean.length) / channels;
            if (out.length != clean.length) {
                violation = "length " + out.length + " instead of " + clean.length;
            }
            for (long s = 0; s < n; s++) {
                for (int c = 0; c < channels; c++) {
                    int i = (int) (s * channels + c);
                    peak = Math.max(peak, Math.abs(out[i]));
                    double d = Math.abs(out[i] - clean[i]);
                    if (d == 0) {
                        continue;
                    }
                    first = first < 0 ? s : first;
                    last = s;
                    if (violation == null && !allowed(s, d, spans, segmented, rate, layout, offset)) {
                        violation = String.format(Locale.ROOT, "sample %d (%.3f s) differs by %.3g", s, s / (double) rate, d);
                    }
                }
            }
            worstPeak = Math.max(worstPeak, peak);
            if (!spans.isEmpty()) {
                concealed++;
            } else if (first >= 0) {
                silent++;
            }
            if (violation != null) {
                violations++;
            }
            System.out.printf(Locale.ROOT, "byte %d bit %d: %s; differs %s; peak %.3f%s%n", offset, bit,
                    spans.isEmpty() ? "nothing concealed" : spans.stream().map(s -> s.describe(rate)).toList(),
                    first < 0 ? "nowhere" : String.format(Locale.ROOT, "%.3f-%.3f s", first / (double) rate,
                            (last + 1) / (double) rate), peak, violation == null ? "" : "; VIOLATION: " + violation);
        }
        System.out.printf(Locale.ROOT, "summary: %d positions, %d concealed, %d changed without concealment, %d failed,"
                + " %d violations, peak %.3f (undamaged %.3f)%n", positions, concealed, silent, failed, violations,
                worstPeak, peakOf(clean));
        System.exit(violations == 0 && failed == 0 ? 0 : 1);
    }

    /** Whether a difference at sample {@code s} is where the documented rule allows it. */
    static boolean allowed(long s, double d, List<ConcealedSpan> spans, boolean segmented, int rate,
            SegmentLayout layout, long offset) {
        int fade = rate / 200; // 5 ms
        for (ConcealedSpan span : spans) {
            if (segmented ? s >= span.startSample() && s < span.endSample()
                    : s >= span.startSample() - fade && (s < span.endSample() + rate || d <= TOLERANCE)) {
                return true;
            }
        }
        if (spans.isEmpty() && segmented) { // a plain file's codes: the segment holding the byte
            int segment = 0;
            while (segment + 1 < layout.segmentCount() && layout.byteOffset(segment + 1) <= offset) {
                segment++;
            }
            SegmentLayout.Segment seg = layout.segment(segment);
            return s >= seg.start() && s < seg.start() + seg.length();
        }
        return false;
    }

    static float[] decode(byte[] file, DecoderOptions options, List<ConcealedSpan> spans) throws IOException {
        try (EcdcDecoder decoder = EcdcDecoder.open(ByteSource.of(file), options)) {
            float[] all = new float[0];
            int n = 0;
            for (float[] chunk = decoder.read(); chunk != null; chunk = decoder.read()) {
                if (n + chunk.length > all.length) {
                    all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, n + chunk.length));
                }
                System.arraycopy(chunk, 0, all, n, chunk.length);
                n += chunk.length;
            }
            spans.addAll(decoder.concealedSpans());
            return java.util.Arrays.copyOf(all, n);
        }
    }

    static double peakOf(float[] audio) {
        double peak = 0;
        for (float v : audio) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }
}
