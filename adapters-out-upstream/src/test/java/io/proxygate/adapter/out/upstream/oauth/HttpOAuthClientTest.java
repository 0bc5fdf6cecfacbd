package io.proxygate.adapter.out.upstream.oauth;

import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.ClaudeProfile;
import io.proxygate.application.auth.OAuthCallException;
import io.proxygate.application.auth.TokenGrant;
import io.proxygate.domain.credential.Secret;
import io.proxygate.testsupport.FakeJwt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Reply parsing and error classification of the token and profile endpoints, against a scripted HTTP server. */
class HttpOAuthClientTest {
    private HttpServer server;
    private HttpOAuthClient client;
    private volatile int status = 200;
    private volatile String body = "{}";
    private final CountDownLatch hang = new CountDownLatch(1);
    private volatile boolean hangRequests;
    private final java.util.List<String> userAgents = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                userAgents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
                exchange.getRequestBody().readAllBytes();
                if (hangRequests) {
                    hang.await(10, TimeUnit.SECONDS);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        client = new HttpOAuthClient(new OAuthSettings(base, URI.create(base + "/authorize"),
                URI.create(base + "/v1/oauth/token"), base, Duration.ofMillis(800)));
    }

    @AfterEach
    void stop() {
        hang.countDown();
        client.close();
        server.stop(0);
    }

    private OAuthCallException refreshFails(int status, String body) {
        this.status = status;
        this.body = body;
        return catchThrowableOfType(OAuthCallException.class,
                () -> client.refresh(OAuthProvider.CHATGPT, Optional.empty(), Secret.of("rt_fake_refresh")));
    }

    @Test
    void deadGrantCodesArePermanentWhateverTheStatus() {
        for (String code : new String[]{"refresh_token_expired", "refresh_token_reused", "refresh_token_invalidated"}) {
            OAuthCallException e = refreshFails(403, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}");
            assertThat(e.permanent()).as(code).isTrue();
            assertThat(e).hasMessage("ChatGPT token endpoint answered HTTP 403 " + code + ": m");
        }
        assertThat(refreshFails(429, "{\"error\":\"invalid_grant\"}").permanent()).isTrue();
    }

    @Test
    void badRequestAndUnauthorizedFromTheTokenEndpointArePermanent() {
        assertThat(refreshFails(400, "{\"error\":\"invalid_request\"}").permanent()).isTrue();
        assertThat(refreshFails(401, "no json here").permanent()).isTrue();
    }

    @Test
    void serverErrorsAndRateLimitsAreTransient() {
        OAuthCallException e = refreshFails(502, "<html>\n bad   gateway </html>");
        assertThat(e.permanent()).isFalse();
        assertThat(e).hasMessage("ChatGPT token endpoint answered HTTP 502: <html> bad gateway </html>");
        assertThat(e.status()).hasValue(502);
        assertThat(refreshFails(429, "{\"error\":{\"type\":\"rate_limited\"}}").permanent()).isFalse();
    }

    @Test
    void timeoutIsTransient() {
        hangRequests = true;
        OAuthCallException e = catchThrowableOfType(OAuthCallException.class,
                () -> client.refresh(OAuthProvider.CLAUDE, Optional.empty(), Secret.of("sk-ant-ort01-fake")));
        assertThat(e.permanent()).isFalse();
        assertThat(e.status()).isEmpty();
    }

    @Test
    void unreachableEndpointIsTransient() {
        server.stop(0);
        OAuthCallException e = catchThrowableOfType(OAuthCallException.class,
                () -> client.refresh(OAuthProvider.CHATGPT, Optional.empty(), Secret.of("rt_fake")));
        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).startsWith("ChatGPT token endpoint unreachable");
    }

    @Test
    void replyWithoutAccessTokenIsAnError() {
        status = 200;
        body = "{\"refresh_token\":\"rt_fake\"}";
        OAuthCallException e = catchThrowableOfType(OAuthCallException.class,
                () -> client.refresh(OAuthProvider.CHATGPT, Optional.empty(), Secret.of("rt_fake")));
        assertThat(e).hasMessage("token endpoint reply has no access_token");
    }

    @Test
    void refreshReplyFieldsAreOptionalAndExpiryFallsBackToTheJwtExp() throws Exception {
        Instant exp = Instant.parse("2026-12-01T00:00:00Z");
        body = "{\"access_token\":\"" + FakeJwt.accessToken("a@example.com", "acct-1", "team", exp, "n", true) + "\"}";

        TokenGrant grant = client.refresh(OAuthProvider.CHATGPT, Optional.empty(), Secret.of("rt_fake"));

        assertThat(grant.refreshToken()).isEmpty();
        assertThat(grant.idToken()).isEmpty();
        assertThat(grant.expiresIn()).isEmpty();
        assertThat(grant.expiresAt(Instant.EPOCH)).contains(exp);
        assertThat(grant.claims().email()).contains("a@example.com");
        assertThat(grant.claims().planType()).contains("team");
    }

    @Test
    void expiresInMayBeAString() throws Exception {
        body = "{\"access_token\":\"sk-ant-oat01-fake\",\"expires_in\":\"600\"}";
        assertThat(client.refresh(OAuthProvider.CLAUDE, Optional.empty(), Secret.of("r-fake")).expiresIn()).contains(Duration.ofSeconds(600));
    }

    @Test
    void profileFieldsAreFoundAtTheTopLevelOrUnderAccountOrOrganization() throws Exception {
        body = """
                {"emailAddress":"top@example.com","account":{"id":"acc-9","has_claude_pro":true},
                 "organization":{"rateLimitTier":"tier-1"}}""";

        ClaudeProfile profile = client.fetchClaudeProfile(Secret.of("sk-ant-oat01-fake"));

        assertThat(profile).isEqualTo(new ClaudeProfile(Optional.of("top@example.com"), "acc-9", "claude_pro",
                "tier-1"));
    }

    @Test
    void profileRejectedWith401IsPermanent() {
        status = 401;
        body = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad token\"}}";
        OAuthCallException e = catchThrowableOfType(OAuthCallException.class,
                () -> client.fetchClaudeProfile(Secret.of("sk-ant-oat01-fake")));
        assertThat(e.permanent()).isTrue();
        assertThat(e).hasMessage("Claude profile endpoint answered HTTP 401 authentication_error: bad token");
    }

    @Test
    void tokenAndProfileCallsNameProxyGateAsTheirUserAgent() throws Exception {
        body = "{\"access_token\":\"" + FakeJwt.accessToken("a@example.com", "acct-1", "team",
                Instant.parse("2026-12-01T00:00:00Z"), "n", true) + "\"}";
        client.refresh(OAuthProvider.CHATGPT, Optional.empty(), Secret.of("rt_fake"));
        catchThrowableOfType(OAuthCallException.class, () -> client.refresh(OAuthProvider.CLAUDE, Optional.empty(), Secret.of("sk-ant-ort01-fake")));

        assertThat(userAgents).hasSize(2).allSatisfy(ua -> assertThat(ua).startsWith("ProxyGate/"));
    }
}
