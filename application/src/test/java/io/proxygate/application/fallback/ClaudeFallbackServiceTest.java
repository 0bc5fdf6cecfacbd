package io.proxygate.application.fallback;

import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.proxy.FallbackRoute.FallbackReply;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import io.proxygate.domain.fallback.VariantChange;
import io.proxygate.domain.fallback.VariantHints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaudeFallbackServiceTest {
    private static final FallbackPolicy OPUS_TO_16K = new FallbackPolicy(true, List.of(
            new FallbackRule(true, "claude-opus4.7", "", "claude-opus-4-6", "thinking-16k")));

    private final List<Duration> waits = new ArrayList<>();
    private VariantHints bodyHints = VariantHints.NONE;

    private ClaudeFallbackService service(FallbackPolicy policy, ScriptedVertex vertex) {
        return new ClaudeFallbackService(() -> policy, vertex, body -> bodyHints, ClaudeFallbackSettings.DEFAULTS,
                InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")), waits::add);
    }

    private static ProxyCommand messages(String model, boolean stream, Headers headers) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":1000,\"messages\":[]}";
        return new ProxyCommand(Route.MESSAGES, "", headers, body.getBytes(StandardCharsets.UTF_8),
                new RequestFacts(model, stream, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void sendsAMatchedRequestToTheRuleTargetWithItsVariant() {
        ScriptedVertex vertex = new ScriptedVertex(true).then(200, "{\"id\":\"msg_v\"}");
        Headers headers = Headers.of("user-agent", "claude-cli/2.0");

        FallbackReply reply = service(OPUS_TO_16K, vertex).serve(messages("claude-opus-4-7", true, headers))
                .orElseThrow();

        assertThat(reply.provider()).isEqualTo("vertex-ai");
        assertThat(reply.model()).isEqualTo("claude-opus-4-6");
        assertThat(reply.head().status()).isEqualTo(200);
        VertexRequest sent = vertex.requests.getFirst();
        assertThat(sent.model()).isEqualTo("claude-opus-4-6");
        assertThat(sent.change()).isEqualTo(new VariantChange.SetThinking(16_000));
        assertThat(sent.stream()).isTrue();
        assertThat(sent.clientHeaders()).isEqualTo(headers);
        assertThat(vertex.calls.getFirst().closed).as("the proxy relays and closes the call").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Route.class, names = "MESSAGES", mode = EnumSource.Mode.EXCLUDE)
    void doesNotApplyToOtherRoutes(Route route) {
        ScriptedVertex vertex = new ScriptedVertex(true);
        ProxyCommand command = new ProxyCommand(route, "", Headers.EMPTY, new byte[0],
                new RequestFacts("claude-opus-4-7", false, Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(service(FallbackPolicy.DEFAULT, vertex).serve(command)).isEmpty();
        assertThat(vertex.requests).isEmpty();
    }

    @Test
    void doesNotApplyWhenThePolicyIsDisabled() {
        ScriptedVertex vertex = new ScriptedVertex(true);
        FallbackPolicy off = new FallbackPolicy(false, FallbackPolicy.DEFAULT_RULES);

        assertThat(service(off, vertex).serve(messages("claude-opus-4-7", false, Headers.EMPTY))).isEmpty();
        assertThat(vertex.requests).isEmpty();
    }

    @Test
    void doesNotApplyWhenVertexIsNotUsableSoTheProxyGivesItsOwnAnswer() {
        ScriptedVertex vertex = new ScriptedVertex(false);

        assertThat(service(FallbackPolicy.DEFAULT, vertex).serve(messages("claude-opus-4-7", false, Headers.EMPTY)))
                .isEmpty();
        assertThat(service(FallbackPolicy.DEFAULT, vertex).serve(messages("gpt-5", false, Headers.EMPTY)))
                .as("no 503 of its own either").isEmpty();
        assertThat(vertex.requests).isEmpty();
    }

    @Test
    void answers503WithTheOriginalsMessageWhenNoRuleMatches() {
        ScriptedVertex vertex = new ScriptedVertex(true);

        assertThatThrownBy(() -> service(OPUS_TO_16K, vertex)
                .serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(503);
                    assertThat(f.getMessage()).isEqualTo(
                            "All Claude accounts exhausted and no Vertex AI fallback matched or succeeded.");
                });
        assertThat(vertex.requests).isEmpty();
    }

    @Test
    void theVariantHeaderDecidesWhichRuleMatchesBeforeTheBody() {
        FallbackPolicy byVariant = new FallbackPolicy(true, List.of(
                new FallbackRule(true, "claude-opus-4-7", "thinking-32k", "claude-opus-4-6", "none"),
                new FallbackRule(true, "claude-opus-4-7", "", "claude-sonnet-4-6", "")));
        bodyHints = new VariantHints(Optional.empty(), Optional.of("enabled"), OptionalLong.of(32_000));

        ScriptedVertex fromBody = new ScriptedVertex(true).then(200, "{}");
        service(byVariant, fromBody).serve(messages("claude-opus-4-7", false, Headers.EMPTY));
        assertThat(fromBody.requests.getFirst().model()).isEqualTo("claude-opus-4-6");
        assertThat(fromBody.requests.getFirst().change()).isEqualTo(new VariantChange.RemoveThinking());

        ScriptedVertex fromHeader = new ScriptedVertex(true).then(200, "{}");
        service(byVariant, fromHeader).serve(messages("claude-opus-4-7", false,
                Headers.of("X-ProxyGate-Variant", "default")));
        assertThat(fromHeader.requests.getFirst().model()).isEqualTo("claude-sonnet-4-6");
        assertThat(fromHeader.requests.getFirst().change()).isEqualTo(new VariantChange.Keep());
    }

    @Test
    void retriesA429AfterTheRetryAfterCappedAtTenSeconds() {
        ScriptedVertex vertex = new ScriptedVertex(true)
                .then(429, "{\"error\":{\"message\":\"quota\"}}", "retry-after", "3")
                .then(429, "", "retry-after", "30")
                .then(200, "{\"id\":\"msg_v\"}");

        FallbackReply reply = service(FallbackPolicy.DEFAULT, vertex)
                .serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)).orElseThrow();

        assertThat(reply.head().status()).isEqualTo(200);
        assertThat(waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(vertex.calls).hasSize(3);
        assertThat(vertex.calls.subList(0, 2)).allMatch(c -> c.closed);
    }

    @Test
    void givesUp429AfterFiveAttemptsWithTheOriginalsText() {
        ScriptedVertex vertex = new ScriptedVertex(true);
        for (int i = 0; i < 5; i++) {
            vertex.then(429, "", "retry-after", "1");
        }

        assertThatThrownBy(() -> service(FallbackPolicy.DEFAULT, vertex)
                .serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(429);
                    assertThat(f.errorType()).isEqualTo("rate_limit_error");
                    assertThat(f.getMessage()).isEqualTo("vertex anthropic rate limited");
                    assertThat(f.retryAfter()).contains(Duration.ofSeconds(1));
                });
        assertThat(vertex.calls).hasSize(5).allMatch(c -> c.closed);
        assertThat(waits).hasSize(4);
    }

    @Test
    void backsOffOnServerErrorsAndGivesUpWith502() {
        ScriptedVertex vertex = new ScriptedVertex(true);
        for (int i = 0; i < 5; i++) {
            vertex.then(i % 2 == 0 ? 503 : 500, "overloaded");
        }

        assertThatThrownBy(() -> service(FallbackPolicy.DEFAULT, vertex)
                .serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(502);
                    assertThat(f.getMessage()).isEqualTo("vertex anthropic upstream unavailable");
                });
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
        assertThat(vertex.calls).allMatch(c -> c.closed);
    }

    @Test
    void recoversFromAConnectionFailureAndGivesUpWith502AfterFive() {
        ScriptedVertex flaky = new ScriptedVertex(true).thenUnreachable().then(200, "{}");
        assertThat(service(FallbackPolicy.DEFAULT, flaky).serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)))
                .isPresent();
        assertThat(waits).containsExactly(Duration.ofSeconds(1));

        ScriptedVertex down = new ScriptedVertex(true);
        for (int i = 0; i < 5; i++) {
            down.thenUnreachable();
        }
        assertThatThrownBy(() -> service(FallbackPolicy.DEFAULT, down)
                .serve(messages("claude-sonnet-4-6", false, Headers.EMPTY)))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(502);
                    assertThat(f.getMessage()).isEqualTo("vertex anthropic forward error");
                });
        assertThat(down.calls).hasSize(5).allMatch(c -> c.closed);
    }

    @Test
    void relaysOtherClientErrorsAfterOneCall() {
        ScriptedVertex vertex = new ScriptedVertex(true)
                .then(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"}}");

        FallbackReply reply = service(FallbackPolicy.DEFAULT, vertex)
                .serve(messages("claude-haiku-4-5", false, Headers.EMPTY)).orElseThrow();

        assertThat(reply.head().status()).isEqualTo(400);
        assertThat(reply.model()).isEqualTo("claude-sonnet-4-6");
        assertThat(vertex.calls).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void policyChangesApplyToTheNextRequest() {
        FallbackPolicyService policies = new FallbackPolicyService(new InMemoryPolicyStore(), new ScriptedVertex(true));
        ScriptedVertex vertex = new ScriptedVertex(true).then(200, "{}");
        ClaudeFallbackService fallback = new ClaudeFallbackService(policies, vertex, body -> VariantHints.NONE,
                ClaudeFallbackSettings.DEFAULTS, InstantSource.system(), waits::add);

        policies.replacePolicy(new FallbackPolicy(false, List.of()));
        assertThat(fallback.serve(messages("claude-opus-4-7", false, Headers.EMPTY))).isEmpty();

        policies.replacePolicy(OPUS_TO_16K);
        assertThat(fallback.serve(messages("claude-opus-4-7", false, Headers.EMPTY))).isPresent();
    }
}
