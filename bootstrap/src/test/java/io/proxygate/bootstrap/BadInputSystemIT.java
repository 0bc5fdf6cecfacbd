package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken input at the edges of the running server: bodies over the limit (plain and as a gzip bomb),
 * malformed JSON, invalid UTF-8, CR/LF smuggled into values that could end up in upstream headers, raw requests
 * with bare CRs, path traversal in the admin API's ids, corrupt pool files. Each gets a clear 4xx in the route's
 * shape (or is relayed harmlessly), never a 500, and nothing is written outside the pool directory.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadInputSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "test-admin-token-bad-input";
    private static final int MAX_BODY = 8192;
    private static final MockUpstream UPSTREAM = start();
    private static final Path ROOT;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        ROOT = PoolFiles.tempRoot("proxygate-bad-input", pool -> {
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-bad-input");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-bad-input");
            Files.writeString(pool.resolve("apikeys/garbage.json"), "\u0000\u00ff not json at all");
            Files.writeString(pool.resolve("apikeys/truncated.json"), "{\"id\":\"truncated\",\"type\":\"openai\",\"api_k");
            Files.createDirectories(pool.resolve("chatgpt"));
            Files.write(pool.resolve("chatgpt/bad-utf8.json"), new byte[]{'{', '"', 'e', '"', ':', '"', (byte) 0xC3,
                    (byte) 0x28, '"', '}'});
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of(
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", UPSTREAM.url() + "/v1",
                "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", UPSTREAM.url(),
                "PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                "PROXYGATE_SERVER_MAX_BODY_BYTES", Integer.toString(MAX_BODY))));
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok")));
        mock.on("POST", "/v1/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_1", "ok"));
        mock.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.messageJson("ok")));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWrongMethodOnAnApiRouteGets405InTheRoutesShapeWithAllow() throws Exception {
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/v1/chat/completions")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).isEqualTo(405);
        assertThat(chat.headers().firstValue("Allow")).hasValue("POST");
        assertThat(JSON.readTree(chat.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> messages = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/v1/messages"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(messages.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(messages.body()).path("type").asText()).isEqualTo("error");
    }

    @Test
    void aJsonReplyLeavesInOnePieceWithItsLength() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", utf8("{\"model\":\"gpt-4o\",\"messages\":[]}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(
                Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
    }

    @Test
    void aBodyOverTheLimitGets413InTheRoutesShape() throws Exception {
        byte[] big = utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(MAX_BODY)
                + "\"}]}");
        HttpResponse<String> openai = post("/v1/chat/completions", big);
        assertThat(openai.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(openai.body()).path("error").path("message").asText()).contains("larger than");
        HttpResponse<String> anthropic = post("/v1/messages", big);
        assertThat(anthropic.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(anthropic.body()).path("type").asText()).isEqualTo("error");
    }

    @Test
    void aGzipBombIsCutAtTheLimitWith413() throws Exception {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
            gz.write(utf8("{\"model\":\"gpt-4o\",\"input\":\""));
            byte[] zeros = new byte[64 * 1024];
            java.util.Arrays.fill(zeros, (byte) 'a');
            for (int i = 0; i < 64; i++) { // 4 MiB inflated, a few KiB on the wire
                gz.write(zeros);
            }
            gz.write(utf8("\"}"));
        }
        HttpResponse<String> r = post("/v1/responses", packed.toByteArray(), "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void malformedOrNonObjectJsonGets400WithAMessage() throws Exception {
        for (String body : List.of("{\"model\":", "[1,2,3]", "\"just a string\"", "{\"model\":\"gpt-4o\"} trailing",
                "", "{\"model\":\"gpt-4o\",}")) {
            HttpResponse<String> r = post("/v1/chat/completions", utf8(body));
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).as(body)
                    .startsWith("invalid request body");
        }
        HttpResponse<String> anthropic = post("/v1/messages", utf8("{nope"));
        assertThat(anthropic.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText())
                .isEqualTo("invalid_request_error");
    }

    @Test
    void invalidUtf8IsRefusedOrRelayedButNeverAServerError() throws Exception {
        byte[] inModel = {'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> r = post("/v1/chat/completions", inModel);
        assertThat(r.statusCode()).isEqualTo(400);
        byte[] nested = utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(nested);
        body.write(new byte[]{(byte) 0xFF, (byte) 0xFE, (byte) 0xED});
        body.write(utf8("\"}]}"));
        HttpResponse<String> deep = post("/v1/chat/completions", body.toByteArray());
        assertThat(deep.statusCode()).isIn(200, 400);
        assertThat(deep.body()).isNotBlank();
    }

    @Test
    void crlfInBodyValuesNeverBecomesAnUpstreamHeader() throws Exception {
        String evil = "gpt-4o\\r\\nX-Injected: yes\\r\\n";
        HttpResponse<String> chat = post("/v1/chat/completions", utf8("{\"model\":\"" + evil
                + "\",\"user\":\"u\\r\\nX-Injected: yes\",\"messages\":[]}"));
        HttpResponse<String> messages = post("/v1/messages", utf8("{\"model\":\"" + evil + "\",\"max_tokens\":5,"
                + "\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"s\\r\\nX-Injected: yes\\\"}\"},\"messages\":[]}"));
        assertThat(chat.statusCode()).isLessThan(500);
        assertThat(messages.statusCode()).isLessThan(500);
        for (MockUpstream.Recorded seen : UPSTREAM.requests()) {
            assertThat(seen.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Injected"));
        }
    }

    @Test
    void aRawRequestWithABareCarriageReturnInAHeaderIsRefusedWith400() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"messages\":[]}";
        String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nX-Session-Id: a\rX-Injected: b\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(status).startsWith("HTTP/1.1 4");
        }
    }

    @Test
    void pathTraversalInAdminIdsIsRefusedAndWritesNothingOutsideThePool() throws Exception {
        Path outside = ROOT.resolve("outside.json");
        Files.writeString(outside, "{\"keep\":true}");
        List<String> ids = List.of("../outside", "../../etc/passwd", "a/b", "..", "x\\..\\y", "%2e%2e%2foutside",
                "/tmp/abs");
        for (String id : ids) {
            String body = JSON.writeValueAsString(Map.of("id", id, "type", "openai", "api_key", "sk-test-traversal"));
            HttpResponse<String> add = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/admin/keys"))
                    .header("X-Admin-Token", ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(add.statusCode()).as(id + ": " + add.body()).isBetween(400, 499);
            String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
            HttpResponse<String> delete = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/admin/keys/" + encoded))
                    .header("X-Admin-Token", ADMIN_TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).as("DELETE " + id).isBetween(400, 499);
        }
        assertThat(Files.readString(outside)).isEqualTo("{\"keep\":true}");
        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString())
                    .filter(p -> !p.startsWith("pool/") && !p.startsWith("data/")))
                    .containsExactlyInAnyOrder("outside.json");
        }
        try (Stream<Path> keys = Files.list(ROOT.resolve("pool/apikeys"))) {
            assertThat(keys.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "openai-1.json", "anthropic-1.json", "garbage.json", "truncated.json");
        }
    }

    @Test
    void corruptPoolFilesAreReportedAndSkippedWhileGoodCredentialsServe() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode healthJson = JSON.readTree(health.body());
        assertThat(health.body()).contains("garbage.json").contains("truncated.json").contains("bad-utf8.json");
        assertThat(healthJson.path("ok").asBoolean()).isTrue();
        // Served without a token: files are named within the pool folder, never by where it is on disk.
        assertThat(healthJson.path("problems").findValuesAsText("file")).containsExactlyInAnyOrder(
                "apikeys/garbage.json", "apikeys/truncated.json", "chatgpt/bad-utf8.json");
        assertThat(health.body()).doesNotContain(ROOT.toString());
        // A probe reads: writing methods are refused.
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/healthz"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow").orElse("")).as(method).contains("GET").contains("HEAD");
        }
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isBetween(200, 204);
        HttpResponse<String> served = post("/v1/chat/completions",
                utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(served.statusCode()).isEqualTo(200);
    }
}
