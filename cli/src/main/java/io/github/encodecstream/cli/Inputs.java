package io.github.encodecstream.cli;

import io.github.encodecstream.codec.DecoderOptions;
import io.github.encodecstream.codec.EcdcDecoder;
import io.github.encodecstream.format.EcdcHeader;
import io.github.encodecstream.source.ByteSource;
import io.github.encodecstream.source.FileByteSource;
import io.github.encodecstream.source.HttpByteSource;
import io.github.encodecstream.source.StreamByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Inputs named on the command line: a file, an http(s) URL, or {@code -} for standard input. */
final class Inputs {
    private final InputStream stdin;
    private final HttpByteSource.Options http;

    /**
     * @param stdin what {@code -} reads: the run's standard input
     * @param http settings for http(s) inputs
     */
    Inputs(InputStream stdin, HttpByteSource.Options http) {
        this.stdin = stdin;
        this.http = http;
    }

    /**
     * Opens an input as a byte source.
     *
     * @throws Failure exit code 3 when it cannot be opened
     */
    ByteSource open(String input) {
        try {
            if (input.equals("-")) {
                return new StreamByteSource(stdin);
            }
            if (HttpByteSource.isHttpUrl(input)) {
                URI uri;
                try {
                    uri = new URI(input);
                } catch (URISyntaxException e) {
                    throw new Failure(Main.BAD_INPUT, input + ": not a valid URL (" + e.getReason() + ")", e);
                }
                try {
                    return HttpByteSource.open(uri, http);
                } catch (IllegalArgumentException e) {
                    throw new Failure(Main.BAD_INPUT, input + ": " + Failure.message(e), e);
                }
            }
            Path path;
            try {
                path = Path.of(input);
            } catch (InvalidPathException e) {
                throw new Failure(Main.BAD_INPUT, input + ": not a valid file name", e);
            }
            return new FileByteSource(path);
        } catch (IOException e) {
            throw Failure.inputError(input, e);
        }
    }

    /** Reads the header of an input (and nothing more). */
    EcdcHeader header(String input) {
        try (ByteSource source = open(input); InputStream in = source.openAt(0)) {
            return EcdcHeader.read(in, source.size().orElse(-1));
        } catch (IOException e) {
            throw Failure.inputError(input, e);
        }
    }

    /** Opens a decoder on an input (reading its header). */
    EcdcDecoder decoder(String input, DecoderOptions options) {
        ByteSource source = open(input);
        try {
            return EcdcDecoder.open(source, options); // closes the source on failure
        } catch (IOException e) {
            throw Failure.inputError(input, e);
        }
    }
}
