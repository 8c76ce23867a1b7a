import java.io.File;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javazoom.jlgui.basicplayer.BasicController;
import javazoom.jlgui.basicplayer.BasicPlayer;
import javazoom.jlgui.basicplayer.BasicPlayerEvent;
import javazoom.jlgui.basicplayer.BasicPlayerListener;

/**
 * Plays a file with javazoom's BasicPlayer (3.0.0.0) to its end and prints what a player UI sees:
 * {@code length BYTES} (the {@code audio.length.bytes} property) and one {@code progress BYTES}
 * line per progress event (the encoded-stream position), then {@code done}. Run by
 * BasicPlayerTest with the source launcher, BasicPlayer's jars on the class path.
 */
public class BasicPlayerProbe {
    public static void main(String[] args) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        BasicPlayer player = new BasicPlayer();
        player.addBasicPlayerListener(new BasicPlayerListener() {
            @Override
            public void opened(Object stream, Map properties) {
                System.out.println("length " + properties.get("audio.length.bytes"));
            }

            @Override
            public void progress(int bytesRead, long microseconds, byte[] pcm, Map properties) {
                synchronized (System.out) {
                    System.out.println("progress " + bytesRead);
                }
            }

            @Override
            public void stateUpdated(BasicPlayerEvent event) {
                if (event.getCode() == BasicPlayerEvent.EOM || event.getCode() == BasicPlayerEvent.STOPPED) {
                    stopped.countDown();
                }
            }

            @Override
            public void setController(BasicController controller) {}
        });
        player.open(new File(args[0]));
        player.play();
        if (!stopped.await(120, TimeUnit.SECONDS)) {
            System.out.println("timeout");
            System.exit(2);
        }
        Thread.sleep(300); // BasicPlayer delivers events on threads of their own
        synchronized (System.out) {
            System.out.println("done");
        }
        System.exit(0);
    }
}
