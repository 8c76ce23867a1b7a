package io.github.encodecstream.sound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.encodecstream.testing.ReferenceCases;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contracts the JDK's own {@code javax.sound.sampled} provider tests check of every installed
 * provider, with ECDC's types, encodings and data: a null argument is a
 * {@link NullPointerException} from every public method ({@code ExpectedNPEOnNull}), and a
 * "supported" answer is followed by a write or conversion that does not throw
 * {@link IllegalArgumentException}, while "not supported" is ({@code WriteUnsupportedAudioFormat},
 * {@code GetAudioStreamConversionSupported}), for every PCM format from 1 to 10 channels, 8 to 64
 * bits and 8 to 192 kHz.
 */
class ProviderContractTest {
    private static final float[] RATES = {8000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000, 192_000};

    @BeforeAll
    static void models() {
        WriterTests.useReferenceModels();
    }

    @Test
    void everyNullArgumentIsANullPointerException(@TempDir Path dir) throws Exception {
        Path file = ReferenceCases.named("48k_bw6").ecdc();
        List<String> accepted = new ArrayList<>();
        int calls = 0;
        for (Object provider : List.of(new EcdcAudioFileReader(), new EcdcAudioFileWriter(),
                new EcdcFormatConversionProvider())) {
            for (Method m : provider.getClass().getMethods()) {
                if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    if (types[i].isPrimitive()) {
                        continue;
                    }
                    Object[] args = new Object[types.length];
                    for (int j = 0; j < types.length; j++) {
                        args[j] = j == i ? null : sample(types[j], file, dir);
                    }
                    calls++;
                    try {
                        m.invoke(provider, args);
                        accepted.add(describe(m, i));
                    } catch (InvocationTargetException e) {
                        if (!(e.getCause() instanceof NullPointerException)) {
                            accepted.add(describe(m, i) + " threw " + e.getCause());
                        }
                    }
                }
            }
        }
        System.out.printf("[sound] null arguments: %d calls of the three providers, each a NullPointerException%n", calls);
        assertTrue(calls >= 29, "calls: " + calls); // reader 6, writer 11, converter 12 (a method lost would hide its nulls)
        assertEquals(List.of(), accepted, "null accepted without a NullPointerException");
    }

    private static String describe(Method m, int nullAt) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "(" + List.of(m.getParameterTypes()).stream()
                .map(Class::getSimpleName).toList() + ") with null at " + nullAt;
    }

    /** A valid argument of a type the providers' methods take. */
    private static Object sample(Class<?> type, Path ecdc, Path dir) throws Exception {
        if (type == AudioFormat.class) {
            return new AudioFormat(48_000, 16, 2, true, false);
        } else if (type == Encoding.class) {
            return Encoding.PCM_SIGNED;
        } else if (type == AudioInputStream.class) {
            return pcm(new AudioFormat(48_000, 16, 2, true, false), 10);
        } else if (type == AudioFileFormat.Type.class) {
            return EcdcFileFormatType.ECDC;
        } else if (type == InputStream.class) {
            return new BufferedInputStream(Files.newInputStream(ecdc));
        } else if (type == File.class) {
            return dir.resolve("out.ecdc").toFile();
        } else if (type == URL.class) {
            return ecdc.toUri().toURL();
        } else if (type == OutputStream.class) {
            return new ByteArrayOutputStream();
        }
        throw new AssertionError("no sample of " + type);
    }

    /** A stream of silence in a PCM format. */
    private static AudioInputStream pcm(AudioFormat format, int frames) {
        return new AudioInputStream(new ByteArrayInputStream(new byte[frames * format.getFrameSize()]), format, frames);
    }

    /** Every PCM format probed: signed and unsigned of 8 to 32 bits, float of 32 and 64, both byte orders. */
    private static List<AudioFormat> pcmFormats(Map<String, Object> properties) {
        List<AudioFormat> formats = new ArrayList<>();
        for (float rate : RATES) {
            for (int channels = 1; channels <= 10; channels++) {
                for (boolean bigEndian : new boolean[] {false, true}) {
                    for (int bits : new int[] {8, 16, 24, 32}) {
                        formats.add(WriterTests.format(Encoding.PCM_SIGNED, rate, bits, channels, bigEndian, properties));
                        formats.add(WriterTests.format(Encoding.PCM_UNSIGNED, rate, bits, channels, bigEndian, properties));
                    }
                    for (int bits : new int[] {32, 64}) {
                        formats.add(WriterTests.format(Encoding.PCM_FLOAT, rate, bits, channels, bigEndian, properties));
                    }
                }
            }
        }
        return formats;
    }

    /**
     * Default settings (6 kbps: the stereo 48 kHz model) take 1 or 2 channels, nothing more; below
     * 3 kbps (the mono 24 kHz model) any number. The writer's and the converter's answers agree,
     * and each is kept by the write and the conversion.
     */
    @Test
    void supportedMeansWritable() throws Exception {
        int probed = 0;
        int written = 0;
        for (int bitrate : new int[] {EcdcAudioFileWriter.DEFAULT_BITRATE, 1500}) {
            for (AudioFormat format : pcmFormats(Map.of(EcdcProperties.BITRATE, bitrate))) {
                probed++;
                boolean expected = format.getChannels() <= 2 || bitrate < 3000;
                AudioInputStream stream = pcm(format, 0);
                boolean writable = AudioSystem.isFileTypeSupported(EcdcFileFormatType.ECDC, stream);
                boolean convertible = AudioSystem.isConversionSupported(EcdcEncoding.ECDC, format);
                assertEquals(expected, writable, "isFileTypeSupported(ECDC) of " + format);
                assertEquals(expected, convertible, "isConversionSupported(ECDC) of " + format);
                assertEquals(expected, List.of(AudioSystem.getAudioFileTypes(stream)).contains(EcdcFileFormatType.ECDC),
                        "getAudioFileTypes of " + format);
                assertEquals(expected, AudioSystem.getTargetFormats(EcdcEncoding.ECDC, format).length > 0,
                        "getTargetFormats(ECDC) of " + format);
                if (!expected) {
                    assertThrows(IllegalArgumentException.class, () -> AudioSystem.write(pcm(format, 0),
                            EcdcFileFormatType.ECDC, new ByteArrayOutputStream()), "write of " + format);
                    assertThrows(IllegalArgumentException.class, () -> AudioSystem.getAudioInputStream(
                            EcdcEncoding.ECDC, pcm(format, 0)), "conversion of " + format);
                    continue;
                }
                try {
                    AudioSystem.getAudioInputStream(EcdcEncoding.ECDC, pcm(format, 0)).close();
                    for (AudioFormat target : AudioSystem.getTargetFormats(EcdcEncoding.ECDC, format)) {
                        assertTrue(AudioSystem.isConversionSupported(target, format), target + " from " + format);
                        AudioSystem.getAudioInputStream(target, pcm(format, 0)).close();
                    }
                    // a real write of each kind of format at one rate (each write encodes)
                    if (format.getSampleRate() == 44_100) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        AudioSystem.write(pcm(format, 441), EcdcFileFormatType.ECDC, out);
                        assertTrue(out.size() > 0);
                        written++;
                    }
                } catch (IllegalArgumentException e) {
                    fail("supported, then " + e + " for " + format);
                }
            }
        }
        System.out.printf("[sound] %d PCM formats probed, %d written: every supported one writes and converts, "
                + "every other is refused%n", probed, written);
        assertEquals(2 * RATES.length * 10 * 2 * 10, probed);
    }

    /** An unusable setting is an IOException from the write, not "unsupported": the format itself is writable. */
    @Test
    void unusableSettingIsSupportedAndSaysWhy() throws Exception {
        AudioFormat format = WriterTests.format(Encoding.PCM_SIGNED, 48_000, 16, 2, false,
                Map.of(EcdcProperties.BITRATE, "fast"));
        assertTrue(AudioSystem.isFileTypeSupported(EcdcFileFormatType.ECDC, pcm(format, 0)));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> AudioSystem.write(pcm(format, 10),
                EcdcFileFormatType.ECDC, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("bitrate"), e.getMessage());
        assertArrayEquals(new AudioFileFormat.Type[] {EcdcFileFormatType.ECDC},
                new EcdcAudioFileWriter().getAudioFileTypes(pcm(format, 0)));
    }
}
