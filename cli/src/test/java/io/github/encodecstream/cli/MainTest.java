package io.github.encodecstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top command: help, version, and usage errors. */
class MainTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "info", "decode", "play"})
    void helpOnEveryCommand(String command) {
        CliRun run = command.isEmpty() ? CliRun.of("--help") : CliRun.of(command, "--help");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: encodec-stream" + (command.isEmpty() ? "" : " " + command)), run.out());
        assertEquals("", run.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "info", "decode", "play"})
    void versionOnEveryCommand(String command) {
        CliRun run = command.isEmpty() ? CliRun.of("--version") : CliRun.of(command, "--version");
        assertEquals(Main.OK, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("encodec-stream "), run.out());
        assertEquals(1, run.out().lines().count(), run.out());
    }

    @Test
    void topHelpListsCommandsExitCodesAndEnvironment() {
        String help = CliRun.of("-h").out();
        assertTrue(help.contains("info") && help.contains("decode") && help.contains("play"), help);
        assertTrue(help.matches("(?s).*\\n  4 +missing model.*"), help);
        assertTrue(help.matches("(?s).*\\n  5 +no audio output.*"), help);
        assertTrue(help.matches("(?s).*\\n  130 +interrupted.*"), help);
        assertTrue(help.contains("-i=FILE-or-URL") && help.contains("-d=FILE-or-URL") && help.contains("-ss=TIME"), help);
        assertTrue(help.contains("ENCODEC_MODELS"), help);
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        InfoCommandTest.assertUsage(run);
        assertTrue(run.stderr().contains("missing command"), run.stderr());
    }

    @Test
    void unknownCommandOrOptionIsAUsageError() {
        InfoCommandTest.assertUsage(CliRun.of("frobnicate", "x.ecdc"));
        InfoCommandTest.assertUsage(CliRun.of("--frobnicate"));
    }

    @Test
    void aMistypedCommandIsReportedWithItsArguments() {
        CliRun run = CliRun.of("decod", "x.ecdc");
        InfoCommandTest.assertUsage(run);
        assertEquals("encodec-stream: Unmatched arguments from index 0: 'decod', 'x.ecdc' (see 'encodec-stream --help')",
                run.stderr().strip());
    }

    @Test
    void onlyTheNamedCommandIsBuilt() {
        assertEquals(List.of("info"), commandsFor("info", "x.ecdc"));
        assertEquals(List.of("decode"), commandsFor("-v", "-q", "decode", "-o", "info", "x.ecdc"));
        assertEquals(List.of("play"), commandsFor("--threads", "2", "-g", "cpu", "play", "x.ecdc"));
        assertEquals(List.of("info"), commandsFor("--threads=2", "-gcpu", "info", "decode"));
        // Encodec-Stream's flags: an option's value is no command, and they need none
        assertEquals(List.of(), commandsFor("-d", "info", "-ss", "1", "-to", "2"));
        assertEquals(List.of(), commandsFor("-e", "out.ecdc", "-b", "6", "-n", "play"));
        assertEquals(List.of(), commandsFor("--version"));
        assertEquals(List.of(), commandsFor());
        List<String> all = List.of("info", "decode", "encode", "play");
        assertEquals(all, commandsFor("--help"));
        assertEquals(all, commandsFor("-q", "-h"));
        assertEquals(all, commandsFor("frobnicate", "info"));
        assertEquals(all, commandsFor("--", "info"));
    }

    private static List<String> commandsFor(String... args) {
        ProcessIo io = CliRun.io(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream(), true));
        return List.copyOf(Main.commandLine(io, args).getSubcommands().keySet());
    }

    @Test
    void encodecStreamFlagsAreCheckedTogether() {
        String file = io.github.encodecstream.testing.ReferenceData.file("seed/seed_b6.ecdc").toString();
        InfoCommandTest.assertUsage(CliRun.of("-ss", "1"));
        InfoCommandTest.assertUsage(CliRun.of("-i", file, "-d", file));
        InfoCommandTest.assertUsage(CliRun.of("-ss", "1", "-i", file));
        InfoCommandTest.assertUsage(CliRun.of("-ss", "2", "-to", "1", "-d", file));
        InfoCommandTest.assertUsage(CliRun.of("-ss", "x", "-d", file));
        InfoCommandTest.assertUsage(CliRun.of("-g", "tpu", "-d", file));
        InfoCommandTest.assertUsage(CliRun.of("-d"));
    }

    @Test
    void missingInputOfFlags() {
        CliRun info = CliRun.of("-i", "/no/such/file.ecdc");
        assertEquals(Main.BAD_INPUT, info.exitCode(), info.toString());
        assertEquals("encodec-stream: /no/such/file.ecdc: no such file or directory", info.stderr().strip());
        CliRun decode = CliRun.of("-d", "/no/such/file.ecdc");
        assertEquals(Main.BAD_INPUT, decode.exitCode(), decode.toString());
        assertEquals(0, decode.stdout().length);
    }

    @Test
    void exitCodesOfExceptions() {
        assertEquals(Main.BAD_INPUT, Failure.exitCode(new java.nio.file.NoSuchFileException("x")));
        assertEquals(Main.BAD_INPUT, Failure.exitCode(new io.github.encodecstream.format.EcdcFormatException("bad", 0)));
        assertEquals(Main.MISSING_MODEL, Failure.exitCode(new io.github.encodecstream.store.ModelStore.ModelNotFoundException(
                "gone", "encodec_24khz", "encodec_24khz-d7cc33bc.th", java.net.URI.create("https://example.com/"), null)));
        assertEquals(Main.ERROR, Failure.exitCode(new IllegalStateException()));
        assertEquals(Main.ERROR, Failure.exitCode(new java.io.IOException("disk full")));
    }

    @Test
    void messagesAreOneLine() {
        assertEquals("a b c", Failure.message(new java.io.IOException("a\n  b\r\nc\n")));
        assertEquals("java.lang.IllegalStateException", Failure.message(new IllegalStateException()));
    }
}
