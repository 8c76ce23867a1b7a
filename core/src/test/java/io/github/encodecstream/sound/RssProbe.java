package io.github.encodecstream.sound;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Run in a child JVM by {@link DecodeAheadTest}: open/read/close cycles through AudioSystem
 * (models from {@code -Dencodec.models}), printing the resident set size every 50 cycles as
 * {@code rss CYCLES KIB}.
 */
public final class RssProbe {
    private RssProbe() {}

    /** {@code RssProbe CYCLES FILE...}: cycles over the files in turn. */
    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        byte[] buffer = new byte[16 * 1024];
        for (int i = 1; i <= cycles; i++) {
            File file = new File(args[1 + i % (args.length - 1)]);
            try (AudioInputStream in = AudioSystem.getAudioInputStream(file)) {
                int got = 0;
                while (got < buffer.length) {
                    int n = in.read(buffer, got, buffer.length - got);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
            }
            if (i % 50 == 0) {
                System.gc();
                Thread.sleep(200);
                System.out.println("rss " + i + " " + rssKib() + " open " + DecodeAhead.openCount());
            }
        }
    }

    /** VmRSS of /proc/self/status, KiB. */
    static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
