package io.proxygate.adapter.out.upstream.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.HttpUpstreamAdapter;
import io.proxygate.adapter.out.upstream.UpstreamSettings;
import io.proxygate.adapter.out.upstream.vertex.MockGoogleCloud.Reply;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.application.http.Headers;
import io.proxygate.domain.fallback.ClaudeVariants;
import io.proxygate.domain.fallback.VariantChange;
import io.proxygate.domain.usage.UsageReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Vertex adapter against a real HTTP Vertex mock, with tokens from Google's library exchanging a real JWT. */
class VertexAnthropicAdapterTest {
    private static final String PINNED_BODY =
            "{\"model\":\"claude-opus-4-7\",\"max_tokens\":1000,\"messages\":[],\"service_tier\":\"auto\","
                    + "\"context_management\":{\"edits\":[]}}";

    @TempDir
    Path dir;
    private final MockGoogleCloud google = newMock();
    private final HttpUpstreamAdapter http = new HttpUpstreamAdapter(UpstreamSettings.builder().build());
    private KeyPair key;

    private static MockGoogleCloud newMock() {
        try {
            return new MockGoogleCloud();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void serviceAccountKey() {
        key = CredentialFiles.throwawayRsaKey();
        google.serviceAccountKey = key.getPublic();
    }

    @AfterEach
    void stop() {
        http.close();
        google.close();
    }

    private VertexAnthropicAdapter adapter() throws Exception {
        Path file = CredentialFiles.serviceAccount(dir, key, google.tokenUri());
        return new VertexAnthropicAdapter(http, new VertexSettings("test-project", "us-east5",
                Optional.of(google.base())), GoogleCredentialDiscovery.fromFile(file));
    }

    private static VertexRequest request(String body, VariantChange change, boolean stream, Headers headers) {
        return new VertexRequest("claude-opus-4-6", change, body.getBytes(StandardCharsets.UTF_8), headers, stream);
    }

    @Test
    void sendsThePinnedRequestToRawPredictWithAGoogleTokenFromARealJwtExchange() throws Exception {
        google.then(Reply.json(200, "{\"id\":\"msg_v\",\"type\":\"message\",\"model\":\"claude-opus-4-6\","
                + "\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}"));
        VertexAnthropicAdapter vertex = adapter();

        try (UpstreamCall call = vertex.open(request(PINNED_BODY, ClaudeVariants.change("thinking-16k"), false,
                Headers.EMPTY))) {
            UpstreamHead head = call.awaitHead();
            String body = drain(call);
            assertThat(head.status()).isEqualTo(200);
            assertThat(body).contains("msg_v");
            UsageReport usage = call.usage();
            assertThat(usage.tokens().inputTokens()).isEqualTo(5);
            assertThat(usage.tokens().outputTokens()).isEqualTo(7);
        }

        MockGoogleCloud.Received sent = google.vertexRequests.getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(
                "/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-opus-4-6:rawPredict");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer fake-access-token-1");
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.header("Content-Type")).startsWith("application/json");
        JsonNode json = sent.json();
        assertThat(json.has("model")).isFalse();
        assertThat(json.has("service_tier")).isFalse();
        assertThat(json.has("context_management")).isFalse();
        assertThat(json.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(json.path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(json.path("thinking").path("budget_tokens").asLong()).isEqualTo(16_000);
        assertThat(json.path("max_tokens").asLong()).isEqualTo(17_024);

        assertThat(google.tokenRequests).hasSize(1);
        JsonNode claims = google.verifiedAssertions.getFirst();
        assertThat(claims.path("iss").asText()).isEqualTo("proxygate-test@test-project.iam.gserviceaccount.com");
        assertThat(claims.path("scope").asText()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
        // Google's library keeps Google's audience even when token_uri points elsewhere.
        assertThat(claims.path("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
    }

    @Test
    void streamsThroughStreamRawPredictAndExtractsUsage() throws Exception {
        google.then(Reply.stream(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\","
                        + "\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":11,"
                        + "\"cache_read_input_tokens\":3,\"output_tokens\":1}}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":42}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        VertexAnthropicAdapter vertex = adapter();
        String body = "{\"model\":\"claude-opus-4-7\",\"stream\":true,\"max_tokens\":64000,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},\"messages\":[]}";

        String relayed;
        UsageReport usage;
        try (UpstreamCall call = vertex.open(request(body, new VariantChange.Keep(), true, Headers.EMPTY))) {
            UpstreamHead head = call.awaitHead();
            assertThat(head.eventStream()).isTrue();
            assertThat(head.clientHeaders().first("content-type")).contains("text/event-stream");
            relayed = drain(call);
            usage = call.usage();
        }

        assertThat(relayed).contains("\"text\":\"hi\"").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(usage.tokens().inputTokens()).isEqualTo(11);
        assertThat(usage.tokens().outputTokens()).isEqualTo(42);
        assertThat(usage.responseId()).contains("msg_s");
        assertThat(usage.complete()).isTrue();
        MockGoogleCloud.Received sent = google.vertexRequests.getFirst();
        assertThat(sent.path()).endsWith("/models/claude-opus-4-6:streamRawPredict");
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
        JsonNode json = sent.json();
        assertThat(json.path("stream").asBoolean()).isTrue();
        assertThat(json.path("thinking").path("budget_tokens").asLong()).as("preserve keeps thinking").isEqualTo(2000);
        assertThat(json.path("max_tokens").asLong()).isEqualTo(64_000);
    }

    @Test
    void forwardsOnlyTheAllowedClientHeaders() throws Exception {
        google.then(Reply.json(200, "{}"));
        Headers client = Headers.of("User-Agent", "claude-cli/2.1.0", "x-request-id", "req-1",
                "x-client-request-id", "creq-1", "x-app", "cli", "x-claude-code-session-id", "sess-1",
                "x-api-key", "sk-test-proxy-token", "anthropic-version", "2023-06-01",
                "anthropic-beta", "oauth-2025-04-20", "Authorization", "Bearer sk-test-client");

        try (UpstreamCall call = adapter().open(request("{\"messages\":[]}", new VariantChange.Keep(), false,
                client))) {
            call.awaitHead();
            drain(call);
        }

        MockGoogleCloud.Received sent = google.vertexRequests.getFirst();
        assertThat(sent.header("User-Agent")).isEqualTo("claude-cli/2.1.0");
        assertThat(sent.header("x-request-id")).isEqualTo("req-1");
        assertThat(sent.header("x-client-request-id")).isEqualTo("creq-1");
        assertThat(sent.header("x-app")).isEqualTo("cli");
        assertThat(sent.header("x-claude-code-session-id")).isEqualTo("sess-1");
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("anthropic-version")).isNull();
        assertThat(sent.header("anthropic-beta")).isNull();
        assertThat(sent.headers().get("Authorization")).containsExactly("Bearer fake-access-token-1");
    }

    @Test
    void reusesTheCachedGoogleTokenAcrossCalls() throws Exception {
        google.then(Reply.json(200, "{}")).then(Reply.json(200, "{}"));
        VertexAnthropicAdapter vertex = adapter();

        for (int i = 0; i < 2; i++) {
            try (UpstreamCall call = vertex.open(request("{}", new VariantChange.Keep(), false, Headers.EMPTY))) {
                call.awaitHead();
                drain(call);
            }
        }

        assertThat(google.tokensIssued).hasValue(1);
        assertThat(google.vertexRequests).extracting(r -> r.header("Authorization"))
                .containsOnly("Bearer fake-access-token-1");
    }

    @Test
    void relaysVertexErrorsWithTheirStatus() throws Exception {
        google.then(Reply.json(429, "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\"}}", "Retry-After", "7"));

        try (UpstreamCall call = adapter().open(request("{}", new VariantChange.Keep(), false, Headers.EMPTY))) {
            UpstreamHead head = call.awaitHead();
            assertThat(head.status()).isEqualTo(429);
            assertThat(head.upstreamHeaders().first("retry-after")).contains("7");
            assertThat(drain(call)).contains("Quota exceeded");
        }
    }

    @Test
    void aRejectedTokenExchangeFailsTheCallLikeAnUnreachableUpstream() throws Exception {
        google.tokenStatus = 400;
        VertexAnthropicAdapter vertex = adapter();

        UpstreamCall call = vertex.open(request("{}", new VariantChange.Keep(), false, Headers.EMPTY));

        assertThatThrownBy(call::awaitHead).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT));
        assertThat(google.vertexRequests).isEmpty();
    }

    @Test
    void statusReportsProjectLocationAndServiceAccountMethod() throws Exception {
        VertexStatus status = adapter().status();

        assertThat(status.available()).isTrue();
        assertThat(status.projectId()).contains("test-project");
        assertThat(status.location()).contains("us-east5");
        assertThat(status.authMethod()).contains("service_account");
        assertThat(status.error()).isEmpty();
    }

    @Test
    void statusExplainsATokenFailure() throws Exception {
        google.tokenStatus = 400;

        VertexStatus status = adapter().status();

        assertThat(status.available()).isFalse();
        assertThat(status.authMethod()).contains("service_account");
        assertThat(status.error()).hasValueSatisfying(e -> assertThat(e).startsWith("cannot get a Google access token"));
    }

    @Test
    void isNotUsableWithoutProjectOrCredentials() throws Exception {
        Path file = CredentialFiles.serviceAccount(dir, key, google.tokenUri());
        VertexAnthropicAdapter noLocation = new VertexAnthropicAdapter(http,
                new VertexSettings("test-project", " ", Optional.empty()), GoogleCredentialDiscovery.fromFile(file));
        assertThat(noLocation.usable()).isFalse();
        assertThat(noLocation.status().error()).contains("missing project or location");

        GoogleCredentialDiscovery.Result none = GoogleCredentialDiscovery.discover(Optional.empty(),
                GoogleCredentialDiscovery.DefaultCredentials.NONE, Optional.empty(), java.time.InstantSource.system());
        VertexAnthropicAdapter noCredentials = new VertexAnthropicAdapter(http,
                new VertexSettings("test-project", "us-east5", Optional.empty()), none);
        assertThat(noCredentials.usable()).isFalse();
        assertThat(noCredentials.status().error()).hasValueSatisfying(e -> assertThat(e).contains("credentials_file"));
        assertThat(google.tokenRequests).isEmpty();
    }

    @Test
    void anUnreadableCredentialsFileIsReportedNotThrown() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"type\":\"service_account\"}");

        GoogleCredentialDiscovery.Result result = GoogleCredentialDiscovery.fromFile(broken);

        assertThat(result.source()).isEmpty();
        assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("cannot use credentials file"));
    }

    @Test
    void authorizedUserCredentialsRefreshThroughTheirTokenUri() throws Exception {
        Path file = CredentialFiles.authorizedUser(dir, google.tokenUri());
        GoogleCredentialDiscovery.Result result = GoogleCredentialDiscovery.fromFile(file);

        GoogleTokenSource source = result.source().orElseThrow();
        assertThat(source.method()).isEqualTo("authorized_user");
        assertThat(source.accessToken()).isEqualTo("fake-access-token-1");
        assertThat(google.tokenRequests.getFirst()).containsEntry("grant_type", "refresh_token");
    }

    @Test
    void defaultEndpointIsRegionalAndGlobalHasNoRegionPrefix() throws Exception {
        GoogleCredentialDiscovery.Result none = GoogleCredentialDiscovery.Result.missing("none");
        assertThat(new VertexAnthropicAdapter(http, new VertexSettings("p", "us-east5", Optional.empty()), none)
                .endpoint("claude-haiku-4-5@20251001", false).toString()).isEqualTo(
                "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/"
                        + "models/claude-haiku-4-5@20251001:rawPredict");
        assertThat(new VertexAnthropicAdapter(http, new VertexSettings("p", "global", Optional.empty()), none)
                .endpoint("claude-sonnet-4-6", true).toString()).isEqualTo(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/anthropic/"
                        + "models/claude-sonnet-4-6:streamRawPredict");
        assertThat(new VertexAnthropicAdapter(http, new VertexSettings("p q", "eu", Optional.of(
                "http://127.0.0.1:1/{location}/")), none).endpoint("m", false).toString())
                .isEqualTo("http://127.0.0.1:1/eu/v1/projects/p%20q/locations/eu/publishers/anthropic/models/m:rawPredict");
    }

    private static String drain(UpstreamCall call) throws UpstreamException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<ByteBuffer> chunk;
        while ((chunk = call.nextChunk()).isPresent()) {
            ByteBuffer b = chunk.get();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
