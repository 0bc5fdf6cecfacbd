package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.LiveEvents;
import io.proxygate.application.admin.PoolAdminService;
import io.proxygate.application.admin.RoutingExplainService;
import io.proxygate.application.port.out.BrowserPort;
import io.proxygate.application.port.out.CallbackListenerPort;
import io.proxygate.application.auth.ClaudeProfile;
import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.RefreshHistory;
import io.proxygate.application.auth.DeviceAuthorization;
import io.proxygate.application.auth.DeviceCode;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.LoginSettings;
import io.proxygate.application.auth.OAuthCallException;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.TokenGrant;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.CredentialImportPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.application.port.out.PriceCachePort;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.port.out.PriceSourcePort;
import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.application.testing.InMemoryPendingLogins;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.application.testing.RecordingRouter;
import io.proxygate.application.usage.PollStatus;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.SeriesPoint;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.application.usage.UsageReportService;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.TokenUsage;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small but complete admin API over fakes of the outer ports: an in-memory pool directory, a router with fixed
 * statuses and plan, canned usage numbers, a price source that is offline, OAuth that is never reached. Every
 * secret in it is an obvious fake listed in {@link #SECRETS}, so tests can prove none leaks.
 */
final class AdminFixture {
    static final String ADMIN_TOKEN = "admin-token-fixture-0001";
    static final String ALICE_ACCESS = "fake-access-token-alice-0001";
    static final String ALICE_REFRESH = "fake-refresh-token-alice-0001";
    /** The CLI identity key of a server with an admin token. */
    static final String IDENTITY_KEY = "fake-cli-identity-key-0001";
    static final String BOB_ACCESS = "fake-access-token-bob-0001";
    static final String CLAUDE_ACCESS = "fake-claude-access-token-0001";
    static final String CLAUDE_REFRESH = "fake-claude-refresh-token-0001";
    static final String KEY_SECRET = "sk-test-admin-key-0001";
    static final String ADDED_KEY_SECRET = "sk-test-added-key-0002";
    static final List<String> SECRETS = List.of(ADMIN_TOKEN, ALICE_ACCESS, ALICE_REFRESH, BOB_ACCESS, CLAUDE_ACCESS,
            CLAUDE_REFRESH, KEY_SECRET, ADDED_KEY_SECRET);

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final ZoneId ZONE = ZoneOffset.UTC;
    static final CredentialId ALICE = CredentialId.chatgpt("alice@example.com");
    static final CredentialId BOB = CredentialId.chatgpt("bob@example.com");
    static final CredentialId CLAUDE = CredentialId.claude("carol@example.com");
    static final CredentialId KEY = CredentialId.apiKey("openai-1");

    final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    final CredentialPool pool = new CredentialPool(directory);
    final RecordingRouter router = new RecordingRouter(InstantSource.fixed(NOW));
    final FakeUsage usage = new FakeUsage();
    final LiveEvents events = new LiveEvents(InstantSource.fixed(NOW));
    final InMemoryPendingLogins pending = new InMemoryPendingLogins();
    final List<PollStatus> polls = new CopyOnWriteArrayList<>();
    final AdminApi api;

    AdminFixture(Optional<Secret> adminToken) {
        directory.put("chatgpt/bob_example.com.json", new ChatGptAccount("bob@example.com", "acc-bob", PlanType.PLUS,
                tokens(BOB_ACCESS, null), Optional.empty(), false));
        directory.put("chatgpt/alice_example.com.json", new ChatGptAccount("alice@example.com", "acc-alice",
                PlanType.PRO, tokens(ALICE_ACCESS, ALICE_REFRESH), Optional.empty(), false));
        directory.put("claude/carol_example.com.json", new ClaudeAccount("carol@example.com", "acc-carol", "max",
                "default_claude_max_20x", tokens(CLAUDE_ACCESS, CLAUDE_REFRESH), Optional.empty(), false));
        directory.put("apikeys/openai-1.json", new ApiKey("openai-1", "primary", ApiKeyType.OPENAI,
                Secret.of(KEY_SECRET), Optional.of("http://127.0.0.1:9/v1"), false));
        directory.problems.add(PoolFile.broken("chatgpt/broken.json", "not valid JSON (line 1, column 2)"));
        pool.reload();

        router.plan = new RoutingPlan(List.of(), List.of(), false);
        router.statuses.put(ALICE, new CredentialStatus(ALICE, 1, Optional.of(NOW.plusSeconds(600)),
                Optional.of("rate limited"), Optional.empty(), Optional.of(new UsageWindows(
                Optional.of(new UsageWindow(0.425, Optional.of(NOW.plusSeconds(900)), UsageWindow.FIVE_HOURS)),
                Optional.of(new UsageWindow(0.18, Optional.of(NOW.plusSeconds(3600)), UsageWindow.WEEK)), false,
                NOW.minusSeconds(120))), Optional.of(NOW.minusSeconds(30))));
        router.statuses.put(BOB, new CredentialStatus(BOB, 0, Optional.of(NOW.minusSeconds(5)), Optional.empty(),
                Optional.of("auth_unauthorized"), Optional.empty(), Optional.empty()));
        polls.add(new PollStatus(ALICE, Optional.of(NOW.minusSeconds(120)), Optional.of(NOW.minusSeconds(120)),
                Optional.empty(), 0, 0));
        polls.add(new PollStatus(BOB, Optional.of(NOW.minusSeconds(60)), Optional.empty(),
                Optional.of("HTTP 401"), 3, 3));

        InstantSource clock = InstantSource.fixed(NOW);
        PoolAdminService poolAdmin = new PoolAdminService(pool, router, usage, () -> List.copyOf(polls),
                credential -> {
                    if (credential.kind() == io.proxygate.domain.credential.CredentialKind.CLAUDE_ACCOUNT) {
                        return credential; // refreshed: the fixture's tokens stand for the new ones
                    }
                    throw new CredentialUnavailable(credential.label() + ": token refresh failed: invalid_grant",
                            true);
                }, new FakeImports(), clock, ZONE);
        CredentialId carol = CredentialId.claude("carol@example.com");
        poolAdmin.reportRefreshes(id -> id.equals(carol) ? Optional.of(RefreshHistory.NONE
                .succeeded(NOW.minusSeconds(7200)).failed(NOW.minusSeconds(60), "carol@example.com: token refresh "
                        + "failed: HTTP 400 invalid_grant").failed(NOW.minusSeconds(30), "carol@example.com: token "
                        + "refresh failed: HTTP 400 invalid_grant")) : Optional.empty());
        UsageReportService reports = new UsageReportService(usage, usage, model -> Optional.empty(), clock, ZONE);
        PricingService pricing = new PricingService(new OfflinePrices(), PriceCachePort.NONE, PriceTable.EMPTY, clock);
        LoginService logins = new LoginService(pool, new UnreachableOAuth(), pending, new NoCallbacks(),
                BrowserPort.NONE, LoginSettings.defaults(), clock, new java.util.Random(42));
        api = new AdminApi(adminToken, adminToken.map(t -> Secret.of(IDENTITY_KEY)),
                new AdminApi.Services(poolAdmin, pool, reports, pricing,
                new RoutingExplainService(pool, router), logins, events),
                new AdminInfo("test", NOW.minusSeconds(3600), "/tmp/data", "/tmp/pool", "/tmp/data/.admin_token",
                        "/tmp/data/.admin_token", "cat .admin_token",
                        "in the data folder ([paths] data_dir) on the server", "127.0.0.1:19527"), clock, ZONE, true);
    }

    /** The API plus what the server sets for every resource: no response buffering in Jersey (SSE). */
    Object[] components() {
        List<Object> all = new ArrayList<>(api.components());
        all.add((jakarta.ws.rs.core.Feature) context -> {
            context.property(org.glassfish.jersey.server.ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
            return true;
        });
        return all.toArray();
    }

    static OAuthTokens tokens(String access, String refresh) {
        return new OAuthTokens(Secret.of(access), Optional.ofNullable(refresh).map(Secret::of), Optional.empty(),
                Optional.of(NOW.plusSeconds(3600)));
    }

    static RequestRecord record(String id, CredentialId credential, int status) {
        return new RequestRecord(id, NOW.minusSeconds(10), "/v1/responses", "chatgpt-pool", Optional.of(credential),
                "gpt-5", Optional.empty(), status, new TokenUsage(100, 50, 0, 25, 5),
                Optional.of(new BigDecimal("0.000375")), Duration.ofMillis(1200), Optional.of(Duration.ofMillis(300)),
                Optional.empty(), Optional.empty(), Optional.of("resp_1"), false, "picked " + credential);
    }

    // ---------------------------------------------------------------- fakes

    /** Lifetime: alice 10 requests; today (by model): alice gpt-5, the key gpt-4o (unpriced), Vertex AI. */
    static final class FakeUsage implements UsageStatsPort, UsageSeriesPort {
        final List<RequestRecord> recent = new CopyOnWriteArrayList<>();

        @Override
        public List<UsageTotals> totalsByCredential(Instant from, Instant to) {
            if (from.equals(Instant.EPOCH)) {
                return List.of(totals(ALICE, null, 10, 1, 0, 1000, 250, "0.5"),
                        totals(KEY, null, 1, 0, 1, 30, 15, "0"));
            }
            return List.of(totals(ALICE, null, 2, 0, 0, 200, 50, "0.1"));
        }

        @Override
        public List<UsageTotals> totalsByCredentialAndModel(Instant from, Instant to) {
            return List.of(totals(ALICE, "gpt-5", 2, 0, 0, 200, 50, "0.1"),
                    totals(ALICE, "gpt-5.4-mini", 1, 1, 0, 10, 5, "0.001"),
                    totals(CLAUDE, "claude-sonnet-4-6", 1, 0, 0, 12, 8, "0.02"),
                    totals(KEY, "gpt-4o", 1, 0, 1, 30, 15, "0"),
                    totals(new CredentialId("vertex-ai"), "claude-opus-4-6", 1, 0, 0, 5, 5, "0.3"));
        }

        @Override
        public List<StatsRow> stats(GroupBy groupBy, Instant from, Instant to, ZoneId zone) {
            return List.of(new StatsRow(groupBy == GroupBy.MODEL ? "gpt-5" : ALICE.value(), 3, 1,
                    new TokenUsage(300, 100, 0, 75, 10), new BigDecimal("0.25"), Duration.ofMillis(900),
                    Duration.ofMillis(2000), Duration.ofMillis(200), Duration.ofMillis(600)));
        }

        @Override
        public List<RequestRecord> recent(int limit, Optional<CredentialId> credential) {
            return recent.stream().filter(r -> credential.isEmpty() || r.credential().equals(credential))
                    .limit(limit).toList();
        }

        @Override
        public List<SeriesPoint> series(Bucket bucket, Split split, Instant from, Instant to, ZoneId zone) {
            return List.of(new SeriesPoint(NOW.minusSeconds(3600), "all", 4, 1, new TokenUsage(40, 0, 0, 10, 0),
                    new BigDecimal("0.04")));
        }

        private static UsageTotals totals(CredentialId id, String model, long requests, long errors, long unpriced,
                                          long in, long out, String cost) {
            return new UsageTotals(Optional.of(id), Optional.ofNullable(model), Optional.empty(), requests, errors,
                    unpriced, new TokenUsage(in, in / 4, 0, out, 0), new BigDecimal(cost));
        }
    }

    static final class FakeImports implements CredentialImportPort {
        @Override
        public ClaudeAccount claudeAccount(byte[] json) throws ImportRejected {
            String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
            if (!text.trim().startsWith("{")) {
                throw new ImportRejected("invalid JSON");
            }
            if (!text.contains("\"email\"")) {
                throw new ImportRejected("missing email field");
            }
            return new ClaudeAccount("dave@example.com", "", "pro", "", tokens(CLAUDE_ACCESS + "-dave", null),
                    Optional.empty(), false);
        }
    }

    static final class OfflinePrices implements PriceSourcePort {
        @Override
        public String location() {
            return "http://127.0.0.1:9/prices.json";
        }

        @Override
        public PriceTable fetch() throws PriceSourceException {
            throw new PriceSourceException("price source unreachable (offline in tests)");
        }
    }

    /** Every callback port is "taken": the browser flow fails locally (502). */
    static final class NoCallbacks implements CallbackListenerPort {
        @Override
        public Listener listen(int firstPort, int lastPort, String path, String expectedState) throws IOException {
            throw new IOException("ports " + firstPort + "-" + lastPort + " are all in use");
        }
    }

    static final class UnreachableOAuth implements OAuthPort {
        private static OAuthCallException down() {
            return new OAuthCallException("token endpoint unreachable (test)", false, 0);
        }

        @Override
        public TokenGrant exchangeChatGptCode(String code, String verifier, String redirectUri)
                throws OAuthCallException {
            throw down();
        }

        @Override
        public TokenGrant exchangeClaudeCode(String code, String verifier, String redirectUri, String state)
                throws OAuthCallException {
            throw down();
        }

        @Override
        public TokenGrant refresh(OAuthProvider provider, Optional<CredentialId> account, Secret refreshToken)
                throws OAuthCallException {
            throw down();
        }

        @Override
        public ClaudeProfile fetchClaudeProfile(Secret accessToken) throws OAuthCallException {
            throw down();
        }

        @Override
        public DeviceCode requestChatGptDeviceCode() throws OAuthCallException {
            throw down();
        }

        @Override
        public Optional<DeviceAuthorization> pollChatGptDeviceCode(DeviceCode code) throws OAuthCallException {
            throw down();
        }
    }

}
