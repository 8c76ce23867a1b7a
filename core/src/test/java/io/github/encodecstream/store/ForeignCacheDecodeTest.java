package io.github.encodecstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.codec.Models;
import io.github.encodecstream.files.DigestStamp;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.store.ModelStore.ModelFile;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a valid checkpoint in a cache that belongs to another user (a shared or read-only
 * cache) decodes a file to the reference decoder's samples, and nothing is written into that cache:
 * no stamp, first-use record, lock or prepared model (those go to a private temporary folder).
 * The tests run as root, whom permission bits do not stop, so "nothing written" is asserted
 * rather than forced by the file system.
 */
class ForeignCacheDecodeTest {
    @Test
    void aValidCheckpointInACacheOwnedByAnotherUserDecodesAndNothingIsWrittenThere(@TempDir Path tmp) throws Exception {
        Path checkpoint = ReferenceData.models().resolve("encodec_24khz-random.th");
        String prefix = DigestStamp.sha256(checkpoint).substring(0, 8);
        ModelFile entry = new ModelFile("encodec_24khz", "encodec_24khz-" + prefix + ".th", prefix);
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Path file = Files.copy(checkpoint, cache.resolve(entry.fileName()));
        UserPrincipal nobody = cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setOwner(file, nobody);
        Files.setOwner(cache, nobody);

        ModelStore store = ModelStore.builder().cacheDirectory(cache).offline(true).models(List.of(entry))
                .pins(CheckpointPins.from(null)).build();
        ReferenceCases.Case c = ReferenceCases.named("24k_short");
        float[] decoded;
        try (Models models = Models.builder().store(store).device("cpu").threads(2).build();
                EcdcDecoder decoder = EcdcDecoder.open(new FileByteSource(c.ecdc()),
                        DecoderOptions.defaults().withModels(models))) {
            decoded = Samples.drain(decoder);
        }
        float[] expected = ReferenceData.readF32(c.file(".out.f32"));
        assertEquals(expected.length, decoded.length);
        double error = Samples.maxError(expected, 0, decoded);
        assertTrue(error <= 1e-4, "max abs error " + error);
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(file), left.toList(), "nothing written into another user's cache");
        }
    }
}
