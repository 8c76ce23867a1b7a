package io.github.encodecstream.sound;

import java.io.File;
import java.io.OutputStream;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioSystem;

/**
 * The writer's memory on a long input, in a JVM of its own (models from {@code -Dencodec.models}):
 * {@code EncodeMemoryProbe MINUTES BITRATE RATE CHANNELS [FILE]} writes MINUTES of a generated
 * 16-bit sine at RATE Hz with CHANNELS channels through {@code AudioSystem.write} at BITRATE bit/s
 * (to FILE, else to a counting sink), printing the live heap after a GC and the resident set size
 * every minute of input as {@code minute M heap MB rss MB}, then {@code bytes N seconds S}. Run it
 * under {@code /usr/bin/time -v} for the peak RSS.
 */
public final class EncodeMemoryProbe {
    private EncodeMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        int minutes = Integer.parseInt(args[0]);
        int bitrate = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int channels = Integer.parseInt(args[3]);
        AudioFormat format = WriterTests.format(Encoding.PCM_SIGNED, rate, 16, channels, false,
                Map.of(EcdcProperties.BITRATE, bitrate));
        long frames = minutes * 60L * rate;
        WriterTests.GeneratedPcm pcm = new WriterTests.GeneratedPcm(format, frames, 60L * rate, position ->
                System.out.printf("minute %d heap %.1f rss %.1f%n", position / (60L * rate),
                        WriterTests.usedHeapAfterGc() / 1048576.0, rssMb()));
        long start = System.nanoTime();
        long bytes;
        if (args.length > 4) {
            bytes = AudioSystem.write(pcm.stream(), EcdcFileFormatType.ECDC, new File(args[4]));
        } else {
            long[] count = new long[1];
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            };
            AudioSystem.write(pcm.stream(), EcdcFileFormatType.ECDC, sink);
            bytes = count[0];
        }
        System.out.printf("bytes %d seconds %.1f heap %.1f rss %.1f%n", bytes, (System.nanoTime() - start) / 1e9,
                WriterTests.usedHeapAfterGc() / 1048576.0, rssMb());
    }

    private static double rssMb() {
        try {
            return RssProbe.rssKib() / 1024.0;
        } catch (Exception e) {
            return -1;
        }
    }
}
