package io.proxygate.application.proxy;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.routing.InMemoryPoolDirectory;
import io.proxygate.application.routing.InMemoryStateStore;
import io.proxygate.application.routing.MutableClock;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.usage.UsageReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static io.proxygate.application.routing.Creds.chatgpt;
import static io.proxygate.application.routing.Creds.key;
import static io.proxygate.application.routing.Creds.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failover loop with fake ports: every rule before the first byte, and one log row per request. */
class ProxyServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    private final CredentialPool pool = new CredentialPool(directory);
    private final List<RequestRecord> log = new CopyOnWriteArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Function<UpstreamRequest, Reply> upstream = r -> Reply.ok("ok");
    private TokenKeeper tokens = TokenKeeper.AS_IS;
    private RoutingService router;
    private ProxySettings settings = ProxySettings.DEFAULTS;

    /** What the fake upstream answers to one attempt. */
    record Reply(int status, Map<String, String> headers, String body, boolean unreachable) {
        static Reply ok(String body) {
            return new Reply(200, Map.of(), body, false);
        }

        static Reply status(int status, String body, Map<String, String> headers) {
            return new Reply(status, headers, body, false);
        }

        static Reply refused() {
            return new Reply(0, Map.of(), "", true);
        }
    }

    private ProxyService service(Credential... credentials) {
        for (Credential c : credentials) {
            directory.add(c);
        }
        pool.reload();
        router = new RoutingService(pool, new InMemoryStateStore(), RoutingSettings.DEFAULTS, clock);
        UpstreamPort port = request -> {
            calls.add(request.credential().label() + ":" + request.credential().fingerprint());
            return new FakeCall(upstream.apply(request));
        };
        RequestLogPort requestLog = new RequestLogPort() {
            @Override
            public void append(RequestRecord record) {
                log.add(record);
            }

            @Override
            public List<RequestRecord> recent(int limit) {
                return log;
            }
        };
        return new ProxyService(pool, router, port, tokens, requestLog, CostEstimator.UNPRICED,
                settings, clock, pauses::add, () -> "req-" + log.size());
    }

    private static ProxyCommand responses(String body, Optional<ConversationKey> conversation,
                                          Optional<String> previousResponseId) {
        return new ProxyCommand(Route.RESPONSES, "", Headers.EMPTY, body.getBytes(StandardCharsets.UTF_8),
                new RequestFacts("gpt-5", true, conversation, previousResponseId, Optional.empty()));
    }

    private static ProxyCommand responses() {
        return responses("{\"model\":\"gpt-5\"}", Optional.empty(), Optional.empty());
    }

    private static String relay(ProxyExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        exchange.relayTo(new ResponseSink() {
            @Override
            public void write(ByteBuffer chunk) {
                out.append(StandardCharsets.UTF_8.decode(chunk));
            }

            @Override
            public void streamError(String errorType, String message) {
                out.append("[error ").append(errorType).append("]");
            }
        });
        return out.toString();
    }

    @ParameterizedTest(name = "{0} ends an event: {1}")
    @CsvSource(value = {"'data: x\\n\\n', true", "'data: x\\r\\n\\r\\n', true", "'data: x\\n', false",
            "'data: x', false", "'\\n', false"}, quoteCharacter = '\'')
    void keepAliveCommentsGoOnlyBetweenEvents(String chunk, boolean ends) {
        String text = chunk.replace("\\n", "\n").replace("\\r", "\r");
        assertThat(ProxyService.endsAnEvent(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(ends);
    }

    @Test
    void aClientLeavingDuringTheAttemptsStopsThemWithoutMarkingTheCredential() {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        upstream = r -> {
            Thread.currentThread().interrupt(); // what the inbound adapter does when the client's connection closes
            return Reply.refused();
        };
        try {
            assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class,
                    f -> assertThat(f.status()).isEqualTo(499));
        } finally {
            Thread.interrupted();
        }
        assertThat(calls).hasSize(1);
        assertThat(status("chatgpt:pro@x.com").cooldownUntil()).isEmpty();
        assertThat(log).singleElement().satisfies(row ->
                assertThat(row.errorClass()).contains(ProxyService.CLIENT_DISCONNECTED));
        assertThat(proxy.inProgress()).isZero();
    }

    @Test
    void theOverallDeadlineEndsTheAttemptsAndAnswersTheClient() {
        settings = new ProxySettings(5, Duration.ofSeconds(10), true, 1 << 20, Duration.ofSeconds(30), Duration.ZERO);
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        upstream = r -> {
            clock.advance(Duration.ofSeconds(31)); // this attempt alone used up the request's deadline
            return Reply.status(500, "{}", Map.of());
        };
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class,
                f -> assertThat(f.status()).isEqualTo(504));
        assertThat(calls).hasSize(1);
        assertThat(log).singleElement().satisfies(row -> assertThat(row.status()).isEqualTo(504));
    }

    @Test
    void aRateLimitedAccountIsSkippedAndCooledDown() throws IOException {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        upstream = r -> r.credential().label().equals("pro@x.com")
                ? Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("retry-after", "30"))
                : Reply.ok("from plus");
        ProxyExchange exchange = proxy.open(responses());
        assertThat(relay(exchange)).isEqualTo("from plus");
        CredentialStatus pro = status("chatgpt:pro@x.com");
        assertThat(pro.cooldownUntil()).contains(clock.instant().plusSeconds(30));
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.credential().map(Object::toString)).contains("chatgpt:plus@x.com");
            assertThat(row.routingNote()).contains("picked chatgpt:pro@x.com").contains("picked chatgpt:plus@x.com");
        });
    }

    @Test
    void aPinnedConversationBoundToItsAccountGetsThe429Back() {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        upstream = r -> Reply.ok("first");
        ConversationKey conversation = ConversationKey.promptCache("c1");
        proxy.open(responses("{}", Optional.of(conversation), Optional.empty())).close();
        // The conversation is pinned to pro; pro is now rate limited, and the follow-up names a previous response.
        upstream = r -> r.credential().label().equals("pro@x.com")
                ? Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("retry-after", "7"))
                : Reply.ok("moved");
        router.onSuccess(chatgpt("pro@x.com", PlanType.PRO).id(),
                new io.proxygate.application.routing.RouteQuery(Route.RESPONSES.api(), "gpt-5",
                        Optional.of(conversation), Optional.empty()), Optional.of("resp_1"));
        assertThatThrownBy(() -> proxy.open(responses("{\"previous_response_id\":\"resp_1\"}", Optional.of(conversation),
                Optional.of("resp_1"))))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(429);
                    assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
                });
    }

    @Test
    void aPinnedFreshTurnMovesAfterA429() throws IOException {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        ConversationKey conversation = ConversationKey.promptCache("c2");
        proxy.open(responses("{}", Optional.of(conversation), Optional.empty())).close();
        upstream = r -> r.credential().label().equals("pro@x.com")
                ? Reply.status(429, "{}", Map.of()) : Reply.ok("moved");
        assertThat(relay(proxy.open(responses("{}", Optional.of(conversation), Optional.empty())))).isEqualTo("moved");
    }

    @Test
    void a401RefreshesOnceAndRetriesWithTheNewToken() throws IOException {
        ChatGptAccount account = chatgpt("pro@x.com", PlanType.PRO);
        List<String> refreshed = new ArrayList<>();
        tokens = new TokenKeeper() {
            @Override
            public Credential ensureFresh(Credential credential) {
                return credential;
            }

            @Override
            public Credential refreshAfterUnauthorized(Credential rejected) {
                refreshed.add(rejected.label());
                return ((ChatGptAccount) rejected).withTokens(tokens("fresh-token"));
            }
        };
        ProxyService proxy = service(account);
        String freshFingerprint = tokens("fresh-token").accessToken().fingerprint();
        upstream = r -> r.credential().fingerprint().equals(freshFingerprint) ? Reply.ok("after refresh")
                : Reply.status(401, "{\"error\":{\"message\":\"expired\"}}", Map.of());
        assertThat(relay(proxy.open(responses()))).isEqualTo("after refresh");
        assertThat(refreshed).containsExactly("pro@x.com");
        assertThat(calls).hasSize(2);
    }

    @Test
    void aFailedRefreshMarksTheAccountNeedingLoginAndTheNextServes() throws IOException {
        tokens = new TokenKeeper() {
            @Override
            public Credential ensureFresh(Credential credential) {
                return credential;
            }

            @Override
            public Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable {
                throw new CredentialUnavailable("invalid_grant", true);
            }
        };
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), key("openai-1", ApiKeyType.OPENAI));
        upstream = r -> r.credential().label().equals("pro@x.com") ? Reply.status(401, "{}", Map.of()) : Reply.ok("key");
        assertThat(relay(proxy.open(responses()))).isEqualTo("key");
        assertThat(status("chatgpt:pro@x.com").needsLoginReason()).hasValueSatisfying(r -> assertThat(r).contains("invalid_grant"));
    }

    @Test
    void serverErrorsAndUnreachableUpstreamsFailOverThenTheLastErrorIsReported() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        upstream = r -> r.credential().label().equals("a@x.com") ? Reply.status(500, "{\"error\":{\"message\":\"boom\"}}", Map.of())
                : Reply.refused();
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class,
                f -> assertThat(f.status()).isEqualTo(502));
        assertThat(calls).hasSize(2);
        assertThat(log).singleElement().satisfies(row -> assertThat(row.errorClass()).isPresent());
        assertThat(router.statuses().stream().mapToInt(CredentialStatus::inFlight).sum()).isZero();
    }

    @Test
    void nothingConfiguredForTheApiIsA401WithTheOriginalsText() {
        ProxyService proxy = service(key("anthropic-1", ApiKeyType.ANTHROPIC));
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(401);
            assertThat(f.getMessage()).isEqualTo("No accounts configured.");
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void whenEveryCandidateIsCoolingItWaitsOnceForTheNearestCooldown() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> Reply.status(429, "{}", Map.of("retry-after", "4"));
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOf(ProxyFailure.class);
        pauses.clear();
        upstream = r -> Reply.ok("after the wait");
        // Advance the clock as the pause "sleeps", so the cooldown has ended when the loop re-plans.
        ProxyService waiting = new ProxyService(pool, router, request -> new FakeCall(upstream.apply(request)),
                TokenKeeper.AS_IS, new RequestLogPort() {
            @Override
            public void append(RequestRecord record) {
            }

            @Override
            public List<RequestRecord> recent(int limit) {
                return List.of();
            }
        }, CostEstimator.UNPRICED, ProxySettings.DEFAULTS, clock, d -> {
            pauses.add(d);
            clock.advance(d);
        }, () -> "req");
        assertThat(relay(waiting.open(responses()))).isEqualTo("after the wait");
        assertThat(pauses).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void theInFlightSlotIsHeldUntilTheRelayEnds() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        ProxyExchange exchange = proxy.open(responses());
        assertThat(status("chatgpt:a@x.com").inFlight()).isEqualTo(1);
        relay(exchange);
        assertThat(status("chatgpt:a@x.com").inFlight()).isZero();
    }

    @Test
    void aClientThatGoesAwayClosesTheUpstreamCallAndIsLogged() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> Reply.ok("chunk");
        ProxyExchange exchange = proxy.open(responses());
        assertThatThrownBy(() -> exchange.relayTo(new ResponseSink() {
            @Override
            public void write(ByteBuffer chunk) throws IOException {
                throw new IOException("client gone");
            }

            @Override
            public void streamError(String errorType, String message) {
            }
        })).isInstanceOf(IOException.class);
        assertThat(log).singleElement().satisfies(row -> assertThat(row.errorClass()).contains("client_disconnected"));
        assertThat(status("chatgpt:a@x.com").inFlight()).isZero();
    }

    private CredentialStatus status(String id) {
        return router.statuses().stream().filter(s -> s.id().value().equals(id)).findFirst().orElseThrow();
    }

    /** An upstream call that answers with a scripted reply in one chunk. */
    private static final class FakeCall implements UpstreamCall {
        private final Reply reply;
        private final Deque<ByteBuffer> chunks = new ArrayDeque<>();

        FakeCall(Reply reply) {
            this.reply = reply;
            chunks.add(ByteBuffer.wrap(reply.body().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public UpstreamHead awaitHead() throws UpstreamException {
            if (reply.unreachable()) {
                throw new UpstreamException(UpstreamException.Kind.CONNECT, "connection refused", null);
            }
            List<Map.Entry<String, String>> fields = new ArrayList<>(reply.headers().entrySet());
            return new UpstreamHead(reply.status(), new Headers(fields), Headers.EMPTY, true, Optional.empty());
        }

        @Override
        public Optional<ByteBuffer> nextChunk() {
            return Optional.ofNullable(chunks.poll());
        }

        @Override
        public UsageReport usage() {
            return UsageReport.EMPTY;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aCredentialThatReachedItsDailyBudgetIsPassedOverUntilMidnight() throws IOException {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO), chatgpt("plus@x.com", PlanType.PLUS));
        io.proxygate.application.port.out.UsageStatsPort stats = new io.proxygate.application.port.out.UsageStatsPort() {
            @Override
            public List<io.proxygate.application.usage.UsageTotals> totalsByCredential(Instant from, Instant to) {
                return List.of(new io.proxygate.application.usage.UsageTotals(
                        Optional.of(chatgpt("pro@x.com", PlanType.PRO).id()), Optional.empty(), Optional.empty(), 3, 0,
                        0, io.proxygate.domain.usage.TokenUsage.NONE, new java.math.BigDecimal("0.90")));
            }

            @Override
            public List<io.proxygate.application.usage.UsageTotals> totalsByCredentialAndModel(Instant from, Instant to) {
                return List.of();
            }

            @Override
            public List<io.proxygate.application.usage.StatsRow> stats(GroupBy groupBy, Instant from, Instant to,
                                                                       java.time.ZoneId zone) {
                return List.of();
            }

            @Override
            public List<RequestRecord> recent(int limit, Optional<io.proxygate.domain.credential.CredentialId> c) {
                return List.of();
            }
        };
        io.proxygate.application.usage.DailyBudgets budgets = new io.proxygate.application.usage.DailyBudgets(
                new java.math.BigDecimal("1.00"), java.math.BigDecimal.ZERO, stats, clock, java.time.ZoneOffset.UTC);
        proxy.limitSpend(budgets);
        upstream = r -> Reply.ok(r.credential().label());
        // $0.90 of $1.00 spent: pro still serves; this request costs $0.20 and takes it over the budget.
        ProxyExchange first = proxy.open(responses());
        assertThat(relay(first)).isEqualTo("pro@x.com");
        budgets.spent(new RequestRecord("x", clock.instant(), "/v1/responses", "chatgpt-pool",
                Optional.of(chatgpt("pro@x.com", PlanType.PRO).id()), "gpt-5", Optional.empty(), 200,
                io.proxygate.domain.usage.TokenUsage.NONE, Optional.of(new java.math.BigDecimal("0.20")),
                Duration.ofMillis(1), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, ""));
        assertThat(relay(proxy.open(responses()))).isEqualTo("plus@x.com");
        assertThat(log.getLast().routingNote()).contains("skip chatgpt:pro@x.com: daily budget reached ($1.10 of $1.00");
        clock.advance(Duration.ofDays(1));
        assertThat(relay(proxy.open(responses()))).isEqualTo("pro@x.com");
    }
}
