package io.github.encodecstream.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.EcdcVerifier;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.StreamByteSource;
import io.github.encodecstream.testing.ReferenceData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link EcdcVerifier}: good files pass; every flipped body byte of an {@code encodec-stream-lm/2}
 * file is found in exactly its record, with its span; cuts, implausible scales, damaged headers,
 * plain and version 1 files.
 */
class EcdcVerifierTest {
    private static final int NC = 2;

    private static EcdcVerifier.Report verify(byte[] bytes) throws IOException {
        return EcdcVerifier.verify(ByteSource.of(bytes));
    }

    private static LmV2Files.Built chunked() {
        return LmV2Files.build(ModelFamily.ENCODEC_24KHZ, 3L * 5 * 320 + 50, NC, 5, LmV2Files.weights(NC));
    }

    private static LmV2Files.Built segmented(float... scales) {
        return LmV2Files.build(ModelFamily.ENCODEC_48KHZ, 100_000, NC, 0, LmV2Files.weights(NC), scales);
    }

    @Test
    void goodFilesPass() throws IOException {
        for (LmV2Files.Built f : new LmV2Files.Built[] {chunked(), segmented(0.5f),
            LmV2Files.build(ModelFamily.ENCODEC_24KHZ, 0, NC, 375, LmV2Files.weights(NC))}) {
            EcdcVerifier.Report r = verify(f.bytes());
            assertTrue(r.ok(), r.toString());
            assertTrue(r.checked().contains("checksums"), r.checked());
            byte[] longer = Arrays.copyOf(f.bytes(), f.bytes().length + 10); // bytes after the end are ignored
            assertTrue(verify(longer).ok());
            // a forward-only source of unknown size too
            assertTrue(EcdcVerifier.verify(new StreamByteSource(new ByteArrayInputStream(f.bytes()))).ok());
        }
    }

    @Test
    void everyFlippedBodyByteIsFoundInItsRecord() throws IOException {
        for (LmV2Files.Built f : new LmV2Files.Built[] {chunked(), segmented(0.5f, 2f)}) {
            SegmentLayout layout = f.layout();
            for (long pos = layout.dataOffset(); pos < f.bytes().length; pos++) {
                byte[] bad = f.bytes().clone();
                bad[(int) pos] ^= 0x20;
                int record = 0;
                while (recordEnd(layout, record) <= pos) {
                    record++;
                }
                EcdcVerifier.Report r = verify(bad);
                assertEquals(1, r.problems().size(), "pos " + pos + ": " + r);
                EcdcVerifier.Problem p = r.problems().get(0);
                assertEquals(record, p.record(), "pos " + pos);
                assertEquals(layout.recordStartSample(record), p.startSample());
                assertEquals(layout.recordEndSample(record), p.endSample());
                assertTrue(p.message().contains("CRC-32C"), p.message());
            }
        }
    }

    private static long recordEnd(SegmentLayout layout, int r) {
        return layout.isChunked() ? layout.chunkByteOffset(r + 1) : layout.byteOffset(r + 1);
    }

    @Test
    void cutIsFoundWhereverItIs() throws IOException {
        for (LmV2Files.Built f : new LmV2Files.Built[] {chunked(), segmented(0.5f)}) {
            SegmentLayout layout = f.layout();
            for (int n = 0; n < f.bytes().length; n++) {
                EcdcVerifier.Report r = verify(Arrays.copyOf(f.bytes(), n));
                assertEquals(1, r.problems().size(), n + ": " + r);
                EcdcVerifier.Problem p = r.problems().get(0);
                if (n < layout.dataOffset()) {
                    assertEquals(-1, p.record());
                    assertNull(r.header());
                } else {
                    int record = 0;
                    while (recordEnd(layout, record) <= n) {
                        record++;
                    }
                    assertEquals(record, p.record(), "cut at " + n);
                    assertTrue(p.message().contains("ends inside"), p.message());
                    assertEquals(n, p.byteOffset());
                }
            }
        }
    }

    @Test
    void implausibleScaleWithAValidChecksumIsFound() throws IOException {
        EcdcVerifier.Report r = verify(segmented(1f, 99f).bytes());
        assertEquals(1, r.problems().size(), r.toString());
        assertEquals(1, r.problems().get(0).record());
        assertTrue(r.problems().get(0).message().contains("scale 99.0"), r.toString());
    }

    @Test
    void damagedHeaderIsOneProblem() throws IOException {
        byte[] bad = chunked().bytes().clone();
        bad[12] ^= 1;
        EcdcVerifier.Report r = verify(bad);
        assertFalse(r.ok());
        assertEquals(-1, r.problems().get(0).record());
        assertNull(r.header());
    }

    /** A plain 48 kHz file: header, every segment there, scales. */
    @Test
    void plainFileLengthsAndScales() throws IOException {
        EcdcMetadata m = EcdcMetadata.builder().family(ModelFamily.ENCODEC_48KHZ).audioLength(100_000).codebooks(NC)
                .lm(false).build();
        EcdcHeader h = EcdcHeader.of(193, m);
        SegmentLayout layout = SegmentLayout.of(h);
        byte[] file = new byte[(int) layout.endOffset()];
        new SplittableRandom(1).nextBytes(file);
        System.arraycopy(h.toBytes(), 0, file, 0, (int) h.frameDataOffset());
        for (int s = 0; s < layout.segmentCount(); s++) {
            ByteBuffer.wrap(file).putFloat((int) layout.byteOffset(s), 0.5f);
        }
        EcdcVerifier.Report good = verify(file);
        assertTrue(good.ok(), good.toString());
        assertTrue(good.checked().contains("3 segment lengths and scales"), good.checked());
        EcdcVerifier.Report cut = verify(Arrays.copyOf(file, (int) layout.byteOffset(2) + 3));
        assertEquals(1, cut.problems().size(), cut.toString());
        assertEquals(2, cut.problems().get(0).record());
        ByteBuffer.wrap(file).putFloat((int) layout.byteOffset(1), Float.NaN);
        EcdcVerifier.Report nan = verify(file);
        assertEquals(1, nan.problems().size(), nan.toString());
        assertEquals(1, nan.problems().get(0).record());
        assertEquals(47_520, nan.problems().get(0).startSample());
    }

    @Test
    void versionOneFilesAreCheckedAsFarAsPossibleWithoutTheLm() throws IOException {
        EcdcVerifier.Report v48 = verify(v1("v1_48k_6kbps.ecdc"));
        assertTrue(v48.ok(), v48.toString());
        assertTrue(v48.checked().contains("no checksums"), v48.checked());
        byte[] cut = v1("v1_48k_6kbps.ecdc");
        EcdcVerifier.Report cutReport = verify(Arrays.copyOf(cut, cut.length - 5));
        assertEquals(1, cutReport.problems().size());
        assertEquals(2, cutReport.problems().get(0).record());
        EcdcVerifier.Report v24 = verify(v1("v1_24k_6kbps.ecdc"));
        assertTrue(v24.ok(), v24.toString());
        assertTrue(v24.checked().startsWith("header only"), v24.checked());
    }

    @Test
    void referenceLmFileCannotBeVerified() throws IOException {
        EcdcVerifier.Report r = verify(Files.readAllBytes(ReferenceData.file("vectors/48k_bw6_lm.ecdc")));
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).message().contains("not written by encodec-stream"), r.toString());
    }

    private static byte[] v1(String name) throws IOException {
        try (InputStream in = EcdcVerifierTest.class.getResourceAsStream("/io/github/encodecstream/codec/lm-v1/" + name)) {
            return in.readAllBytes();
        }
    }
}
