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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a web page can do to a ProxyGate on loopback, tried the way a browser would: a DNS-rebound Host, cross-site
 * and cross-port {@code Origin}s, {@code Sec-Fetch-Site}, {@code text/plain} "simple" POSTs; and the client-auth
 * rule for Claude OAuth tokens. Real clients (no Origin, JSON bodies, a loopback Host) keep working. Requests are
 * written on a raw socket, since Java's HTTP client will not send a foreign Host header.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BrowserAttackSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY_TOKEN = "browser-attack-proxy-token";
    private static final String ADMIN_TOKEN = "browser-attack-admin-token";
    private static final String POOLED_CLAUDE = "sk-ant-oat01-fake-" + "claude@x.com".hashCode();
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-browser", pool -> {
            PoolFiles.chatgpt(pool, "alpha@x.com", "acc-alpha", "pro");
            PoolFiles.claude(pool, "claude@x.com");
            PoolFiles.disabledClaude(pool, "benched");
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-key");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.ofEntries(
                Map.entry("PROXYGATE_PROXY_TOKEN", PROXY_TOKEN),
                Map.entry("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN),
                Map.entry("PROXYGATE_PUBLIC_BASE_URL", "https://gate.example.com"),
                Map.entry("PROXYGATE_SERVER_ALLOWED_HOSTS", "proxy.internal, other.internal"),
                Map.entry("PROXYGATE_SERVER_ALLOWED_ORIGINS", "http://127.0.0.1:3000"),
                Map.entry("PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", UPSTREAM.url() + "/backend-api"),
                Map.entry("PROXYGATE_UPSTREAM_OPENAI_BASE_URL", UPSTREAM.url() + "/v1"),
                Map.entry("PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", UPSTREAM.url()),
                Map.entry("PROXYGATE_UPSTREAM_ANTHROPIC_API_BASE_URL", UPSTREAM.url()),
                Map.entry("PROXYGATE_CHATGPT_USAGE_URL", UPSTREAM.url() + "/wham/usage"),
                Map.entry("PROXYGATE_CLAUDE_USAGE_URL", UPSTREAM.url() + "/api/oauth/usage"))));
    }

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        mock.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("hi")));
        mock.on("POST", "/v1/messages", (r, ex) -> {
            // An upstream's own CORS answer, which must never reach our origin's clients.
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (r.body().contains("\"stream\":true")) {
                UpstreamReplies.messagesStream(ex, "hi");
            } else {
                MockUpstream.json(ex, 200, UpstreamReplies.messageJson("hi"));
            }
        });
        mock.on("GET", "/backend-api/conversations", (r, ex) -> MockUpstream.json(ex, 200, "{\"items\":[]}"));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        /** Every value of a reply header, in any letter case. */
        List<String> header(String name) {
            return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).trim()).toList();
        }
    }

    private static String local() {
        return "127.0.0.1:" + APP.getLocalPort();
    }

    /** One HTTP/1.1 request written by hand: every header exactly as given, Host included. */
    private static Reply send(String method, String path, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", local());
        all.putAll(headers);
        all.put("Connection", "close");
        if (body != null) {
            all.put("Content-Length", Integer.toString(bytes.length));
        }
        all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            int split = raw.indexOf("\r\n\r\n");
            String payload = split < 0 ? "" : raw.substring(split + 4);
            String replyHead = raw.substring(0, Math.max(split, 0));
            if (replyHead.toLowerCase().contains("transfer-encoding: chunked")) {
                payload = dechunk(payload);
            }
            return new Reply(status, replyHead, payload);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static Map<String, String> client(String... more) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + PROXY_TOKEN);
        h.put("Content-Type", "application/json");
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
    }

    private static final String CHAT = "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGE = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void aReboundHostIsRefusedOnEveryRouteAndNothingGoesUpstream() throws Exception {
        int before = UPSTREAM.requests("/backend-api/conversations").size();
        String port = ":" + APP.getLocalPort();
        Reply passthrough = send("GET", "/backend-api/conversations?limit=100",
                client("Host", "attacker-rebind.example" + port), null);
        assertThat(passthrough.status()).isEqualTo(421);
        assertThat(passthrough.json().path("error").path("message").asText()).contains("attacker-rebind.example");
        assertThat(send("POST", "/v1/chat/completions", client("Host", "attacker-rebind.example" + port), CHAT)
                .status()).isEqualTo(421);
        Reply messages = send("POST", "/v1/messages", client("Host", "attacker-rebind.example"), MESSAGE);
        assertThat(messages.status()).isEqualTo(421);
        assertThat(messages.json().path("type").asText()).isEqualTo("error");
        Reply admin = send("GET", "/admin/status", Map.of("Host", "attacker-rebind.example" + port,
                "X-Admin-Token", ADMIN_TOKEN), null);
        assertThat(admin.status()).isEqualTo(421);
        assertThat(admin.json().path("error").isTextual()).isTrue();
        assertThat(send("GET", "/", Map.of("Host", "attacker-rebind.example" + port), null).status())
                .isEqualTo(421);
        assertThat(UPSTREAM.requests("/backend-api/conversations")).hasSize(before);
    }

    @Test
    void loopbackNamesThePublicHostAndConfiguredHostsAreAnswered() throws Exception {
        String port = ":" + APP.getLocalPort();
        for (String host : List.of("localhost" + port, "127.0.0.1" + port, "[::1]" + port, "LOCALHOST" + port,
                "gate.example.com", "proxy.internal" + port, "other.internal")) {
            assertThat(send("POST", "/v1/chat/completions", client("Host", host), CHAT).status()).as(host)
                    .isEqualTo(200);
        }
        assertThat(send("GET", "/backend-api/conversations", client(), null).status()).isEqualTo(200);
    }

    @Test
    void crossSiteAndCrossPortBrowserRequestsAreRefused() throws Exception {
        for (String origin : List.of("https://evil.example", "http://127.0.0.1:8888", "http://localhost:8888",
                "null")) {
            assertThat(send("POST", "/v1/chat/completions", client("Origin", origin), CHAT).status()).as(origin)
                    .isEqualTo(403);
            assertThat(send("GET", "/backend-api/conversations", client("Origin", origin), null).status())
                    .as(origin).isEqualTo(403);
        }
        for (String site : List.of("cross-site", "same-site")) {
            Reply r = send("POST", "/v1/messages", client("Sec-Fetch-Site", site), MESSAGE);
            assertThat(r.status()).as(site).isEqualTo(403);
            assertThat(r.json().path("error").path("type").asText()).isEqualTo("permission_error");
        }
        // A cookie-carrying cross-port page cannot reach the admin API either.
        assertThat(send("POST", "/admin/pricing/refresh", Map.of("Origin", "http://127.0.0.1:8888",
                "X-Admin-Token", ADMIN_TOKEN), "").status()).isEqualTo(403);
    }

    @Test
    void sameOriginBrowsersAndPlainClientsAreServed() throws Exception {
        assertThat(send("POST", "/v1/chat/completions", client("Origin", "http://" + local(),
                "Sec-Fetch-Site", "same-origin"), CHAT).status()).isEqualTo(200);
        assertThat(send("POST", "/v1/chat/completions", client("Origin", "https://gate.example.com"), CHAT)
                .status()).isEqualTo(200);
        // A web UI the operator allowed by origin.
        assertThat(send("POST", "/v1/chat/completions", client("Origin", "http://127.0.0.1:3000",
                "Sec-Fetch-Site", "same-site"), CHAT).status()).isEqualTo(200);
        // Following a link to the dashboard from another site is fine: the page itself holds nothing.
        assertThat(send("GET", "/", Map.of("Sec-Fetch-Site", "cross-site"), null).status()).isEqualTo(200);
    }

    @Test
    void aListedOriginsChatUiCanPreflightAndReadRepliesButNothingElse() throws Exception {
        String ui = "http://127.0.0.1:3000";
        Map<String, String> preflight = Map.of("Origin", ui, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type, anthropic-version",
                "Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "same-site");
        Reply allowed = send("OPTIONS", "/v1/messages", preflight, null);
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("Access-Control-Allow-Origin")).containsExactly(ui);
        assertThat(allowed.header("Access-Control-Allow-Methods")).containsExactly("POST");
        assertThat(allowed.header("Access-Control-Allow-Headers"))
                .containsExactly("authorization, content-type, anthropic-version");
        assertThat(allowed.header("Access-Control-Max-Age")).isNotEmpty();
        assertThat(String.join(",", allowed.header("Vary"))).contains("Origin");

        Map<String, String> unlisted = new LinkedHashMap<>(preflight);
        unlisted.put("Origin", "http://127.0.0.1:8888");
        Reply refused = send("OPTIONS", "/v1/messages", unlisted, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();
        for (String path : List.of("/admin/status", "/backend-api/conversations", "/")) {
            Reply other = send("OPTIONS", path, preflight, null);
            assertThat(other.status()).as(path).isNotEqualTo(204);
            assertThat(other.header("Access-Control-Allow-Origin")).as(path).isEmpty();
        }

        Reply json = send("POST", "/v1/messages", client("Origin", ui, "Sec-Fetch-Site", "same-site"), MESSAGE);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Access-Control-Allow-Origin")).as("ours only, never the upstream's *")
                .containsExactly(ui);
        assertThat(String.join(",", json.header("Access-Control-Expose-Headers"))).contains("Retry-After")
                .contains("request-id");
        Reply streamed = send("POST", "/v1/messages", client("Origin", ui, "Sec-Fetch-Site", "same-site"),
                "{\"stream\":true," + MESSAGE.substring(1));
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.header("Content-Type").getFirst()).startsWith("text/event-stream");
        assertThat(streamed.header("Access-Control-Allow-Origin")).containsExactly(ui);
        assertThat(streamed.body()).contains("message_stop");

        Reply plain = send("POST", "/v1/messages", client(), MESSAGE);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.head().toLowerCase()).doesNotContain("access-control-");
    }

    @Test
    void apiPostsMustBeJson() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
            Reply r = send("POST", "/v1/chat/completions", client("Content-Type", type), CHAT);
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
        Map<String, String> noType = client();
        noType.remove("Content-Type");
        assertThat(send("POST", "/v1/responses", noType, "{}").status()).isEqualTo(415);
        Reply messages = send("POST", "/v1/messages", client("Content-Type", "text/plain"), MESSAGE);
        assertThat(messages.status()).isEqualTo(415);
        assertThat(messages.json().path("type").asText()).isEqualTo("error");
        assertThat(send("POST", "/v1/chat/completions", client("Content-Type", "application/json; charset=utf-8"),
                CHAT).status()).isEqualTo(200);
    }

    @Test
    void theBareClaudeTokenPrefixIsNoKeyButAPooledClaudeTokenIs() throws Exception {
        Map<String, String> prefix = client("x-api-key", "sk-ant-oat");
        prefix.remove("Authorization");
        assertThat(send("POST", "/v1/messages", prefix, MESSAGE).status()).isEqualTo(401);
        Map<String, String> someOther = client("x-api-key", "sk-ant-oat01-test-unpooled");
        someOther.remove("Authorization");
        assertThat(send("POST", "/v1/messages", someOther, MESSAGE).status()).isEqualTo(401);
        Map<String, String> pooled = client("x-api-key", POOLED_CLAUDE);
        pooled.remove("Authorization");
        assertThat(send("POST", "/v1/messages", pooled, MESSAGE).status()).isEqualTo(200);
        // A disabled account's owner is out of the pool, and out of the door.
        Map<String, String> disabled = client("x-api-key", "sk-ant-oat01-fake-benched");
        disabled.remove("Authorization");
        assertThat(send("POST", "/v1/messages", disabled, MESSAGE).status()).isEqualTo(401);
    }
}
