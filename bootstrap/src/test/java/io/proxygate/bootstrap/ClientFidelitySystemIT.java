package io.proxygate.bootstrap;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.github.luben.zstd.Zstd;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.fidelity.CapturingUpstream;
import io.proxygate.bootstrap.fidelity.Fidelity;
import io.proxygate.bootstrap.fidelity.Fidelity.Difference;
import io.proxygate.bootstrap.fidelity.RecordingTee;
import io.proxygate.bootstrap.fidelity.WireRequest;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.ACCEPT_ENCODING_IDENTITY;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.BODY_DECODED;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.CODEX_ACCEPT_EVENT_STREAM;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.CODEX_BODY_RULES;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.CONNECTION_FIELDS;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.CREDENTIAL;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.OAUTH_BETA_APPENDED;
import static io.proxygate.bootstrap.fidelity.Fidelity.Difference.UPSTREAM_URL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real client sends ProxyGate against what ProxyGate sends the upstream, for each client: the Codex CLI,
 * Claude Code and OpenCode (pinned in testdata/clients, installed with npm like the clients gate does) and the
 * official OpenAI and Anthropic Java SDKs. A recording tee sits between client and ProxyGate, a socket-level mock
 * upstream records the other side; the two must be equal apart from the named differences the README lists.
 */
class ClientFidelitySystemIT {
    private static final String PROXY_TOKEN = "fidelity-proxy-token";
    private static final Set<String> SIDE_CALLS = Set.of("/wham/usage", "/api/oauth/usage");

