package io.proxygate.application.proxy;

import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.routing.InMemoryStateStore;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.translate.TranslationPolicy;
import io.proxygate.domain.usage.UsageReport;
import io.proxygate.testsupport.FakeCredentials;
import io.proxygate.testsupport.MutableClock;
import io.proxygate.application.testing.ListRequestLog;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the proxy hands a request to the other API family, and what the attempts and the request log then say. */
class ProxyServiceTranslationTest {
    private static final TranslationPolicy ON = new TranslationPolicy(true, true, List.of(
            new TranslationPolicy.ModelMapping("claude-sonnet-*", "gpt-5-codex")));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    private final CredentialPool pool = new CredentialPool(directory);
    private final List<RequestRecord> log = new CopyOnWriteArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<UpstreamRequest> calls = new CopyOnWriteArrayList<>();
    private Function<UpstreamRequest, Integer> status = r -> 200;

    private ProxyService service(TranslationPolicy policy, Credential... credentials) {
        for (Credential c : credentials) {
            directory.add(c);
        }
        pool.reload();
        RoutingService router = new RoutingService(pool, new InMemoryStateStore(), RoutingSettings.DEFAULTS, clock);
        UpstreamPort port = request -> {
            calls.add(request);
            return new Answer(status.apply(request));
        };
        RequestLogPort requestLog = new ListRequestLog(log);
        ProxyService service = new ProxyService(pool, router, port, TokenKeeper.AS_IS, requestLog,
                CostEstimator.UNPRICED, ProxySettings.DEFAULTS, clock, pauses::add, () -> "req-" + log.size());
        service.translate(policy);
        return service;
    }

    private static ProxyCommand messages(String model) {
        return new ProxyCommand(Route.MESSAGES, "beta=true", Headers.EMPTY,
                "{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                new RequestFacts(model, true, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private static void drain(ProxyExchange exchange) throws Exception {
        exchange.relayTo(new ResponseSink() {
            @Override
            public void write(ByteBuffer chunk) {
            }

            @Override
            public void end() {
            }

            @Override
            public void streamError(String type, String message) {
            }

            @Override
            public void keepAlive() {
            }
        });
    }

    @Test
    void offByDefaultAMessagesRequestOnAChatGptOnlyPoolIsRefusedAsBefore() {
        ProxyService proxy = service(TranslationPolicy.OFF, FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        assertThatThrownBy(() -> proxy.open(messages("claude-sonnet-4-5")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.status()).isEqualTo(401));
        assertThat(calls).isEmpty();
    }

    @Test
    void withNoClaudeCredentialTheRequestGoesToTheChatGptAccountWithATranslationPlan() throws Exception {
        ProxyService proxy = service(ON, FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        drain(proxy.open(messages("claude-sonnet-4-5")));

        UpstreamRequest sent = calls.getFirst();
        assertThat(sent.route()).isEqualTo(Route.RESPONSES);
        assertThat(sent.translation()).hasValueSatisfying(plan -> {
            assertThat(plan.clientRoute()).isEqualTo(Route.MESSAGES);
            assertThat(plan.translation().from()).isEqualTo(Api.MESSAGES);
            assertThat(plan.translation().servedModel()).isEqualTo("gpt-5-codex");
        });
        RequestRecord row = log.getFirst();
        assertThat(row.route()).isEqualTo("/v1/messages");
        assertThat(row.model()).isEqualTo("gpt-5-codex");
        assertThat(row.translation()).hasValue("translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, "
                + "because no messages credential can serve");
        assertThat(row.routingNote()).contains("translated messages → responses");
    }

    @Test
    void aDisabledClaudeAccountCountsAsNoRoutableCredential() throws Exception {
        Credential claude = FakeCredentials.claude("c@x.com").withDisabled(true);
        ProxyService proxy = service(ON, claude, FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        drain(proxy.open(messages("claude-sonnet-4-5")));

        assertThat(calls).extracting(UpstreamRequest::route).containsExactly(Route.RESPONSES);
    }

    @Test
    void aRateLimitedClaudeAccountHandsTheRequestToTheOtherFamilyWithoutWaitingForItsCooldown() throws Exception {
        status = r -> r.route() == Route.MESSAGES ? 429 : 200;
        ProxyService proxy = service(ON, FakeCredentials.claude("c@x.com"), FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        drain(proxy.open(messages("claude-sonnet-4-5")));

        assertThat(calls).extracting(UpstreamRequest::route).containsExactly(Route.MESSAGES, Route.RESPONSES);
        assertThat(calls.get(0).translation()).isEmpty();
        assertThat(pauses).as("no wait for the Claude account's cooldown").isEmpty();
        assertThat(log.getFirst().translation()).hasValueSatisfying(t -> assertThat(t)
                .endsWith("because every messages credential is exhausted"));
    }

    @Test
    void withoutFallbackOnExhaustionARateLimitedFamilyAnswersItsOwnRateLimit() {
        status = r -> r.route() == Route.MESSAGES ? 429 : 200;
        ProxyService proxy = service(new TranslationPolicy(true, false, ON.models()),
                FakeCredentials.claude("c@x.com"), FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        assertThatThrownBy(() -> proxy.open(messages("claude-sonnet-4-5")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.status()).isEqualTo(429));
        assertThat(calls).extracting(UpstreamRequest::route).doesNotContain(Route.RESPONSES);
    }

    @Test
    void anUnmappedModelIsNeverTranslated() {
        ProxyService proxy = service(ON, FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        assertThatThrownBy(() -> proxy.open(messages("claude-haiku-4-5")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.status()).isEqualTo(401));
        assertThat(calls).isEmpty();
    }

    @Test
    void whenTheOtherFamilyFailsTooTheClientHearsItsOwnApiIsExhaustedAndTheRowSaysWhatWasTried() {
        status = r -> 503;
        ProxyService proxy = service(ON, FakeCredentials.chatgpt("a@x.com", PlanType.PRO));

        assertThatThrownBy(() -> proxy.open(messages("claude-sonnet-4-5")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.status()).isEqualTo(503));
        RequestRecord row = log.getFirst();
        assertThat(row.translation()).isPresent();
        assertThat(row.model()).isEqualTo("gpt-5-codex");
    }

    /** An upstream answer with no body and no usage. */
    private record Answer(int status) implements UpstreamCall {
        @Override
        public UpstreamHead awaitHead() {
            return new UpstreamHead(status, Headers.EMPTY, Headers.EMPTY, false, Optional.empty());
        }

        @Override
        public Optional<ByteBuffer> nextChunk() {
            return Optional.empty();
        }

        @Override
        public UsageReport usage() {
            return UsageReport.EMPTY;
        }

        @Override
        public void close() {
        }
    }
}
