import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Converts an audio file that Java Sound can read (with encodec-stream.jar on the class path:
 * also .ecdc) to a 16-bit WAV file, and prints its properties. Uses javax.sound.sampled only.
 *
 * <pre>
 * javac -d out EcdcToWav.java
 * java -cp ../../cli/target/encodec-stream.jar:out EcdcToWav song.ecdc song.wav
 * </pre>
 */
public class EcdcToWav {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java EcdcToWav IN.ecdc OUT.wav");
            System.exit(2);
        }
        File in = new File(args[0]);
        File out = new File(args[1]);

        AudioFileFormat fileFormat = AudioSystem.getAudioFileFormat(in);
        AudioFormat format = fileFormat.getFormat();
        System.out.println("type: " + fileFormat.getType());
        System.out.println("format: " + format);
        System.out.println("frames: " + fileFormat.getFrameLength());
        print(format.properties());
        print(fileFormat.properties());

        try (AudioInputStream audio = AudioSystem.getAudioInputStream(in)) {
            System.out.println("decoded: " + audio.getFormat() + ", " + audio.getFrameLength() + " frames");
            int bytes = AudioSystem.write(audio, AudioFileFormat.Type.WAVE, out);
            System.out.println("wrote " + out + ": " + bytes + " bytes");
        }
    }

    private static void print(Map<String, Object> properties) {
        new TreeMap<>(properties).forEach((key, value) -> System.out.println(key + ": " + value));
    }
}
