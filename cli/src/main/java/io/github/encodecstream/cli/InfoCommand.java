package io.github.encodecstream.cli;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.format.EcdcMetadata;
import io.github.encodecstream.store.ModelStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code info [--json] FILE-or-URL...}: prints each file's header and metadata (reading nothing
 * beyond the header), as {@code key: value} lines (control characters escaped: {@link TerminalText})
 * or as one JSON object per file (exact: JSON's own escapes).
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print the metadata of .ecdc files or URLs.")
final class InfoCommand implements Callable<Integer> {
    /**
     * Indented, with non-ASCII characters escaped so that the console's encoding does not matter;
     * made on first use, by {@code --json} only (databind's start costs about 0.2 s, which the
     * other commands and the text output need not pay).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    }

    @Option(names = {"-j", "--json"}, description = "Print JSON (one object per file).")
    boolean json;

    /** {@code --timeout} and {@code --retries}, for URLs. */
    @Mixin
    HttpOptions network;

    @Parameters(arity = "1..*", paramLabel = "FILE-or-URL", description = "The .ecdc files or http(s) URLs "
            + "(only the header is read).")
    List<String> files;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Inputs inputs = new Inputs(parent.io.stdin(), network.settings());
        int status = Main.OK;
        for (String file : files) {
            EcdcHeader header;
            try {
                header = inputs.header(file);
            } catch (Failure e) {
                status = Failure.reportOrThrow(e, files.size() == 1, err);
                continue;
            }
            ObjectNode node = describe(header);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(node));
            } else {
                if (files.size() > 1) {
                    out.println(TerminalText.escape(file) + ":");
                }
                node.fields().forEachRemaining(e -> {
                    JsonNode v = e.getValue();
                    if (!v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                        out.println(TerminalText.escape(e.getKey() + ": " + text(v)));
                    }
                });
                out.println("weights: " + ModelStore.weightsNotice(header.family().fileName()));
            }
        }
        out.flush();
        return status;
    }

    /**
     * A value as the text output shows it: objects and arrays as JSON ({@code toString}, which
     * sets up a databind mapper), strings, numbers and booleans as their text (what
     * {@code toString} writes for the finite numbers of a header, without the mapper).
     */
    private static String text(JsonNode v) {
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    /** The JSON description of a header. */
    static ObjectNode describe(EcdcHeader header) {
        EcdcMetadata m = header.metadata();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("version", header.version());
        node.put("model", m.model());
        node.put("sample_rate", m.effectiveSampleRate());
        node.put("channels", m.family().channels());
        node.put("length", m.audioLength());
        node.put("duration_seconds", m.durationSeconds());
        node.put("codebooks", m.codebooks());
        node.put("bandwidth_kbps", m.bandwidthKbps());
        node.put("lm", m.lm());
        node.put("lm_version", m.lmVersion());
        node.put("lm_checksum", m.lmChecksum());
        node.put("lm_chunk_steps", m.lmChunkSteps());
        if (m.lm()) {
            node.put("lm_index", m.hasLmIndex());
        } else {
            node.putNull("lm_index");
        }
        node.put("name", m.name());
        node.put("source", m.source());
        node.put("thumbnail", m.thumbnail());
        ObjectNode extra = node.putObject("extra");
        m.extra().forEach(extra::set);
        return node;
    }
}
