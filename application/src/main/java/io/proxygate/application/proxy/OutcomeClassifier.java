package io.proxygate.application.proxy;

import io.proxygate.application.http.Headers;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.domain.routing.RetryAfter;
import io.proxygate.domain.usage.StreamFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one place that reads an upstream attempt's ending (status, headers, the first bytes of the body, a connection
 * failure, a failed token refresh) and names it as an {@link UpstreamOutcome}. A {@code response.failed} event of a
 * stream the client asked to receive whole is turned into its status by the upstream adapter before the head, so
 * it is classified like that status; in a stream relayed as it comes it reaches the client as sent, and
 * {@link #streamFailed} names it once the stream has shown it.
 */
final class OutcomeClassifier {
    /** How long an edge refusal rests the credential: long enough to spare it a burst, short enough not to matter. */
    static final Duration EDGE_REFUSAL_COOLDOWN = Duration.ofSeconds(30);

    /**
     * What the classifier needs to know about the attempt besides the answer.
     *
     * @param sideCall  a passthrough or model-list call: it never changes credential state
     * @param account   the credential is an OAuth account (a 401 may be cured by a token refresh)
     * @param refreshed the token was already refreshed once in this attempt
     * @param bound     the request is pinned to this credential and may not leave it (previous response, encrypted
     *                  reasoning, or moving after a 429 turned off)
     * @param forbiddenRefusesRequest a JSON 403 refuses the request, not the credential, unless it names the account
     *                  (deactivated, suspended): the ChatGPT backend answers so what an account may not ask for (a
     *                  model or feature outside its plan, a region), while a login that is gone answers 401 there,
     *                  which the refresh handles
     */
    record Attempt(boolean sideCall, boolean account, boolean refreshed, boolean bound,
                   boolean forbiddenRefusesRequest) {
        Attempt(boolean sideCall, boolean account, boolean refreshed, boolean bound) {
            this(sideCall, account, refreshed, bound, false);
        }
    }

    private OutcomeClassifier() {
    }

    /**
     * Classifies an answer. {@code body} is read (bounded) only for the statuses whose meaning depends on it: 401,
     * 403, 429 and 5xx on API routes; a success, a side call and any other status are never read, so they relay
     * untouched.
     */
    static UpstreamOutcome classify(Attempt attempt, int status, Headers headers, Supplier<String> body,
                                    Instant now) {
        if (status == 401 && attempt.account() && !attempt.refreshed()) {
            return new UpstreamOutcome.RefreshAndRetry();
        }
        if (attempt.sideCall()) {
            return new UpstreamOutcome.SideCall(status);
        }
        if (status >= 200 && status < 300) {
            return new UpstreamOutcome.Success(status);
        }
        return switch (status) {
            case 401 -> new UpstreamOutcome.Unauthorized(ProxyService.errorMessage(body.get(), "unauthorized"));
            case 403 -> {
                String text = body.get();
                if (edgeRefusal(headers, text)) {
                    yield new UpstreamOutcome.EdgeRefused(EDGE_REFUSAL_COOLDOWN);
                }
                yield attempt.forbiddenRefusesRequest() && !namesTheAccount(text)
                        ? new UpstreamOutcome.ClientError(403)
                        : new UpstreamOutcome.Forbidden(ProxyService.errorMessage(text, "forbidden"));
            }
            case 429 -> {
                String text = body.get();
                yield new UpstreamOutcome.RateLimited(RetryAfter.parse(headers::first, text, now),
                        ProxyService.errorMessage(text, "rate limited"), attempt.bound());
            }
            default -> status >= 500
                    ? new UpstreamOutcome.ServerError(status, ProxyService.errorMessage(body.get(),
                    "upstream answered " + status))
                    : new UpstreamOutcome.ClientError(status);
        };
    }

    /**
     * A failure event inside a success stream already relayed as it comes ({@code response.failed}, an Anthropic
     * {@code event: error}): classified like the status its code stands for, so the credential meets the same
     * consequence (a rate-limit or quota code cools it, a server-side code backs it off, a refused request leaves it
     * alone). The client's side no longer applies: it already has the head and reads the event itself.
     */
    static UpstreamOutcome streamFailed(StreamFailure failure, Instant now) {
        if (failure.rateLimited()) {
            return new UpstreamOutcome.RateLimited(RetryAfter.parse(name -> java.util.Optional.empty(),
                    failure.message(), now), failure.describe(), false);
        }
        if (failure.serverSide()) {
            return new UpstreamOutcome.ServerError(failure.status(), failure.describe());
        }
        return new UpstreamOutcome.ClientError(failure.status());
    }

    /** No answer: connection refused or reset, a timeout, a protocol error. */
    static UpstreamOutcome unreachable(Attempt attempt, UpstreamException e) {
        String kind = e.kind().name().toLowerCase(Locale.ROOT);
        return attempt.sideCall() ? new UpstreamOutcome.SideCallUnreachable(e.getMessage())
                : new UpstreamOutcome.Unreachable(kind, e.getMessage());
    }

    /** The token refresh before (or after a 401 on) the call failed. */
    static UpstreamOutcome refreshFailed(boolean permanent, String detail) {
        return new UpstreamOutcome.RefreshFailed(permanent, detail);
    }

    /** Whether a JSON 403 speaks of the account itself (deactivated, suspended, banned) rather than the request. */
    private static boolean namesTheAccount(String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        return text.contains("deactivated") || text.contains("suspended") || text.contains("banned");
    }

    /**
     * Whether a 403 came from the provider's edge rather than its API: a challenge marker, or any body that is not
     * the API's JSON error (an HTML page, plain text, nothing at all).
     */
    static boolean edgeRefusal(Headers upstreamHeaders, String body) {
        if (upstreamHeaders.first("cf-mitigated").isPresent()) {
            return true;
        }
        // The declared type decides first: the body may reach us still compressed.
        String type = upstreamHeaders.first("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return false;
        }
        if (!type.isEmpty()) {
            return true;
        }
        String text = body == null ? "" : body.strip();
        return !text.startsWith("{") || text.contains("Just a moment");
    }
}
