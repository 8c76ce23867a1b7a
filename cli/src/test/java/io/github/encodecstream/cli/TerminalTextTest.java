package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.testing.EcdcBytes;
import io.github.encodecstream.testing.ReferenceData;
import io.github.encodecstream.testing.ReferenceModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.SourceDataLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from a file, a URL or a server never reaches the terminal with control characters in it:
 * {@code info}, {@code -i}, {@code play}'s status line, error messages and log lines escape them;
 * {@code info --json} keeps the text exact.
 */
@ExtendWith(ReferenceModels.class)
class TerminalTextTest {
    /** Sets the terminal's title, rings the bell, clears the screen. */
    static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2J";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether a printed text holds a character that a terminal acts on. */
    static boolean hasControls(String text) {
        return text.chars().anyMatch(c -> c != '\n' && c != '\r' && (c < 0x20 || (c >= 0x7f && c < 0xa0)
                || c == 0x202e || c == 0x2028));
    }

    /** An .ecdc file (the seed's audio) whose name, source, thumbnail and an extra key carry escapes. */
    static Path hostileFile(Path dir) throws IOException {
        byte[] seed = Files.readAllBytes(ReferenceData.file("seed/seed_b6.ecdc"));
        EcdcHeader header = EcdcBytes.read(seed);
        int headerLength = EcdcBytes.headerBytes(seed).length;
        EcdcMetadata m = header.metadata().toBuilder().name(HOSTILE).source("http://x/" + HOSTILE)
                .thumbnail("\u009b31m\u202eevil").putExtra("k\u001b[1m", JSON.getNodeFactory().textNode(HOSTILE)).build();
        byte[] head = EcdcHeader.of(header.version(), m).toBytes();
        byte[] file = Arrays.copyOf(head, head.length + seed.length - headerLength);
        System.arraycopy(seed, headerLength, file, head.length, seed.length - headerLength);
        return Files.write(dir.resolve("hostile.ecdc"), file);
    }

    @Test
    void escapesControlsAndKeepsOtherText() {
        assertEquals("\\x1b]0;pwned\\x07\\x1b[2J", TerminalText.escape(HOSTILE));
        assertEquals("a\\x7fb\\x9bc\\x00\\x0a\\u202e\\u2028", TerminalText.escape("a\u007fb\u009bc\u0000\n\u202e\u2028"));
        String plain = "\u00dcber Lied \u2713 \ud83d\ude00 C:\\x1b \t".replace("\t", "");
        assertEquals(plain, TerminalText.escape(plain));
        assertEquals(TerminalText.escape(HOSTILE), TerminalText.escape(TerminalText.escape(HOSTILE)), "idempotent");
    }

    @Test
    void infoPrintsNoEscapes(@TempDir Path dir) throws IOException {
        Path file = hostileFile(dir);
        CliRun run = CliRun.of("info", file.toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertFalse(hasControls(run.out()), run.out());
        assertTrue(run.out().contains("name: \\x1b]0;pwned\\x07\\x1b[2J"), run.out());
        assertTrue(run.out().contains("thumbnail: \\x9b31m\\u202eevil"), run.out());

        CliRun two = CliRun.of("info", file.toString(), file.toString());
        assertFalse(hasControls(two.out()), two.out());

        CliRun json = CliRun.of("info", "--json", file.toString());
        assertEquals(Main.OK, json.exitCode(), json.toString());
        assertFalse(hasControls(json.out()), json.out());
        assertEquals(HOSTILE, JSON.readTree(json.stdout()).get("name").asText(), "JSON keeps the text exact");
        assertEquals(HOSTILE, JSON.readTree(json.stdout()).get("extra").get("k\u001b[1m").asText());
    }

    @Test
    void legacyInfoPrintsNoEscapes(@TempDir Path dir) throws IOException {
        CliRun run = CliRun.of("-i", hostileFile(dir).toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertFalse(hasControls(run.out()), run.out());
        assertTrue(run.out().contains("Name: \"\\u001b]0;pwned\\u0007\\u001b[2J\""), "json.dumps's escapes: " + run.out());
        assertTrue(run.out().contains("K\\x1b[1M: "), "a key escaped too: " + run.out());
    }

    @Test
    void playShowsTheNameEscaped(@TempDir Path dir) throws Exception {
        SourceDataLine line = PlayCommandTest.recordingLine(new ByteArrayOutputStream(), new AtomicReference<AudioFormat>());
        CliRun run = CliRun.withLines(any -> line, "play", "--progress", "-ss", "6.5", hostileFile(dir).toString());
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("\\x1b]0;pwned\\x07\\x1b[2J  0:07.0 / 0:07.0"), run.stderr());
        assertFalse(hasControls(run.stderr().replace("\r", "")), run.stderr());
    }

    @Test
    void errorMessagesNameFilesEscaped(@TempDir Path dir) {
        String missing = dir.resolve("no" + HOSTILE + ".ecdc").toString();
        for (String[] args : new String[][] {{"info", missing}, {"-i", missing}, {"decode", missing}, {"play", missing},
            {"info", missing, missing}, {"decode", "--bogus" + HOSTILE, missing}}) {
            CliRun run = CliRun.of(args);
            assertTrue(run.exitCode() != Main.OK, run.toString());
            assertFalse(hasControls(run.stderr()), Arrays.toString(args) + ": " + run.stderr());
            assertTrue(run.stderr().contains("\\x1b]0;pwned\\x07"), run.stderr());
        }
    }

    @Test
    void logLinesAreEscaped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CliLogging.OneLineHandler handler = new CliLogging.OneLineHandler(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        handler.publish(new LogRecord(Level.WARNING, "cannot use " + HOSTILE));
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("encodec-stream: warning: cannot use \\x1b]0;pwned\\x07\\x1b[2J" + System.lineSeparator(), line);
    }

    /** A server whose reason phrase carries escapes: the error line shows them escaped. */
    @Test
    void serverReasonPhraseIsEscaped() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5000);
                    InputStream in = s.getInputStream();
                    byte[] request = new byte[8192];
                    int n = 0;
                    while (n < request.length && !new String(request, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        int r = in.read(request, n, request.length - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 404 Gone" + HOSTILE + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException ignored) {
                    // the test fails on the client's side
                }
            }, "reason-phrase-server");
            serving.setDaemon(true);
            serving.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/x.ecdc";
            CliRun run = CliRun.of("info", "--retries", "0", url);
            serving.join(5000);
            assertEquals(Main.BAD_INPUT, run.exitCode(), run.toString());
            assertFalse(hasControls(run.stderr()), run.stderr());
            assertTrue(run.stderr().contains("HTTP 404 Gone\\x1b]0;pwned\\x07"), run.stderr());
        }
    }
}
