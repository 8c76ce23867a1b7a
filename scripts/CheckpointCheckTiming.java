import io.github.encodecstream.files.FileIdentity;
import io.github.encodecstream.store.CacheLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the check of a cached checkpoint costs at start-up (run by benchmark-checkpoint-check):
 * "stamp FILE" writes the stamp beside FILE (hashing it once); "check FILE" times the first
 * CacheLayout.knownSha256 of a fresh JVM: trusted from the stamp in an owner-only folder,
 * hashed in any other.
 */
public class CheckpointCheckTiming {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long t0 = System.nanoTime();
        String sha256 = CacheLayout.knownSha256(file);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (args[0].equals("stamp")) {
            Files.writeString(file.resolveSibling("." + file.getFileName() + ".sha256"),
                    FileIdentity.of(file) + " " + sha256 + "\n", StandardCharsets.US_ASCII);
        }
        System.out.printf("%s %.1f ms%n", args[0], ms);
    }
}
