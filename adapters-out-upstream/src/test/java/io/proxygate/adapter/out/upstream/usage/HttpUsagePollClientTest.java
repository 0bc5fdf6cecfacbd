package io.proxygate.adapter.out.upstream.usage;

import io.proxygate.application.port.out.UsagePollException;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.testsupport.FakeCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpUsagePollClientTest {
    static final Instant NOW = Instant.parse("2026-07-24T10:00:00Z");

    static final String WHAM_STANDARD = """
            {"plan_type": "plus",
             "rate_limit": {"allowed": true, "limit_reached": false,
               "primary_window": {"used_percent": 42.5, "limit_window_seconds": 18000,
                                  "reset_after_seconds": 3600, "reset_at": 1784890800},
               "secondary_window": {"used_percent": 7, "limit_window_seconds": 604800,
                                    "reset_after_seconds": 500000, "reset_at": 0}},
             "credits": {"has_credits": false, "unlimited": false, "balance": "0"},
             "additional_rate_limits": [], "rate_limit_reached_type": null}
            """;

    static final String WHAM_WEEKLY_ONLY = """
            {"plan_type": "free",
             "rate_limit": {"allowed": false, "limit_reached": true,
               "primary_window": {"used_percent": 100, "limit_window_seconds": 604800,
                                  "reset_after_seconds": 86400, "reset_at": 1784977200},
               "secondary_window": null}}
            """;

    static final String CLAUDE = """
            {"five_hour": {"utilization": 63.0, "resets_at": "2026-07-24T12:59:59.914486+00:00"},
             "seven_day": {"utilization": 12, "resets_at": "2026-07-29T08:00:00Z"},
             "seven_day_opus": null, "extra_usage": {"is_enabled": false}}
            """;

    static ChatGptAccount chatgpt(String access) {
        return new ChatGptAccount("a@example.test", "acct-123", PlanType.PLUS, FakeCredentials.tokens(access),
                Optional.empty(), false);
    }

    static ClaudeAccount claude(String access) {
        return FakeCredentials.claude("c@example.test", access);
    }

    private MockUsageServer server;
    private HttpUsagePollClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockUsageServer();
        client = new HttpUsagePollClient(server.endpoints(), InstantSource.fixed(NOW));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void readsChatGptWindowsWithBearerAndAccountHeader() throws UsagePollException {
        server.byToken.put("fake-access-token", new MockUsageServer.Answer(200, WHAM_STANDARD));
        UsageWindows windows = client.fetch(chatgpt("fake-access-token"));

        assertThat(windows.fiveHour()).contains(new UsageWindow(0.425,
                Optional.of(Instant.ofEpochSecond(1784890800)), Duration.ofHours(5)));
        // reset_at 0: fall back to now + reset_after_seconds
        assertThat(windows.weekly()).contains(new UsageWindow(0.07, Optional.of(NOW.plusSeconds(500000)),
                Duration.ofDays(7)));
        assertThat(windows.limitReached()).isFalse();
        assertThat(windows.observedAt()).isEqualTo(NOW);
        assertThat(server.seen).singleElement().isEqualTo(new MockUsageServer.Seen("/backend-api/wham/usage",
                "Bearer fake-access-token", "acct-123", null));
    }

    @Test
    void weeklyOnlyPrimaryWindowIsClassifiedAsWeekly() throws UsagePollException {
        server.byToken.put("fake-access-token", new MockUsageServer.Answer(200, WHAM_WEEKLY_ONLY));
        UsageWindows windows = client.fetch(chatgpt("fake-access-token"));

        assertThat(windows.fiveHour()).isEmpty();
        assertThat(windows.weekly()).hasValueSatisfying(w -> {
            assertThat(w.usedFraction()).isEqualTo(1.0);
            assertThat(w.length()).isEqualTo(Duration.ofDays(7));
            assertThat(w.resetsAt()).contains(Instant.ofEpochSecond(1784977200));
        });
        assertThat(windows.limitReached()).isTrue();
    }

    @Test
    void readsClaudeWindowsWithTheOauthBeta() throws UsagePollException {
        server.byToken.put("fake-claude-token", new MockUsageServer.Answer(200, CLAUDE));
        UsageWindows windows = client.fetch(claude("fake-claude-token"));

        assertThat(windows.fiveHour()).hasValueSatisfying(w -> {
            assertThat(w.usedFraction()).isEqualTo(0.63);
            assertThat(w.resetsAt()).contains(Instant.parse("2026-07-24T12:59:59.914486Z"));
            assertThat(w.length()).isEqualTo(Duration.ofHours(5));
        });
        assertThat(windows.weekly()).hasValueSatisfying(w -> {
            assertThat(w.usedFraction()).isEqualTo(0.12);
            assertThat(w.resetsAt()).contains(Instant.parse("2026-07-29T08:00:00Z"));
        });
        assertThat(windows.limitReached()).isFalse();
        assertThat(server.seen).singleElement().isEqualTo(new MockUsageServer.Seen("/api/oauth/usage",
                "Bearer fake-claude-token", null, "oauth-2025-04-20"));
        assertThat(server.userAgents).singleElement().asString().startsWith("ProxyGate/");
    }

    @Test
    void spentClaudeWindowMeansLimitReached() throws UsagePollException {
        server.byToken.put("fake-claude-token", new MockUsageServer.Answer(200,
                "{\"five_hour\": {\"utilization\": 100, \"resets_at\": null}, \"seven_day\": {\"utilization\": null}}"));
        UsageWindows windows = client.fetch(claude("fake-claude-token"));
        assertThat(windows.fiveHour()).contains(new UsageWindow(1.0, Optional.empty(), Duration.ofHours(5)));
        assertThat(windows.weekly()).isEmpty();
        assertThat(windows.limitReached()).isTrue();
    }

    @Test
    void unauthorizedIsReportedAsSuchWithTheUpstreamMessage() {
        assertThatThrownBy(() -> client.fetch(chatgpt("fake-expired-token")))
                .isInstanceOfSatisfying(UsagePollException.class, e -> {
                    assertThat(e.unauthorized()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("HTTP 401: Your authentication token has expired.")
                            .doesNotContain("fake-expired-token");
                });
    }

    @Test
    void serverErrorsAndBadJsonAreFailuresWithoutStatusConfusion() {
        server.byToken.put("fake-500", new MockUsageServer.Answer(500, "oops"));
        server.byToken.put("fake-html", new MockUsageServer.Answer(200, "<html>"));
        assertThatThrownBy(() -> client.fetch(chatgpt("fake-500")))
                .isInstanceOfSatisfying(UsagePollException.class, e -> {
                    assertThat(e.status()).hasValue(500);
                    assertThat(e.unauthorized()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("HTTP 500");
                });
        assertThatThrownBy(() -> client.fetch(claude("fake-html")))
                .isInstanceOfSatisfying(UsagePollException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("not JSON");
                });
    }

    @Test
    void unreachableServerIsAFailure() {
        server.close();
        assertThatThrownBy(() -> client.fetch(chatgpt("fake-access-token"))).isInstanceOf(UsagePollException.class);
    }

    @Test
    void fullUrlOverridesWinOverBases() throws UsagePollException {
        server.byToken.put("fake-access-token", new MockUsageServer.Answer(200, WHAM_STANDARD));
        server.byToken.put("fake-claude-token", new MockUsageServer.Answer(200, CLAUDE));
        UsageEndpoints endpoints = UsageEndpoints.of("http://127.0.0.1:1/unused", "http://127.0.0.1:1",
                Optional.of(server.base() + "/custom/wham"), Optional.of(server.base() + "/custom/claude"));
        try (HttpUsagePollClient custom = new HttpUsagePollClient(endpoints, InstantSource.fixed(NOW))) {
            custom.fetch(chatgpt("fake-access-token"));
            custom.fetch(claude("fake-claude-token"));
        }
        assertThat(server.seen).extracting(MockUsageServer.Seen::path).containsExactly("/custom/wham", "/custom/claude");
    }

    @Test
    void endpointsJoinBasesAndDefaults() {
        assertThat(UsageEndpoints.defaults()).isEqualTo(new UsageEndpoints(
                URI.create("https://chatgpt.com/backend-api/wham/usage"),
                URI.create("https://api.anthropic.com/api/oauth/usage")));
        assertThat(UsageEndpoints.of("http://h/backend-api/", "http://a/", Optional.of(" "), Optional.empty()))
                .isEqualTo(new UsageEndpoints(URI.create("http://h/backend-api/wham/usage"),
                        URI.create("http://a/api/oauth/usage")));
    }

    @Test
    void onlySubscriptionAccountsArePolled() {
        ApiKey key = new ApiKey("k", "k", ApiKeyType.OPENAI, Secret.of("sk-test-1"), Optional.empty(), false);
        assertThat(client.supports(key)).isFalse();
        assertThat(client.supports(chatgpt("fake"))).isTrue();
        assertThat(client.supports(claude("fake"))).isTrue();
    }
}
