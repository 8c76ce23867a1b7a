package io.github.encodecstream.sound;

import io.github.encodecstream.testing.Samples;
import static io.github.encodecstream.sound.SoundTests.floats;
import static io.github.encodecstream.sound.SoundTests.ints;
import static io.github.encodecstream.sound.SoundTests.readAll;
import static io.github.encodecstream.sound.SoundTests.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.dsp.PcmConversion;
import io.github.encodecstream.testing.ReferenceCases;
import io.github.encodecstream.testing.ReferenceCases.Case;
import io.github.encodecstream.testing.UsesReferenceModels;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code AudioSystem.getAudioInputStream(target, stream)}: float and 24/32-bit PCM from the decoder's floats. */
@ExtendWith(UsesReferenceModels.class)
class FormatConversionTest {
    private static final Case CASE = ReferenceCases.named("48k_bw6");

    private static File file() {
        return CASE.file(".ecdc").toFile();
    }

    /** Every format in both byte orders holds the documented conversion of the same floats: no 16-bit step. */
    @ParameterizedTest
    @ValueSource(strings = {"48k_stride_plus_one", "24k_short"})
    void everyFormatFromTheSameFloats(String name) throws Exception {
        Case c = ReferenceCases.named(name);
        File file = c.file(".ecdc").toFile();
        float rate = c.sampleRate();
        int channels = c.channels();
        float[] decoded;
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file);
             AudioInputStream in = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm)) {
            decoded = floats(readAll(in), false);
        }
        assertTrue(Samples.maxError(SoundTests.reference(c.file(".out.f32")), 0, decoded) <= 1e-4);
        for (boolean bigEndian : new boolean[] {false, true}) {
            for (int bits : new int[] {16, 24, 32}) {
                AudioFormat target = new AudioFormat(rate, bits, channels, true, bigEndian);
                try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file);
                     AudioInputStream in = AudioSystem.getAudioInputStream(target, pcm)) {
                    if (bits > 16 || bigEndian) {
                        assertInstanceOf(EcdcAudioInputStream.class, in);
                        assertNotSame(pcm, in);
                    }
                    assertEquals(target.toString(), in.getFormat().toString());
                    assertEquals(c.length(), in.getFrameLength());
                    int[] values = ints(readAll(in), bits, bigEndian);
                    assertEquals(decoded.length, values.length);
                    for (int i = 0; i < values.length; i++) {
                        if (values[i] != PcmConversion.toInt(decoded[i], bits)) {
                            throw new AssertionError(bits + " bits, " + (bigEndian ? "BE" : "LE") + ": sample " + i
                                    + " is " + values[i] + ", not round(" + decoded[i] + " * 2^" + (bits - 1) + ")");
                        }
                    }
                }
            }
            AudioFormat floatTarget = new AudioFormat(Encoding.PCM_FLOAT, rate, 32, channels, 4 * channels, rate, bigEndian);
            try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file);
                 AudioInputStream in = AudioSystem.getAudioInputStream(floatTarget, pcm)) {
                assertArrayEquals(decoded, floats(readAll(in), bigEndian));
            }
        }
        report(name + ": 16/24/32-bit PCM in both byte orders equal the documented conversion of the PCM_FLOAT samples exactly");
    }

    @Test
    void unspecifiedValuesMatch() throws Exception {
        AudioFormat anyRate = new AudioFormat(Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 24, 2,
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED, false);
        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file())) {
            assertTrue(AudioSystem.isConversionSupported(anyRate, pcm.getFormat()));
            try (AudioInputStream in = AudioSystem.getAudioInputStream(anyRate, pcm)) {
                assertEquals(new AudioFormat(48_000, 24, 2, true, false).toString(), in.getFormat().toString());
            }
        }
    }

    @Test
    void targetsOfDecodedStreamsOnly() throws Exception {
        EcdcFormatConversionProvider provider = new EcdcFormatConversionProvider();
        AudioFormat plain = new AudioFormat(48_000, 16, 2, true, false);
        // other PCM can only be encoded (EcdcAudioFileWriterTest), not converted to PCM
        assertArrayEquals(new Encoding[] {EcdcEncoding.ECDC}, provider.getTargetEncodings(plain));
        assertEquals(0, provider.getTargetFormats(Encoding.PCM_FLOAT, plain).length);
        assertFalse(provider.isConversionSupported(new AudioFormat(48_000, 24, 2, true, false), plain));
        AudioInputStream foreign = new AudioInputStream(new ByteArrayInputStream(new byte[400]), plain, 100);
        assertThrows(IllegalArgumentException.class, () -> provider.getAudioInputStream(Encoding.PCM_FLOAT, foreign));
        // the JDK still converts other streams
        AudioInputStream jdk = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, foreign);
        assertFalse(jdk instanceof EcdcAudioInputStream);

        try (AudioInputStream pcm = AudioSystem.getAudioInputStream(file())) {
            List<String> formats = Arrays.stream(provider.getTargetFormats(Encoding.PCM_SIGNED, pcm.getFormat()))
                    .map(AudioFormat::toString).toList();
            assertEquals(List.of(16, 16, 24, 24, 32, 32), Arrays.stream(provider.getTargetFormats(Encoding.PCM_SIGNED,
                    pcm.getFormat())).map(AudioFormat::getSampleSizeInBits).toList(), formats.toString());
            assertEquals(2, provider.getTargetFormats(Encoding.PCM_FLOAT, pcm.getFormat()).length);
            assertFalse(provider.isConversionSupported(new AudioFormat(44_100, 24, 2, true, false), pcm.getFormat()));
            assertFalse(provider.isConversionSupported(new AudioFormat(48_000, 8, 2, true, false), pcm.getFormat()));
            assertSame(pcm, AudioSystem.getAudioInputStream(new AudioFormat(48_000, 16, 2, true, false), pcm));
        }
    }

    /** A conversion goes on from the source's position; the source then refuses reads; closing one closes both. */
    @Test
    void convertsFromThePosition() throws Exception {
        float[] reference = SoundTests.reference(CASE.file(".out.f32"));
        AudioInputStream pcm = AudioSystem.getAudioInputStream(file());
        byte[] head = new byte[4 * 1234];
        assertEquals(head.length, pcm.read(head));
        pcm.skip(4 * 10_000);
        AudioInputStream in = AudioSystem.getAudioInputStream(Encoding.PCM_FLOAT, pcm);
        assertEquals(11_234, ((EcdcAudioInputStream) in).framePosition());
        IOException e = assertThrows(IOException.class, () -> pcm.read(new byte[4]));
        assertTrue(e.getMessage().contains("converted"), e.getMessage());
        byte[] some = new byte[8 * 100_000];
        int n = in.read(some);
        float[] got = floats(Arrays.copyOf(some, n), false);
        assertTrue(Samples.maxError(reference, 2 * 11_234, got) <= 1e-4);
        pcm.close();
        assertThrows(IOException.class, () -> in.read(some));
        in.close();
    }
}