    /** One ProxyGate between a recording tee and a capturing upstream, over a given pool. */
    @ExtendWith(DropwizardExtensionsSupport.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Scenario {
        final CapturingUpstream upstream;
        final DropwizardAppExtension<ProxyGateConfiguration> app;
        final Path root;
        RecordingTee tee;

        Scenario(boolean accounts) {
            try {
                upstream = new CapturingUpstream();
                root = Files.createTempDirectory("proxygate-fidelity");
                Path pool = root.resolve("pool");
                if (accounts) {
                    PoolFiles.chatgpt(pool, "codex@x.com", "acc-fidelity", "pro");
                    PoolFiles.claude(pool, "claude@x.com");
                } else {
                    PoolFiles.key(pool, "openai-1", "openai", "sk-fidelity-openai");
                    PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-fidelity-key");
                }
                app = ProxyGateRunner.extension(ProxyGateRunner.config(root,
                        ProxyGateRunner.upstreamsAt(upstream.url(), Map.of("PROXYGATE_PROXY_TOKEN", PROXY_TOKEN))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The app starts before each test (not before {@code @BeforeAll}); the tee follows its port. */
        @BeforeEach
        void teeInFrontOfProxyGate() throws IOException {
            if (tee == null) {
                tee = new RecordingTee(app::getLocalPort);
            }
            tee.clear();
            upstream.clear();
        }

        @AfterAll
        void stop() throws IOException {
            if (tee != null) {
                tee.close();
            }
            upstream.close();
        }

        /**
         * Pairs every relayed upstream request with the client request it came from (same last path segment, in
         * order), compares each pair and returns the union of the named differences; unexplained ones fail.
         */
        Set<Difference> relayed(String expectedLastSegment) {
            List<WireRequest> sent = new ArrayList<>(tee.requests());
            List<WireRequest> received = upstream.requests().stream()
                    .filter(r -> !SIDE_CALLS.contains(r.path())).toList();
            Set<Difference> all = EnumSet.noneOf(Difference.class);
            int paired = 0;
            for (WireRequest out : received) {
                WireRequest in = sent.stream().filter(r -> lastSegment(r).equals(lastSegment(out))).findFirst()
                        .orElseThrow(() -> new AssertionError("no client request for upstream " + out.target()
                                + " among " + sent.stream().map(WireRequest::target).toList()));
                sent.remove(in);
                Fidelity.Result result = Fidelity.compare(in, out);
                assertThat(result.unexplained()).as("%s %s -> %s", in.method(), in.target(), out.target()).isEmpty();
                all.addAll(result.differences());
                if (lastSegment(out).equals(expectedLastSegment)) {
                    paired++;
                }
            }
            assertThat(paired).as("relayed requests ending in /" + expectedLastSegment).isPositive();
            return all;
        }

        String base() {
            return tee.url();
        }

        private static String lastSegment(WireRequest r) {
            String path = r.path();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    @Nested
    class OnOAuthAccounts extends Scenario {
        OnOAuthAccounts() {
            super(true);
        }

        @Test
        void codexCliReachesTheCodexBackendAsItWasSent() throws Exception {
            Path home = Files.createDirectories(root.resolve("codex-home"));
            Path codexHome = Files.createDirectories(root.resolve("codex"));
            Files.writeString(codexHome.resolve("config.toml"), """
                    model = "gpt-5"
                    model_provider = "pg"
                    [model_providers.pg]
                    name = "pg"
                    base_url = "%s/v1"
                    wire_api = "responses"
                    env_key = "PG_KEY"
                    """.formatted(base()));

            String out = Clients.run(home, Map.of("HOME", home.toString(), "CODEX_HOME", codexHome.toString(),
                    "PG_KEY", PROXY_TOKEN), Clients.bin("codex").toString(), "exec", "--skip-git-repo-check",
                    "Return exactly pong");

            assertThat(out).contains("pong");
            assertThat(relayed("responses")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY));
            WireRequest sent = upstream.requests().stream().filter(r -> r.path().endsWith("/codex/responses"))
                    .findFirst().orElseThrow();
            assertThat(sent.header("x-codex-turn-metadata")).isPresent();
            assertThat(sent.bodyText()).doesNotContain("\"instructions\":\"\"");
        }

        @Test
        void claudeCodeReachesTheClaudeApiAsItWasSentPlusTheOAuthBeta() throws Exception {
            Path home = Files.createDirectories(root.resolve("claude-home"));

            String out = Clients.run(home, Map.of("HOME", home.toString(), "ANTHROPIC_BASE_URL", base() + "/v1",
                    "ANTHROPIC_API_KEY", PROXY_TOKEN, "DISABLE_AUTOUPDATER", "1", "DISABLE_TELEMETRY", "1"),
                    Clients.bin("claude").toString(), "--bare", "-p", "Return exactly pong");

            assertThat(out).contains("pong");
            assertThat(relayed("messages")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, OAUTH_BETA_APPENDED));
        }

        @Test
        void openCodeOnAnthropicKeepsItsPromptWithMimicryOff() throws Exception {
            String out = Clients.openCode(root, base(), "pga/claude-sonnet-4-5");

            assertThat(out).contains("pong");
            assertThat(relayed("messages")).isEqualTo(EnumSet.of(CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, OAUTH_BETA_APPENDED));
            WireRequest sent = upstream.requests().stream().filter(r -> r.path().equals("/v1/messages")).findFirst()
                    .orElseThrow();
            assertThat(sent.bodyText()).doesNotContain("You are Claude Code");
        }

        @Test
        void openCodeOnResponsesGetsOnlyTheCodexBackendRules() throws Exception {
            String out = Clients.openCode(root, base(), "pgo/gpt-5");

            assertThat(out).contains("pong");
            assertThat(relayed("responses")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, CODEX_ACCEPT_EVENT_STREAM, CODEX_BODY_RULES));
        }

        @Test
        void openAiJavaSdkOnTheCodexBackend() {
            OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(PROXY_TOKEN)
                    .maxRetries(0).timeout(java.time.Duration.ofSeconds(30)).build();
            try (var stream = openai.responses().createStreaming(ResponseCreateParams.builder().model("gpt-5")
                    .input("Return exactly pong").build())) {
                assertThat(stream.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta()).toList())
                        .containsExactly("pong");
            }
            openai.responses().create(ResponseCreateParams.builder().model("gpt-5").input("Return exactly pong").build());

            assertThat(relayed("responses")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, CODEX_BODY_RULES, CODEX_ACCEPT_EVENT_STREAM));
        }

        @Test
        void anthropicJavaSdkOnAClaudeAccount() {
            AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(base()).apiKey(PROXY_TOKEN)
                    .maxRetries(0).timeout(java.time.Duration.ofSeconds(30)).build();
            anthropic.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(16)
                    .addUserMessage("Return exactly pong").build());

            assertThat(relayed("messages")).isEqualTo(EnumSet.of(CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, OAUTH_BETA_APPENDED));
        }

        @Test
        void aZstdBodyReachesTheCodexBackendAsTheClientsOwnBytes() throws Exception {
            byte[] json = ("{\"model\":\"gpt-5\",\"instructions\":\"be brief\",\"input\":[{\"type\":\"message\","
                    + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"ping\"}]}],"
                    + "\"store\":false,\"stream\":true,\"prompt_cache_key\":\"s-1\"}").getBytes(StandardCharsets.UTF_8);

            int status = Clients.post(base() + "/v1/responses", Zstd.compress(json), "zstd");

            assertThat(status).isEqualTo(200);
            assertThat(relayed("responses")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY));
            WireRequest sent = upstream.requests().getLast();
            assertThat(sent.header("content-encoding")).contains("zstd");
            for (String codexHeader : List.of("session-id", "thread-id", "x-codex-turn-metadata", "x-codex-window-id",
                    "x-codex-beta-features", "version", "originator")) {
                assertThat(sent.header(codexHeader)).as(codexHeader).isPresent();
            }
        }

        @Test
        void aGzipBodyIsDecodedForAnUpstreamThatTakesOnlyZstd() throws Exception {
            byte[] json = ("{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(json);
            }

            int status = Clients.post(base() + "/v1/responses", gz.toByteArray(), "gzip");

            assertThat(status).isEqualTo(200);
            assertThat(relayed("responses")).isEqualTo(EnumSet.of(UPSTREAM_URL, CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY, BODY_DECODED));
        }
    }

