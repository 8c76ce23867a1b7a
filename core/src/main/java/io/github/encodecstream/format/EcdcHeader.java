package io.github.encodecstream.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header of an {@code .ecdc} file: {@code ECDC}, a version byte, a big-endian uint32
 * {@code n}, then {@code n} bytes of UTF-8 JSON {@link EcdcMetadata metadata}; in
 * {@code encodec-stream-lm/2} files ({@link EcdcMetadata#hasLmIndex()}) followed by the
 * {@link LmIndex}, read and checked (header CRC, length bounds) with the header.
 */
public final class EcdcHeader {
    /** The four bytes every file starts with. */
    public static final byte[] MAGIC = {'E', 'C', 'D', 'C'};
    /** The version written by the reference implementation. */
    public static final int VERSION_REFERENCE = 0;
    /** An earlier Encodec-Stream version. */
    public static final int VERSION_STREAM_192 = 192;
    /** Encodec-Stream's version, with its {@code br}, {@code sr}, {@code n}, {@code s}, {@code t} keys. */
    public static final int VERSION_STREAM = 193;
    /** The longest accepted JSON (1 MiB); longer lengths are taken as corrupt before allocating. */
    public static final int MAX_JSON_LENGTH = 1 << 20;
    /** Bytes before the JSON: magic, version, length. */
    public static final int FIXED_LENGTH = 9;

    private final int version;
    private final EcdcMetadata metadata;
    private final byte[] json;
    private final LmIndex index;

    private EcdcHeader(int version, EcdcMetadata metadata, byte[] json, LmIndex index) {
        this.version = version;
        this.metadata = metadata;
        this.json = json;
        this.index = index;
    }

    /**
     * A header for writing: the JSON in the style of the version's writer (Python's spacing for
     * version 0, compact for Encodec-Stream's).
     *
     * @throws IllegalArgumentException for an unknown version, JSON over {@link #MAX_JSON_LENGTH},
     *     or metadata that needs an {@link LmIndex} ({@link #of(int, EcdcMetadata, LmIndex)})
     */
    public static EcdcHeader of(int version, EcdcMetadata metadata) {
        return of(version, metadata, null);
    }

    /**
     * A header for writing with its {@link LmIndex}, which {@code metadata} needs exactly when
     * {@link EcdcMetadata#hasLmIndex()}: one entry per record ({@link EcdcMetadata#lmRecordCount()}),
     * each length within {@link EcdcMetadata#maxLmRecordBytes()}.
     *
     * @throws IllegalArgumentException as {@link #of(int, EcdcMetadata)}, or for a missing,
     *     superfluous or inconsistent index
     */
    public static EcdcHeader of(int version, EcdcMetadata metadata, LmIndex index) {
        if (metadata.hasLmIndex() != (index != null)) {
            throw new IllegalArgumentException(index == null ? "an " + metadata.lmVersion() + " header needs its LM index"
                    : "an LM index belongs to " + EcdcMetadata.LM_VERSION + " files only");
        }
        if (index != null) {
            if (index.count() != metadata.lmRecordCount()) {
                throw new IllegalArgumentException("LM index of " + index.count() + " records for "
                        + metadata.lmRecordCount());
            }
            for (int i = 0; i < index.count(); i++) {
                if (index.length(i) > metadata.maxLmRecordBytes()) {
                    throw new IllegalArgumentException("LM record " + i + " of " + index.length(i) + " bytes exceeds "
                            + metadata.maxLmRecordBytes());
                }
            }
        }
        if (!isSupportedVersion(version)) {
            throw new IllegalArgumentException("unsupported .ecdc version " + version);
        }
        EcdcMetadata.JsonStyle style = version == VERSION_REFERENCE
                ? EcdcMetadata.JsonStyle.PYTHON : EcdcMetadata.JsonStyle.COMPACT;
        byte[] json = metadata.toJson(style).getBytes(StandardCharsets.UTF_8);
        if (json.length > MAX_JSON_LENGTH) {
            throw new IllegalArgumentException("metadata JSON of " + json.length + " bytes exceeds " + MAX_JSON_LENGTH);
        }
        return new EcdcHeader(version, metadata, json, index);
    }

    /** Whether {@code version} is one of 0, 192, 193. */
    public static boolean isSupportedVersion(int version) {
        return version == VERSION_REFERENCE || version == VERSION_STREAM_192 || version == VERSION_STREAM;
    }

    /**
     * Reads and validates a header, consuming exactly its bytes (the stream is then at
     * {@link #frameDataOffset()}, the start of segment 0), from a source of unknown size.
     *
     * @throws NotEcdcException when the data does not start with {@code ECDC}
     * @throws TruncatedEcdcException when the stream ends inside the header or its index
     * @throws EcdcFormatException for an unknown version, an over-long or invalid JSON, invalid
     *     metadata, or a damaged or invalid {@link LmIndex}
     */
    public static EcdcHeader read(InputStream in) throws IOException {
        return read(in, -1);
    }

    /**
     * As {@link #read(InputStream)}, from a file of {@code fileSize} bytes (negative: unknown):
     * an index that cannot fit in the file is refused before anything is allocated for it.
     */
    public static EcdcHeader read(InputStream in, long fileSize) throws IOException {
        byte[] fixed = new byte[FIXED_LENGTH];
        int got = in.readNBytes(fixed, 0, MAGIC.length);
        for (int i = 0; i < got; i++) {
            if (fixed[i] != MAGIC[i]) {
                throw new NotEcdcException("not an .ecdc file: no ECDC magic", i);
            }
        }
        if (got < MAGIC.length) {
            throw new TruncatedEcdcException("file ends inside the ECDC magic", got);
        }
        ByteReads.readFully(in, fixed, MAGIC.length, FIXED_LENGTH - MAGIC.length, MAGIC.length, "the header");
        ByteBuffer b = ByteBuffer.wrap(fixed);
        int version = Byte.toUnsignedInt(b.get(4));
        if (!isSupportedVersion(version)) {
            throw new EcdcFormatException("unsupported .ecdc version " + version + " (known: 0, 192, 193)", 4);
        }
        long length = Integer.toUnsignedLong(b.getInt(5));
        if (length > MAX_JSON_LENGTH) {
            throw new EcdcFormatException("metadata length " + length + " exceeds " + MAX_JSON_LENGTH + " bytes", 5);
        }
        byte[] json = new byte[(int) length];
        ByteReads.readFully(in, json, 0, json.length, FIXED_LENGTH, "the metadata JSON");
        EcdcMetadata metadata = MetadataJson.parse(json, FIXED_LENGTH);
        LmIndex index = null;
        if (metadata.hasLmIndex()) {
            int records = metadata.lmRecordCount();
            long end = FIXED_LENGTH + json.length + LmIndex.byteSize(records);
            if (fileSize >= 0 && end > fileSize) {
                throw new TruncatedEcdcException("file ends inside the LM index (" + records + " records need "
                        + end + " bytes, the file has " + fileSize + ")", fileSize);
            }
            byte[] before = ByteBuffer.allocate(FIXED_LENGTH + json.length).put(fixed).put(json).array();
            index = LmIndex.read(in, before, records, metadata.maxLmRecordBytes());
        }
        return new EcdcHeader(version, metadata, json, index);
    }

    /**
     * The whole header's length, with its {@link LmIndex} if the metadata has one, from its first
     * bytes {@code head}: exactly the magic, version, JSON length and JSON (so that a caller that
     * must bound a mark knows how far the header reaches before reading the index).
     *
     * @throws EcdcFormatException when {@code head} is not such a header start
     */
    public static long lengthOf(byte[] head) throws EcdcFormatException {
        if (head.length < FIXED_LENGTH || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new EcdcFormatException("not the start of an .ecdc header", 0);
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(head).getInt(MAGIC.length + 1));
        if (length != head.length - FIXED_LENGTH) {
            throw new EcdcFormatException("metadata length " + length + ", " + (head.length - FIXED_LENGTH)
                    + " bytes given", MAGIC.length + 1);
        }
        EcdcMetadata m = MetadataJson.parse(Arrays.copyOfRange(head, FIXED_LENGTH, head.length), FIXED_LENGTH);
        return head.length + (m.hasLmIndex() ? LmIndex.byteSize(m.lmRecordCount()) : 0);
    }

    /** The version byte: 0, 192 or 193. */
    public int version() {
        return version;
    }

    /** The metadata. */
    public EcdcMetadata metadata() {
        return metadata;
    }

    /** The model, from the metadata's {@code m}. */
    public ModelFamily family() {
        return metadata.family();
    }

    /** Length in bytes of the JSON as stored (read headers keep the file's own bytes). */
    public int jsonLength() {
        return json.length;
    }

    /** The index of an {@code encodec-stream-lm/2} file ({@link EcdcMetadata#hasLmIndex()}), else null. */
    public LmIndex lmIndex() {
        return index;
    }

    /** The byte offset where segment data starts: the header's length, with its index if any. */
    public long frameDataOffset() {
        return FIXED_LENGTH + json.length + (index == null ? 0 : index.byteSize());
    }

    /** The header's bytes (with the index); a read header gives back exactly the bytes it was read from. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH + json.length);
        b.put(MAGIC).put((byte) version).putInt(json.length).put(json);
        if (index == null) {
            return b.array();
        }
        byte[] entries = index.toBytes(b.array());
        return ByteBuffer.allocate(b.capacity() + entries.length).put(b.array()).put(entries).array();
    }

    /** Writes {@link #toBytes()}. */
    public void write(OutputStream out) throws IOException {
        out.write(toBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcdcHeader && version == ((EcdcHeader) o).version
                && Arrays.equals(json, ((EcdcHeader) o).json) && java.util.Objects.equals(index, ((EcdcHeader) o).index);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * version + Arrays.hashCode(json)) + java.util.Objects.hashCode(index);
    }

    @Override
    public String toString() {
        return "EcdcHeader[version=" + version + ", " + new String(json, StandardCharsets.UTF_8) + "]";
    }

    /**
     * Refuses a file whose codes this library cannot decode: an entropy-coded ({@code lm}) file
     * not written by a known version of Encodec-Stream's deterministic LM (the reference's own lm
     * files, or any other tool's), before any audio is produced.
     *
     * @throws UnsupportedEcdcFeatureException with a one-line reason
     */
    public void requireCodesDecodable() throws UnsupportedEcdcFeatureException {
        EcdcMetadata m = metadata();
        if (m.codesDecodable()) {
            return;
        }
        String why;
        if (m.lmVersion() == null) {
            why = "entropy-coded (lm) file not written by encodec-stream's deterministic LM: entropy-coded files depend"
                    + " on the exact floating-point arithmetic of the machine that wrote them, so no other machine"
                    + " or implementation can decode them reliably";
        } else if (!EcdcMetadata.LM_VERSIONS.contains(m.lmVersion())) {
            why = "entropy-coded (lm) file of unknown LM version lmv = '" + m.lmVersion() + "' (this encodec-stream"
                    + " decodes " + String.join(", ", new java.util.TreeSet<>(EcdcMetadata.LM_VERSIONS))
                    + "): its probabilities cannot be reproduced";
        } else {
            why = "entropy-coded (lm) file without its " + (m.lmChecksum() == null ? "LM checksum (lmh)"
                    : "segment lengths (lms)");
        }
        throw new UnsupportedEcdcFeatureException(why, frameDataOffset());
    }
}
