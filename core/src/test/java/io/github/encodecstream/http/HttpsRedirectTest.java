package io.github.encodecstream.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.encodecstream.source.HttpSourceException;
import io.github.encodecstream.source.TestHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redirects between https and http, for the source reader ({@link Resource.Use#SEEKABLE}) and the
 * download ({@link Resource.Use#DOWNLOAD}): a {@link TestHttpsServer} (trusted by the client
 * through {@link HttpSettings#tls()}) whose {@code /to?URL} answers 302 to that URL, and a plain
 * http server with the file.
 */
class HttpsRedirectTest {
    private static final byte[] DATA = new byte[100_000];

    static {
        new Random(3).nextBytes(DATA);
    }

    private TestHttpsServer https;
    private TestHttpServer http;
    private HttpSettings settings;

    @BeforeEach
    void start() throws IOException, GeneralSecurityException {
        https = new TestHttpsServer().handle("/to", ex -> {
            try (ex) {
                ex.getResponseHeaders().add("Location", ex.getRequestURI().getRawQuery());
                ex.sendResponseHeaders(302, -1);
            }
        }).handle("/files/data.bin", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, DATA.length);
                ex.getResponseBody().write(DATA);
            }
        });
        http = new TestHttpServer().put("data.bin", DATA);
        settings = HttpSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetries(1, Duration.ofMillis(5), Duration.ofMillis(5)).withInsecureRedirects(false)
                .withTls(https.clientTls());
    }

    @AfterEach
    void stop() {
        https.close();
        http.close();
    }

    private URI httpsUri(String path) {
        return https.uri(path);
    }

    private static byte[] read(URI uri, HttpSettings settings, Resource.Use use) throws IOException {
        try (Resource resource = new Resource(uri, settings, use);
                InputStream in = new ResumingInputStream(resource, resource.open(0), null)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(Resource.Use.class)
    void httpsToHttpIsRefusedByDefault(Resource.Use use) {
        URI from = httpsUri("/to?" + http.uri("/files/data.bin"));
        HttpSourceException e = assertThrows(HttpSourceException.class, () -> read(from, settings, use));
        assertEquals(302, e.status());
        assertFalse(e.isRetryable());
        assertTrue(e.detail().startsWith("redirect from https to http refused (" + http.uri("/files/data.bin")),
                e.detail());
        assertTrue(e.detail().contains("encodec.http.allowInsecureRedirects=true"), e.detail());
        assertEquals(from, e.uri());
        assertTrue(http.requests().isEmpty(), "nothing was sent over http");
    }

    @ParameterizedTest
    @EnumSource(Resource.Use.class)
    void httpsToHttpIsFollowedWhenAllowed(Resource.Use use) throws IOException {
        URI from = httpsUri("/to?" + http.uri("/files/data.bin"));
        assertArrayEquals(DATA, read(from, settings.withInsecureRedirects(true), use));
        assertEquals(1, http.requests().size());
    }

    @Test
    void httpsToHttpsIsFollowed() throws IOException {
        assertArrayEquals(DATA, read(httpsUri("/to?/files/data.bin"), settings, Resource.Use.SEEKABLE));
        assertArrayEquals(DATA, read(httpsUri("/to?" + httpsUri("/files/data.bin")), settings,
                Resource.Use.DOWNLOAD));
    }

    @Test
    void theRuleIsPerHop() throws HttpSourceException {
        URI secure = URI.create("https://a.example/x");
        URI plain = URI.create("http://b.example/y");
        assertEquals(URI.create("https://a.example/z"), Exchange.redirect(secure, 301, "/z", 0, settings),
                "a relative Location stays on https");
        assertEquals(secure, Exchange.redirect(plain, 302, secure.toString(), 0, settings), "http to https");
        assertEquals(URI.create("http://c.example/"), Exchange.redirect(plain, 307, "http://c.example/", 0, settings));
        assertThrows(HttpSourceException.class, () -> Exchange.redirect(secure, 308, "HTTP://b.example/y", 0, settings));
        assertEquals(plain, Exchange.redirect(secure, 308, plain.toString(), 0, settings.withInsecureRedirects(true)));
    }
}
