package io.github.encodecstream.codec;

import io.github.encodecstream.files.CountingInputStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.encodecstream.codes.CodeReader;
import io.github.encodecstream.format.ModelFamily;
import io.github.encodecstream.codes.SegmentLayout;
import io.github.encodecstream.source.StreamByteSource;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening reads the header only and loads no model; reading fetches only what it decodes. */
class DecoderLazinessTest {
    @ParameterizedTest
    @ValueSource(strings = {"24k_full", "48k_full"})
    void openReadsOnlyTheHeaderAndLoadsNoModel(String name) throws IOException {
        Case c = ReferenceCases.named(name);
        Models models = mock(Models.class);
        when(models.decoder(any())).thenAnswer(call -> ReferenceCases.models().decoder(call.getArgument(0)));
        try (InputStream file = Files.newInputStream(c.file(".ecdc"));
             CountingInputStream in = new CountingInputStream(file);
             EcdcDecoder decoder = EcdcDecoder.open(new StreamByteSource(in), ReferenceCases.options().withModels(models))) {
            long header = decoder.header().frameDataOffset();
            assertEquals(header, in.count(), "bytes read by open()");
            decoder.seek(c.length() / 2);
            decoder.seek(0);
            assertEquals(header, in.count(), "bytes read by seek()");
            verify(models, never()).decoder(any());

            assertNotNull(decoder.read());
            ModelFamily family = decoder.header().family();
            verify(models, times(1)).decoder(family);
            SegmentLayout layout = SegmentLayout.of(decoder.header());
            long expected = family.hasScale() ? layout.byteOffset(1)
                    : CodeReader.stepOffset(layout, 0, DecoderOptions.DEFAULT_CHUNK);
            System.out.printf("%s: open() read %d bytes (the header), the first read() %d more%n", name, header,
                    in.count() - header);
            assertEquals(expected, in.count(), "bytes read by the first chunk");
            decoder.read();
            verify(models, times(1)).decoder(family);
        }
    }
}
