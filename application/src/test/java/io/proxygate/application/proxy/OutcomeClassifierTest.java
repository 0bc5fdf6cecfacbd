package io.proxygate.application.proxy;

import io.proxygate.application.http.Headers;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.proxy.UpstreamOutcome.Client;
import io.proxygate.application.proxy.UpstreamOutcome.Consequence;
import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.domain.usage.StreamFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** One case per row of the outcome table in docs/routing.md. */
class OutcomeClassifierTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final OutcomeClassifier.Attempt API_KEY = new OutcomeClassifier.Attempt(false, false, false, false);
    private static final OutcomeClassifier.Attempt API_ACCOUNT =
            new OutcomeClassifier.Attempt(false, true, false, false);
    private static final OutcomeClassifier.Attempt API_REFRESHED =
            new OutcomeClassifier.Attempt(false, true, true, false);
    private static final OutcomeClassifier.Attempt API_BOUND = new OutcomeClassifier.Attempt(false, true, false, true);
    private static final OutcomeClassifier.Attempt API_CHATGPT =
            new OutcomeClassifier.Attempt(false, true, false, false, true);
    private static final OutcomeClassifier.Attempt SIDE = new OutcomeClassifier.Attempt(true, true, false, false);
    private static final OutcomeClassifier.Attempt SIDE_REFRESHED =
            new OutcomeClassifier.Attempt(true, true, true, false);
    private static final String JSON_ERROR = "{\"error\":{\"message\":\"nope\",\"type\":\"invalid_request_error\"}}";
    private static final Headers JSON = Headers.of("content-type", "application/json");

    static Stream<Arguments> rows() {
        return Stream.of(
                row("API 2xx", API_KEY, 200, JSON, "", UpstreamOutcome.Success.class, Consequence.ANSWERED,
                        Client.RELAY, false),
                row("API 401 from an account, first time", API_ACCOUNT, 401, JSON, JSON_ERROR,
                        UpstreamOutcome.RefreshAndRetry.class, Consequence.NONE, Client.FAIL_OVER, false),
                row("API 401 from an account after its refresh", API_REFRESHED, 401, JSON, JSON_ERROR,
                        UpstreamOutcome.Unauthorized.class, new Consequence.NeedsLogin("auth_unauthorized"),
                        Client.FAIL_OVER, true),
                row("API 401 from a key", API_KEY, 401, JSON, JSON_ERROR, UpstreamOutcome.Unauthorized.class,
                        new Consequence.NeedsLogin("auth_unauthorized"), Client.FAIL_OVER, true),
                row("API 403 with the API's JSON error", API_ACCOUNT, 403, JSON, JSON_ERROR,
                        UpstreamOutcome.Forbidden.class, new Consequence.NeedsLogin("auth_forbidden"),
                        Client.FAIL_OVER, true),
                row("API 403 with the ChatGPT backend's JSON error: the request is refused", API_CHATGPT, 403,
                        JSON, JSON_ERROR, UpstreamOutcome.ClientError.class, Consequence.NONE, Client.RELAY, true),
                row("API 403 HTML page from the edge", API_ACCOUNT, 403, Headers.of("content-type", "text/html"),
                        "<html>Just a moment...</html>", UpstreamOutcome.EdgeRefused.class,
                        new Consequence.Cooldown(Duration.ofSeconds(30), "edge 403"), Client.RELAY, true),
                row("API 403 with a cf-mitigated challenge", API_ACCOUNT, 403,
                        Headers.of("content-type", "application/json", "cf-mitigated", "challenge"), JSON_ERROR,
                        UpstreamOutcome.EdgeRefused.class, new Consequence.Cooldown(Duration.ofSeconds(30),
                                "edge 403"), Client.RELAY, true),
                row("API 403 without a type and a non-JSON body", API_KEY, 403, Headers.EMPTY, "Forbidden",
                        UpstreamOutcome.EdgeRefused.class, new Consequence.Cooldown(Duration.ofSeconds(30),
                                "edge 403"), Client.RELAY, true),
                row("API 429 with Retry-After", API_ACCOUNT, 429, Headers.of("retry-after", "42"), JSON_ERROR,
                        UpstreamOutcome.RateLimited.class, new Consequence.Cooldown(Duration.ofSeconds(42), "429"),
                        Client.FAIL_OVER, true),
                row("API 429 without any delay: the one default", API_KEY, 429, JSON, JSON_ERROR,
                        UpstreamOutcome.RateLimited.class, new Consequence.Cooldown(Duration.ofSeconds(60), "429"),
                        Client.FAIL_OVER, true),
                row("API 429 on a request bound to its pinned account", API_BOUND, 429,
                        Headers.of("retry-after", "5"), JSON_ERROR, UpstreamOutcome.RateLimited.class,
                        new Consequence.Cooldown(Duration.ofSeconds(5), "429"), Client.RELAY, true),
                row("API 500", API_KEY, 500, JSON, JSON_ERROR, UpstreamOutcome.ServerError.class,
                        new Consequence.Backoff("HTTP 500"), Client.FAIL_OVER, true),
                row("API 503", API_ACCOUNT, 503, Headers.EMPTY, "", UpstreamOutcome.ServerError.class,
                        new Consequence.Backoff("HTTP 503"), Client.FAIL_OVER, true),
                row("API 400", API_KEY, 400, JSON, JSON_ERROR, UpstreamOutcome.ClientError.class,
                        Consequence.NONE, Client.RELAY, false),
                row("API 404", API_ACCOUNT, 404, JSON, JSON_ERROR, UpstreamOutcome.ClientError.class,
                        Consequence.NONE, Client.RELAY, false),
                row("API 413", API_KEY, 413, JSON, JSON_ERROR, UpstreamOutcome.ClientError.class,
                        Consequence.NONE, Client.RELAY, false),
                row("side call 401 from an account, first time", SIDE, 401, JSON, JSON_ERROR,
                        UpstreamOutcome.RefreshAndRetry.class, Consequence.NONE, Client.FAIL_OVER, false),
                row("side call 401 after the refresh", SIDE_REFRESHED, 401, JSON, JSON_ERROR,
                        UpstreamOutcome.SideCall.class, Consequence.NONE, Client.RELAY, false),
                row("side call 403", SIDE, 403, JSON, JSON_ERROR, UpstreamOutcome.SideCall.class,
                        Consequence.NONE, Client.RELAY, false),
                row("side call 429", SIDE, 429, Headers.of("retry-after", "9"), JSON_ERROR,
                        UpstreamOutcome.SideCall.class, Consequence.NONE, Client.RELAY, false),
                row("side call 5xx", SIDE, 502, JSON, JSON_ERROR, UpstreamOutcome.SideCall.class,
                        Consequence.NONE, Client.RELAY, false),
                row("side call 2xx", SIDE, 200, JSON, "", UpstreamOutcome.SideCall.class, Consequence.NONE,
                        Client.RELAY, false));
    }

    private static Arguments row(String name, OutcomeClassifier.Attempt attempt, int status, Headers headers,
                                 String body, Class<? extends UpstreamOutcome> type, Consequence credential,
                                 Client client, boolean readsBody) {
        return arguments(name, attempt, status, headers, body, type, credential, client, readsBody);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyAnswerHasOneConsequenceForTheCredentialAndOneForTheClient(
            String name, OutcomeClassifier.Attempt attempt, int status, Headers headers, String body,
            Class<? extends UpstreamOutcome> type, Consequence credential, Client client, boolean readsBody) {
        AtomicInteger reads = new AtomicInteger();
        Supplier<String> lazyBody = () -> {
            reads.incrementAndGet();
            return body;
        };
        UpstreamOutcome outcome = OutcomeClassifier.classify(attempt, status, headers, lazyBody, NOW);
        assertThat(outcome).isInstanceOf(type);
        assertThat(outcome.credential()).isEqualTo(credential);
        assertThat(outcome.client()).isEqualTo(client);
        assertThat(reads.get() > 0).as("reads the body").isEqualTo(readsBody);
        // The router hears a failure exactly when the credential's consequence is one.
        boolean failure = credential instanceof Consequence.Cooldown || credential instanceof Consequence.Backoff
                || credential instanceof Consequence.NeedsLogin;
        assertThat(outcome.failure().isPresent()).isEqualTo(failure);
    }

    @Test
    void aConnectionFailureOrTimeoutOnAnApiRouteBacksOffAndFailsOver() {
        for (UpstreamException.Kind kind : new UpstreamException.Kind[] {UpstreamException.Kind.CONNECT,
                UpstreamException.Kind.TIMEOUT, UpstreamException.Kind.RESET, UpstreamException.Kind.PROTOCOL}) {
            UpstreamOutcome outcome = OutcomeClassifier.unreachable(API_KEY,
                    new UpstreamException(kind, "refused", null));
            assertThat(outcome).isInstanceOf(UpstreamOutcome.Unreachable.class);
            assertThat(outcome.credential()).isEqualTo(new Consequence.Backoff("refused"));
            assertThat(outcome.client()).isEqualTo(Client.FAIL_OVER);
            assertThat(outcome.failure()).contains(new AttemptFailure.Unreachable("refused"));
        }
    }

    @Test
    void aConnectionFailureOnASideCallAnswers502AndMarksNothing() {
        UpstreamOutcome outcome = OutcomeClassifier.unreachable(SIDE,
                new UpstreamException(UpstreamException.Kind.TIMEOUT, "timed out", null));
        assertThat(outcome).isInstanceOf(UpstreamOutcome.SideCallUnreachable.class);
        assertThat(outcome.credential()).isEqualTo(Consequence.NONE);
        assertThat(outcome.client()).isEqualTo(Client.ANSWER);
        assertThat(outcome.failure()).isEmpty();
    }

    @Test
    void aFailedRefreshNeedsLoginWhenPermanentAndBacksOffWhenNot() {
        UpstreamOutcome dead = OutcomeClassifier.refreshFailed(true, "invalid_grant");
        assertThat(dead.credential()).isEqualTo(new Consequence.NeedsLogin("refresh: invalid_grant"));
        assertThat(dead.failure()).contains(new AttemptFailure.NeedsLogin("refresh: invalid_grant"));
        assertThat(dead.client()).isEqualTo(Client.FAIL_OVER);
        UpstreamOutcome flaky = OutcomeClassifier.refreshFailed(false, "timeout");
        assertThat(flaky.credential()).isEqualTo(new Consequence.Backoff("refresh: timeout"));
        assertThat(flaky.failure()).contains(new AttemptFailure.Unreachable("refresh: timeout"));
    }

    @Test
    void theRouterHearsTheCooldownsAndStatusesAsClassified() {
        assertThat(OutcomeClassifier.classify(API_KEY, 429, Headers.of("retry-after-ms", "1500"), () -> "", NOW)
                .failure()).contains(new AttemptFailure.RateLimited(Duration.ofMillis(1500)));
        assertThat(OutcomeClassifier.classify(API_KEY, 403, Headers.of("content-type", "text/plain"), () -> "x",
                NOW).failure()).contains(new AttemptFailure.EdgeRefused(Duration.ofSeconds(30)));
        assertThat(OutcomeClassifier.classify(API_KEY, 502, JSON, () -> "", NOW).failure())
                .contains(new AttemptFailure.ServerError(502));
        assertThat(OutcomeClassifier.classify(API_KEY, 429, JSON, () -> JSON_ERROR, NOW))
                .isEqualTo(new UpstreamOutcome.RateLimited(Duration.ofSeconds(60), "nope", false));
    }

    /** Row 18: a failure event inside a 200 stream relayed as it comes is charged like the status its code means. */
    @Test
    void aFailureEventInsideASuccessStreamMeetsTheConsequenceOfItsStatus() {
        UpstreamOutcome limited = OutcomeClassifier.streamFailed(
                new StreamFailure("usage_limit_reached", "limit reached, retry after 90 sec", 429), NOW);
        assertThat(limited).isInstanceOf(UpstreamOutcome.RateLimited.class);
        assertThat(limited.credential()).isEqualTo(new Consequence.Cooldown(Duration.ofSeconds(90), "429"));
        assertThat(limited.failure()).isPresent();

        UpstreamOutcome quotaNoDelay = OutcomeClassifier.streamFailed(
                new StreamFailure("rate_limit_error", "Number of request tokens has exceeded your rate limit", 429), NOW);
        assertThat(quotaNoDelay.credential()).isEqualTo(new Consequence.Cooldown(Duration.ofSeconds(60), "429"));

        UpstreamOutcome overloaded = OutcomeClassifier.streamFailed(
                new StreamFailure("overloaded_error", "Overloaded", 529), NOW);
        assertThat(overloaded).isInstanceOf(UpstreamOutcome.ServerError.class);
        assertThat(overloaded.credential()).isEqualTo(new Consequence.Backoff("HTTP 529"));

        UpstreamOutcome refused = OutcomeClassifier.streamFailed(
                new StreamFailure("context_length_exceeded", "too long", 400), NOW);
        assertThat(refused.credential()).isEqualTo(Consequence.NONE);
        assertThat(refused.failure()).isEmpty();
    }
}
