package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides which credential serves a request, and learns from every outcome. Implementations are thread-safe and
 * keep their hot-path state in memory.
 */
public interface CredentialRouter {
    /** Ranks the credentials that may serve {@code query} now (priority, pin, scores) and explains the rest. */
    RoutingPlan plan(RouteQuery query);

    /**
     * The plan with every credential looked at, for explanations: the same candidates as {@link #plan}, and a skip
     * listed for every credential left out (a plan served to a request may list only those its walk passed).
     */
    default RoutingPlan explainPlan(RouteQuery query) {
        return plan(query);
    }

    /** Marks one more request in flight on {@code id}; the lease must be closed when the request ends. */
    Lease begin(CredentialId id);

    /** Like {@link #begin}, but empty when the credential is already at its in-flight cap. */
    default Optional<Lease> tryBegin(CredentialId id) {
        return Optional.of(begin(id));
    }

    /**
     * Cools {@code id} down for {@code duration} because an operator's error rule said so; {@code reason} is shown
     * wherever the cooldown is (explain, status). Never shortens a longer cooldown.
     */
    default void coolDown(CredentialId id, Duration duration, String reason) {
    }

    /**
     * A 429 limited to one model family ({@link io.proxygate.domain.routing.ModelFamily}): only requests for that
     * family leave {@code id} until the cooldown ends. Routers without model cooldowns cool the whole credential.
     */
    default void onModelRateLimited(CredentialId id, String family, Duration cooldown) {
        onFailure(id, new AttemptFailure.RateLimited(cooldown));
    }

    /** Time until the first credential whose cooldown of {@code model}'s family ends, if any is cooling. */
    default Optional<Duration> nearestModelCooldown(String model) {
        return Optional.empty();
    }

    /** The line for requests waiting on busy credentials; a router without caps has one nobody ever waits in. */
    default CapacityQueue capacityQueue() {
        return new CapacityQueue();
    }

    /** The attempt succeeded: clear failure streaks, refresh the conversation's pin, remember the response id. */
    void onSuccess(CredentialId id, RouteQuery query, Optional<String> responseId);

    /** The attempt failed in a way that affects the credential (cooldown, backoff, needs login). */
    void onFailure(CredentialId id, AttemptFailure failure);

    /**
     * The same, for an attempt that started at {@code attemptStarted}: attempts already under way when an earlier
     * failure was recorded belong to that failure's episode and do not lengthen the backoff.
     */
    default void onFailure(CredentialId id, AttemptFailure failure, Instant attemptStarted) {
        onFailure(id, failure);
    }

    /** The upstream answered an attempt with success headers: a backoff streak on {@code id} is over. */
    default void onAnswered(CredentialId id) {
    }

    /**
     * The first byte of {@code id}'s answer came {@code ttft} after the attempt started: one sample of its
     * time-to-first-byte average. Default: ignored.
     */
    default void onFirstByte(CredentialId id, Duration ttft) {
    }

    /** A stream from {@code id} broke after it began: counts towards its error rate only. Default: ignored. */
    default void onStreamFailed(CredentialId id) {
    }

    /** The moving averages the router keeps for {@code id}, in words, if it has any. Default: none. */
    default Optional<String> health(CredentialId id) {
        return Optional.empty();
    }

    /**
     * An operator's reset: ends {@code id}'s cooldown and failure streak at once. Returns whether there was one.
     * Default: nothing to clear.
     */
    default boolean clearCooldown(CredentialId id) {
        return false;
    }

    /** New usage windows (from a poll or response headers). */
    void onWindows(CredentialId id, UsageWindows windows);

    /**
     * Tokens a finished request used on {@code id}: API keys and Claude accounts without fresh usage windows are
     * routed to the least loaded. Default: ignored.
     */
    default void onUsage(CredentialId id, TokenUsage tokens) {
    }

    /** The credential got new tokens (refresh or fresh login): clear a needs-login mark. */
    void onTokensRenewed(CredentialId id);

    /** Time until the soonest cooldown among credentials serving {@code api} ends, if any is cooling. */
    Optional<Duration> nearestCooldown(Api api);

    /**
     * Whether every enabled credential serving {@code api} rests on a rate limit (a 429's cooldown or a spent usage
     * window): a request that found none to try was then refused by the upstreams' limits, not by a fault.
     */
    default boolean restingOnRateLimits(Api api) {
        return false;
    }

    /** Runtime state of every known credential. */
    List<CredentialStatus> statuses();
}
