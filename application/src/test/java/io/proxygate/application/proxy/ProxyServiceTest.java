package io.proxygate.application.proxy;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.application.routing.InMemoryStateStore;
import io.proxygate.testsupport.MutableClock;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.usage.StreamFailure;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageReport;
import io.proxygate.application.testing.ListRequestLog;
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

import static io.proxygate.testsupport.FakeCredentials.chatgpt;
import static io.proxygate.testsupport.FakeCredentials.key;
import static io.proxygate.testsupport.FakeCredentials.tokens;
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
    /** What the fake upstream call reports once its body has been read; EMPTY = no usage event. */
    private UsageReport usageAtEnd = UsageReport.EMPTY;
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
            return new FakeCall(upstream.apply(request), usageAtEnd);
        };
        RequestLogPort requestLog = new ListRequestLog(log);
        return new ProxyService(pool, router, port, tokens, requestLog, CostEstimator.UNPRICED,
                settings, clock, pauses::add, () -> "req-" + log.size());
    }

    private static ProxyCommand responses(String body, Optional<ConversationKey> conversation,
                                          Optional<String> previousResponseId) {
        return new ProxyCommand(Route.RESPONSES, "", Headers.EMPTY, body.getBytes(StandardCharsets.UTF_8),
                new RequestFacts("gpt-5", true, conversation, previousResponseId, Optional.empty()));
    }

    private static ProxyCommand chat() {
        return new ProxyCommand(Route.CHAT_COMPLETIONS, "", Headers.EMPTY, "{}".getBytes(StandardCharsets.UTF_8),
                new RequestFacts("gpt-5", false, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private static ProxyCommand sideCall(Route route) {
        return new ProxyCommand(route, "", Headers.EMPTY, new byte[0],
                new RequestFacts("", false, Optional.empty(), Optional.empty(), Optional.empty()), "GET",
                route == Route.PASSTHROUGH ? "/backend-api/wham/tasks" : "/v1/models");
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
    void aPinnedConversationBoundToItsAccountGetsThe429Back() throws IOException {
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
        ProxyExchange limited = proxy.open(responses("{\"previous_response_id\":\"resp_1\"}",
                Optional.of(conversation), Optional.of("resp_1")));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().first("retry-after")).contains("7");
        assertThat(relay(limited)).as("the upstream's own body, as Codex reads it").contains("slow down");
        assertThat(calls).filteredOn(c -> c.startsWith("plus@x.com")).isEmpty();
    }

    @Test
    void aBound429WhoseDelayIsOnlyInItsTextGetsARetryAfterHeader() throws IOException {
        ProxyService proxy = service(chatgpt("pro@x.com", PlanType.PRO));
        ConversationKey conversation = ConversationKey.promptCache("c1");
        upstream = r -> Reply.ok("first");
        proxy.open(responses("{}", Optional.of(conversation), Optional.empty())).close();
        router.onSuccess(chatgpt("pro@x.com", PlanType.PRO).id(),
                new io.proxygate.application.routing.RouteQuery(Route.RESPONSES.api(), "gpt-5",
                        Optional.of(conversation), Optional.empty()), Optional.of("resp_1"));
        upstream = r -> Reply.status(429, "{\"error\":{\"type\":\"usage_limit_reached\",\"plan_type\":\"plus\","
                + "\"resets_in_seconds\":3600}}", Map.of());
        ProxyExchange limited = proxy.open(responses("{\"previous_response_id\":\"resp_1\"}",
                Optional.of(conversation), Optional.of("resp_1")));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().first("retry-after")).isPresent();
        assertThat(relay(limited)).contains("\"plan_type\":\"plus\"").contains("resets_in_seconds");
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
    void serverErrorsAndUnreachableUpstreamsFailOverThenThePoolIsReportedExhausted() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        upstream = r -> r.credential().label().equals("a@x.com") ? Reply.status(500, "{\"error\":{\"message\":\"boom\"}}", Map.of())
                : Reply.refused();
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(503);
            assertThat(f.getMessage()).isEqualTo("All accounts and API keys exhausted. Try again later.");
        });
        assertThat(calls).hasSize(2);
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.errorClass()).isPresent();
            assertThat(row.errorText()).hasValueSatisfying(t -> assertThat(t).contains("last upstream error")
                    .contains("unreachable"));
        });
        assertThat(router.statuses().stream().mapToInt(CredentialStatus::inFlight).sum()).isZero();
    }

    @Test
    void revokedKeysAnswer503InTheOriginalsWordsAndTheUpstreamErrorGoesOnlyToTheLog() {
        ProxyService proxy = service(key("openai-1", ApiKeyType.OPENAI), key("openai-2", ApiKeyType.OPENAI));
        upstream = r -> Reply.status(401, "{\"error\":{\"message\":\"Incorrect API key provided\","
                + "\"code\":\"invalid_api_key\"}}", Map.of("content-type", "application/json"));
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(503);
            assertThat(f.errorType()).isEqualTo("overloaded_error");
            assertThat(f.getMessage()).isEqualTo("All accounts and API keys exhausted. Try again later.")
                    .doesNotContain("API key provided");
        });
        assertThat(calls).hasSize(2);
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(503);
            assertThat(row.errorText()).hasValueSatisfying(t -> assertThat(t).contains("HTTP 401")
                    .contains("Incorrect API key provided"));
        });
        assertThat(status("key:openai-1").needsLoginReason()).isPresent();
    }

    @Test
    void wholePoolRateLimitedAnswers429WithRetryAfter() {
        ProxyService proxy = service(key("openai-1", ApiKeyType.OPENAI), key("openai-2", ApiKeyType.OPENAI));
        upstream = r -> Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}",
                Map.of("retry-after", r.credential().label().equals("openai-1") ? "40" : "20"));
        assertThatThrownBy(() -> proxy.open(chat())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(429);
            assertThat(f.getMessage()).isEqualTo("All OpenAI API keys exhausted.");
            assertThat(f.retryAfter()).contains(Duration.ofSeconds(20));
        });
        assertThat(pauses).containsExactly(Duration.ofSeconds(10)); // the one wait before giving up
    }

    @Test
    void anHtml403FromTheEdgeIsRelayedWithAShortCooldownAndNoNeedsLogin() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        String page = "<!DOCTYPE html><html><title>Just a moment...</title></html>";
        upstream = r -> Reply.status(403, page, Map.of("content-type", "text/html; charset=UTF-8"));
        ProxyExchange exchange = proxy.open(responses());
        assertThat(exchange.status()).isEqualTo(403);
        assertThat(relay(exchange)).isEqualTo(page);
        assertThat(calls).hasSize(1);
        CredentialStatus a = status("chatgpt:a@x.com");
        assertThat(a.needsLoginReason()).isEmpty();
        assertThat(a.cooldownUntil()).contains(clock.instant().plus(OutcomeClassifier.EDGE_REFUSAL_COOLDOWN));
        assertThat(a.cooldownReason()).contains("edge 403");
    }

    @Test
    void aChatGptJson403ThatRefusesTheRequestIsRelayedAndMarksNoAccount() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        String refusal = "{\"error\":{\"message\":\"gpt-5-pro is not available on your plan\"}}";
        upstream = r -> Reply.status(403, refusal, Map.of("content-type", "application/json"));
        ProxyExchange exchange = proxy.open(responses());
        assertThat(exchange.status()).isEqualTo(403);
        assertThat(calls).hasSize(1);
        exchange.close();
        for (String account : List.of("chatgpt:a@x.com", "chatgpt:b@x.com")) {
            assertThat(status(account).needsLoginReason()).as(account).isEmpty();
            assertThat(status(account).cooldownUntil()).as(account).isEmpty();
        }
    }

    @Test
    void aJson403FromTheApiMarksTheAccountNeedingLoginAndFailsOver() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        upstream = r -> r.credential().label().equals("a@x.com")
                ? Reply.status(403, "{\"detail\":{\"code\":\"account_deactivated\"}}",
                Map.of("content-type", "application/json"))
                : Reply.ok("from b");
        assertThat(relay(proxy.open(responses()))).isEqualTo("from b");
        assertThat(status("chatgpt:a@x.com").needsLoginReason()).contains("auth_forbidden");
    }

    @Test
    void edgeRefusalIsToldFromTheApisOwn403() {
        assertThat(OutcomeClassifier.edgeRefusal(Headers.of("content-type", "text/html"), "<html>")).isTrue();
        assertThat(OutcomeClassifier.edgeRefusal(Headers.of("content-type", "application/json", "cf-mitigated",
                "challenge"), "{}")).isTrue();
        assertThat(OutcomeClassifier.edgeRefusal(Headers.EMPTY, "")).isTrue();
        assertThat(OutcomeClassifier.edgeRefusal(Headers.EMPTY, "Forbidden")).isTrue();
        assertThat(OutcomeClassifier.edgeRefusal(Headers.of("content-type", "application/json"),
                "{\"error\":{\"type\":\"permission_error\"}}")).isFalse();
        assertThat(OutcomeClassifier.edgeRefusal(Headers.EMPTY, "{\"error\":{\"message\":\"forbidden\"}}")).isFalse();
    }

    @Test
    void sideCallsRelayEveryFailureAndNeverChangeCredentialState() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        for (Reply reply : List.of(Reply.status(403, "{\"detail\":\"no\"}", Map.of("content-type", "application/json")),
                Reply.status(401, "{}", Map.of()), Reply.status(429, "{}", Map.of("retry-after", "60")),
                Reply.status(500, "oops", Map.of()), Reply.status(503, "down", Map.of()))) {
            upstream = r -> reply;
            for (Route route : List.of(Route.PASSTHROUGH, Route.MODELS)) {
                calls.clear();
                ProxyExchange exchange = proxy.open(sideCall(route));
                assertThat(exchange.status()).isEqualTo(reply.status());
                assertThat(relay(exchange)).isEqualTo(reply.body());
                assertThat(calls).hasSize(1); // the refresh after the 401 fails here: the 401 itself is relayed
            }
        }
        upstream = r -> Reply.refused();
        assertThatThrownBy(() -> proxy.open(sideCall(Route.PASSTHROUGH))).isInstanceOfSatisfying(ProxyFailure.class,
                f -> assertThat(f.status()).isEqualTo(502));
        assertThat(router.statuses()).allSatisfy(s -> {
            assertThat(s.needsLoginReason()).isEmpty();
            assertThat(s.cooldownUntil()).isEmpty();
        });
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
    void aRequestThatFindsEveryCredentialRestingOnARateLimitGetsA429() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> Reply.status(429, "{}", Map.of("retry-after", "60"));
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class,
                f -> assertThat(f.status()).isEqualTo(429));
        calls.clear();
        // The next request tries nothing (the only account cools past the one wait): still the upstream's limit.
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(429);
            assertThat(f.retryAfter()).isPresent();
        });
        assertThat(calls).isEmpty();
    }

    @Test
    void aDeadlineThatPassesWhileWaitingForACooldownIsAnsweredAsTheRestingPoolNotA504() {
        settings = new ProxySettings(5, Duration.ofSeconds(10), true, 1 << 20, Duration.ofSeconds(30), Duration.ZERO);
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> Reply.status(503, "{}", Map.of());
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOf(ProxyFailure.class);
        calls.clear();
        // The wait for the short backoff overruns the deadline (a busy machine): nobody was asked, so no 504.
        ProxyService late = new ProxyService(pool, router, request -> {
            calls.add(request.credential().label());
            return new FakeCall(upstream.apply(request), usageAtEnd);
        },
                TokenKeeper.AS_IS, new ListRequestLog(log), CostEstimator.UNPRICED, settings, clock,
                d -> clock.advance(Duration.ofSeconds(31)), () -> "req-late");
        assertThatThrownBy(() -> late.open(responses())).isInstanceOfSatisfying(ProxyFailure.class,
                f -> assertThat(f.status()).isEqualTo(503));
        assertThat(calls).isEmpty();
    }

    @Test
    void aCooldownThatOutlastsTheDeadlineIsNotWaitedForButAnsweredAtOnceWithRetryAfter() {
        settings = new ProxySettings(5, Duration.ofSeconds(10), true, 1 << 20, Duration.ofSeconds(2), Duration.ZERO);
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> Reply.status(429, "{}", Map.of("retry-after", "5"));
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOf(ProxyFailure.class);
        pauses.clear();
        calls.clear();
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).as("the account rests on a rate limit").isEqualTo(429);
            assertThat(f.retryAfter()).isPresent();
        });
        assertThat(pauses).isEmpty();
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
        ProxyService waiting = new ProxyService(pool, router,
                request -> new FakeCall(upstream.apply(request), usageAtEnd),
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
    void withEveryCredentialAtItsCapAndNoLineToWaitInTheClientGetsA429ToRetrySoon() throws IOException {
        Credential a = chatgpt("a@x.com", PlanType.PRO);
        ProxyService proxy = service(a);
        directory.control(a, new io.proxygate.domain.credential.CredentialControls(Optional.empty(), 1, List.of(),
                List.of(), 0));
        pool.reload();
        ProxyExchange holding = proxy.open(responses());
        calls.clear();
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOfSatisfying(ProxyFailure.class, f -> {
            assertThat(f.status()).isEqualTo(429);
            assertThat(f.retryAfter()).isPresent();
        });
        assertThat(calls).isEmpty();
        assertThat(log).last().satisfies(row -> assertThat(row.routingNote()).contains("every capable credential busy"));
        relay(holding);
    }

    @Test
    void aRequestRefusedByItsClientKeyGetsARowWithTheReason() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        proxy.refused(responses(), new ProxyFailure(429, "rate_limit_error", "client key 'ci' reached its daily "
                + "budget ($1 of $1); it resets at local midnight"));
        assertThat(calls).isEmpty();
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(429);
            assertThat(row.errorClass()).contains(ProxyService.REFUSED_BY_CLIENT_KEY);
            assertThat(row.errorText()).hasValueSatisfying(t -> assertThat(t).contains("daily budget"));
            assertThat(row.credential()).isEmpty();
        });
    }

    @Test
    void aFaultOfOursStillLeavesTheRequestsRow() {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        upstream = r -> {
            throw new IllegalStateException("a bug");
        };
        assertThatThrownBy(() -> proxy.open(responses())).isInstanceOf(IllegalStateException.class);
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(500);
            assertThat(row.errorText()).hasValueSatisfying(t -> assertThat(t).contains("IllegalStateException"));
        });
        assertThat(proxy.inProgress()).isZero();
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

    @Test
    void aReplyIsCountedAndItsSlotFreedBeforeItCompletes() throws IOException {
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        List<String> seen = new ArrayList<>();
        proxy.open(responses()).relayTo(new ResponseSink() {
            @Override
            public void write(ByteBuffer chunk) {
                seen.add("write: rows=" + log.size());
            }

            @Override
            public void streamError(String errorType, String message) {
            }

            @Override
            public void end() {
                seen.add("end: rows=" + log.size() + " in_flight=" + status("chatgpt:a@x.com").inFlight());
            }
        });
        assertThat(seen).containsExactly("write: rows=0", "end: rows=1 in_flight=0");
    }

    @Test
    void aStreamIsCountedBeforeItsFinalUsageEventReachesTheClient() throws IOException {
        usageAtEnd = new UsageReport(new TokenUsage(30, 0, 0, 15, 0), Optional.of("resp_1"), Optional.of("gpt-5"),
                Optional.empty(), true);
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        List<String> seen = new ArrayList<>();
        proxy.open(responses()).relayTo(new ResponseSink() {
            @Override
            public void write(ByteBuffer chunk) {
                seen.add("write: " + log.stream().map(r -> r.tokens().outputTokens()).toList());
            }

            @Override
            public void counted() {
                seen.add("counted");
            }

            @Override
            public void streamError(String errorType, String message) {
            }
        });
        // The adapter hears "counted" (and frees a client key's slot) before the final event goes out.
        assertThat(seen).containsExactly("counted", "write: [15]");
        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.incomplete()).isFalse();
            assertThat(row.success()).isTrue();
        });
    }

    /** Row 18: a {@code response.failed} inside a 200 stream, relayed as it came, yet logged and charged as a 429. */
    @Test
    void aRateLimitFailureInsideASuccessStreamIsRelayedButLoggedAndCoolsTheCredential() throws IOException {
        usageAtEnd = new UsageReport(TokenUsage.NONE, Optional.of("resp_1"), Optional.of("gpt-5"), Optional.empty(),
                true, Optional.of(new StreamFailure("rate_limit_exceeded", "Rate limit reached, retry after 20 sec",
                        429)));
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO), chatgpt("b@x.com", PlanType.PLUS));
        String failedEvent = "event: response.failed\ndata: {\"type\":\"response.failed\"}\n\n";
        upstream = r -> Reply.ok(failedEvent);
        assertThat(relay(proxy.open(responses()))).isEqualTo(failedEvent);

        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.success()).isFalse();
            assertThat(row.errorClass()).contains(ProxyService.UPSTREAM_STREAM_FAILED);
            assertThat(row.errorText()).contains("rate_limit_exceeded: Rate limit reached, retry after 20 sec");
        });
        String first = calls.getFirst().split(":")[0];
        CredentialStatus cooled = status("chatgpt:" + first);
        assertThat(cooled.cooldownUntil()).as(cooled.toString()).contains(clock.instant().plusSeconds(20));
        assertThat(router.health(cooled.id())).hasValueSatisfying(h -> assertThat(h).doesNotContain("error rate 0.00"));

        usageAtEnd = UsageReport.EMPTY;
        upstream = r -> Reply.ok(r.credential().label());
        assertThat(relay(proxy.open(responses()))).isNotEqualTo(first);
    }

    @Test
    void aServerSideFailureInsideASuccessStreamBacksTheCredentialOffAndRaisesItsErrorRate() throws IOException {
        usageAtEnd = new UsageReport(TokenUsage.NONE, Optional.empty(), Optional.empty(), Optional.empty(), true,
                Optional.of(new StreamFailure("server_error", "An error occurred while processing your request.", 500)));
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        relay(proxy.open(responses()));

        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.success()).isFalse();
            assertThat(row.errorClass()).contains(ProxyService.UPSTREAM_STREAM_FAILED);
            assertThat(row.errorText()).hasValueSatisfying(t -> assertThat(t).startsWith("server_error: "));
        });
        CredentialStatus a = status("chatgpt:a@x.com");
        assertThat(a.cooldownUntil()).hasValueSatisfying(u -> assertThat(u).isAfter(clock.instant()));
        assertThat(a.cooldownReason()).hasValueSatisfying(r -> assertThat(r).contains("500"));
        assertThat(router.health(a.id())).hasValueSatisfying(h -> assertThat(h).doesNotContain("error rate 0.00"));
    }

    @Test
    void aRefusedRequestInsideASuccessStreamIsLoggedButLeavesTheCredentialAlone() throws IOException {
        usageAtEnd = new UsageReport(TokenUsage.NONE, Optional.empty(), Optional.empty(), Optional.empty(), true,
                Optional.of(new StreamFailure("context_length_exceeded", "Your input exceeds the context window.", 400)));
        ProxyService proxy = service(chatgpt("a@x.com", PlanType.PRO));
        relay(proxy.open(responses()));

        assertThat(log).singleElement().satisfies(row -> {
            assertThat(row.success()).isFalse();
            assertThat(row.errorClass()).contains(ProxyService.UPSTREAM_STREAM_FAILED);
        });
        CredentialStatus a = status("chatgpt:a@x.com");
        assertThat(a.cooldownUntil()).isEmpty();
        assertThat(router.health(a.id())).hasValueSatisfying(h -> assertThat(h).contains("error rate 0.00"));
    }

    private CredentialStatus status(String id) {
        return router.statuses().stream().filter(s -> s.id().value().equals(id)).findFirst().orElseThrow();
    }

    /** An upstream call that answers with a scripted reply in one chunk. */
    private static final class FakeCall implements UpstreamCall {
        private final Reply reply;
        private final UsageReport usageAtEnd;
        private final Deque<ByteBuffer> chunks = new ArrayDeque<>();

        FakeCall(Reply reply, UsageReport usageAtEnd) {
            this.reply = reply;
            this.usageAtEnd = usageAtEnd;
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

        /** The body is one chunk carrying the final usage event: final once that chunk was handed out. */
        @Override
        public UsageReport usage() {
            return chunks.isEmpty() ? usageAtEnd : UsageReport.EMPTY;
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
