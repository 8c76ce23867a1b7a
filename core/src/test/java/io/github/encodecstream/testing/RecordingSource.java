package io.github.encodecstream.testing;

import io.github.encodecstream.files.CountingInputStream;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A file source that records where each stream is opened and how many bytes are taken from it. */
public final class RecordingSource implements ByteSource {
    private final FileByteSource file;
    private final List<Long> offsets = new ArrayList<>();
    private final List<CountingInputStream> streams = new ArrayList<>();

    /** Records the opening of a file. */
    public RecordingSource(Path path) throws IOException {
        file = new FileByteSource(path);
    }

    /** The file's segment layout, read without being recorded. */
    public SegmentLayout layout() throws IOException {
        try (InputStream in = file.openAt(0)) {
            return SegmentLayout.of(EcdcHeader.read(in));
        }
    }

    /** The offsets that streams were opened at, in order. */
    public synchronized List<Long> offsets() {
        return new ArrayList<>(offsets);
    }

    /** For each stream opened, {offset, bytes taken from it so far}. */
    public synchronized List<long[]> taken() {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            out.add(new long[] {offsets.get(i), streams.get(i).count()});
        }
        return out;
    }

    @Override
    public synchronized InputStream openAt(long offset) throws IOException {
        CountingInputStream counting = new CountingInputStream(file.openAt(offset));
        offsets.add(offset);
        streams.add(counting);
        return counting;
    }

    @Override
    public boolean isSeekable() {
        return true;
    }

    @Override
    public OptionalLong size() throws IOException {
        return file.size();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
