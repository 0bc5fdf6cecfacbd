package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relayed routes share the dashboard's origin: upstream replies cannot bring markup, CORS grants or cookies
 * onto it, and a path is relayed only in the form it was routed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RelayHardeningSystemIT {
    private static final MockUpstream UPSTREAM = start();
    private static final Path ROOT;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        ROOT = PoolFiles.tempRoot("proxygate-relay-hardening",
                pool -> PoolFiles.chatgpt(pool, "alpha@x.com", "acc-alpha", "pro"));
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of(
                "PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", UPSTREAM.url() + "/backend-api",
                "PROXYGATE_CHATGPT_USAGE_URL", UPSTREAM.url() + "/wham/usage")));
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        mock.on("GET", "/backend-api/page", (r, ex) -> {
            byte[] body = "<html><script>fetch('/admin/keys')</script></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "https://evil.example");
            ex.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
            ex.getResponseHeaders().set("Set-Cookie", "proxygate_admin=planted; Path=/");
            ex.getResponseHeaders().set("Clear-Site-Data", "\"cookies\"");
            ex.getResponseHeaders().set("X-Upstream-Note", "kept");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        });
        mock.on("GET", "/backend-api/data", (r, ex) -> MockUpstream.json(ex, 200, "{\"ok\":true}"));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void upstreamHtmlIsRelayedAsPlainTextWithoutCorsOrCookies() throws Exception {
        HttpResponse<String> r = get("/backend-api/page");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).as("bytes unchanged").isEqualTo("<html><script>fetch('/admin/keys')</script></html>");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("sandbox"));
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.headers().firstValue("Clear-Site-Data")).isEmpty();
        assertThat(r.headers().firstValue("X-Upstream-Note")).as("other headers still relayed").contains("kept");
    }

    @Test
    void jsonKeepsItsTypeAndGetsNosniff() throws Exception {
        HttpResponse<String> r = get("/backend-api/data");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/codex/../v1/models", "/codex/./x", "/backend-api/a/../../wham/usage",
            "/backend-api//data", "/backend-api;p=1/data", "/backend-api/%2e%2e/wham/usage", "/codex/a%2Fb"})
    void aPathNotInNormalFormIsRefusedAndNeverSentUpstream(String path) throws Exception {
        int before = UPSTREAM.requests().size();

        String status = rawGet(path);

        assertThat(status).startsWith("HTTP/1.1 4");
        assertThat(UPSTREAM.requests().subList(before, UPSTREAM.requests().size()))
                .noneMatch(r -> r.path().contains("..") || r.path().contains("/./") || r.path().contains("//"))
                .noneMatch(r -> r.path().startsWith("/backend-api/codex") || r.path().startsWith("/backend-api/v1"));
    }

    /** A request line exactly as written: Java's HTTP client might tidy the path. Returns the status line. */
    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + APP.getLocalPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return reply.substring(0, reply.indexOf("\r\n"));
        }
    }
}