    @Nested
    class OnApiKeys extends Scenario {
        OnApiKeys() {
            super(false);
        }

        @Test
        void openAiJavaSdkReachesTheOpenAiApiByteForByte() {
            OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(PROXY_TOKEN)
                    .maxRetries(0).timeout(java.time.Duration.ofSeconds(30)).build();
            openai.responses().create(ResponseCreateParams.builder().model("gpt-5").input("Return exactly pong")
                    .maxOutputTokens(64).temperature(0.2).build());
            openai.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-5")
                    .addUserMessage("Return exactly pong").build());

            assertThat(relayed("responses")).isEqualTo(EnumSet.of(CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY));
        }

        @Test
        void anthropicJavaSdkReachesTheAnthropicApiByteForByte() {
            AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(base()).apiKey(PROXY_TOKEN)
                    .maxRetries(0).timeout(java.time.Duration.ofSeconds(30)).build();
            anthropic.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(16)
                    .addUserMessage("Return exactly pong").build());

            assertThat(relayed("messages")).isEqualTo(EnumSet.of(CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY));
        }

        @Test
        void claudeCodeOnAnAnthropicKeyGetsNoBetaAdded() throws Exception {
            Path home = Files.createDirectories(root.resolve("claude-key-home"));

            String out = Clients.run(home, Map.of("HOME", home.toString(), "ANTHROPIC_BASE_URL", base(),
                    "ANTHROPIC_API_KEY", PROXY_TOKEN, "DISABLE_AUTOUPDATER", "1", "DISABLE_TELEMETRY", "1"),
                    Clients.bin("claude").toString(), "--bare", "-p", "Return exactly pong");

            assertThat(out).contains("pong");
            assertThat(relayed("messages")).isEqualTo(EnumSet.of(CONNECTION_FIELDS, CREDENTIAL,
                    ACCEPT_ENCODING_IDENTITY));
        }
    }

    /** The real CLIs, run headless in a temp HOME so no developer setting or key can leak in. */
    static final class Clients {
        private static final Path DIR = TestPaths.testdata("clients");

        private Clients() {
        }

        static synchronized Path bin(String name) throws IOException, InterruptedException {
            Path bin = name.equals("opencode")
                    ? DIR.resolve("node_modules/opencode-linux-x64/bin/opencode")
                    : DIR.resolve("node_modules/.bin").resolve(name);
            if (!Files.isExecutable(bin)) {
                // As the clients gate does: the pinned versions from package-lock.json.
                String out = run(DIR, Map.of("HOME", System.getProperty("user.home")), "npm", "install",
                        "--no-audit", "--no-fund", "--loglevel=error");
                assertThat(bin).as("npm install of testdata/clients: " + out).isExecutable();
            }
            return bin;
        }

        static String openCode(Path root, String base, String model) throws Exception {
            Path project = Files.createDirectories(root.resolve("opencode-" + model.replace('/', '-')));
            Files.writeString(project.resolve("opencode.json"), """
                    {"$schema": "https://opencode.ai/config.json",
                     "model": "%3$s",
                     "provider": {
                       "pga": {"npm": "@ai-sdk/anthropic", "name": "PG Anthropic",
                               "options": {"baseURL": "%1$s/v1", "apiKey": "%2$s"},
                               "models": {"claude-sonnet-4-5": {}}},
                       "pgo": {"npm": "@ai-sdk/openai", "name": "PG OpenAI",
                               "options": {"baseURL": "%1$s/v1", "apiKey": "%2$s"},
                               "models": {"gpt-5": {}}}}}
                    """.formatted(base, PROXY_TOKEN, model));
            Path xdg = root.resolve("opencode-xdg-" + model.replace('/', '-'));
            Map<String, String> env = new HashMap<>();
            env.put("HOME", Files.createDirectories(xdg.resolve("home")).toString());
            env.put("XDG_CONFIG_HOME", xdg.resolve("config").toString());
            env.put("XDG_DATA_HOME", xdg.resolve("data").toString());
            env.put("XDG_CACHE_HOME", xdg.resolve("cache").toString());
            env.put("XDG_STATE_HOME", xdg.resolve("state").toString());
            env.put("OPENCODE_DISABLE_MODELS_FETCH", "1");
            env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
            return run(project, env, bin("opencode").toString(), "run", "--title", "t", "--format", "json",
                    "-m", model, "Return", "exactly", "pong");
        }

        /** Runs a command with only {@code env} (and a plain PATH), stdin closed; returns its output. */
        static String run(Path dir, Map<String, String> env, String... command) throws IOException,
                InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            pb.environment().put("TERM", "dumb");
            pb.environment().putAll(env);
            Process process = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the process ended
                }
            });
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command) + "\n" + out);
            }
            reader.join(5_000);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
            return text;
        }

        /** A Codex-shaped POST with an encoded body, as Codex 0.17x sends its own backend. */
        static int post(String url, byte[] body, String encoding) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + PROXY_TOKEN)
                    .header("originator", "codex_exec")
                    .header("User-Agent", "codex_exec/0.171.0 (Linux; x86_64)")
                    .header("version", "0.171.0")
                    .header("session-id", "s-1")
                    .header("thread-id", "t-1")
                    .header("x-codex-turn-metadata", "{\"session_id\":\"s-1\"}")
                    .header("x-codex-window-id", "w-1")
                    .header("x-codex-beta-features", "f1")
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", encoding)
                    .header("Accept", "text/event-stream")
                    .header("Accept-Encoding", "zstd, gzip")
                    .timeout(java.time.Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
        }
    }
}
