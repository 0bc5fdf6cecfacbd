package io.proxygate.application.routing;

import io.proxygate.application.routing.CredentialRuntime.State;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.AccountUsage;
import io.proxygate.domain.routing.Backoff;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.RetryAfter;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What the router learns from each outcome: where a reader looks for "what happens after a 429". Cooldowns,
 * backoff episodes, needs-login marks, the health averages, usage windows, pins on success; every change is handed
 * to the {@link RoutingStateSaver}. {@link RoutingService} adds the planner, which only reads what this writes; its
 * public methods are the router's reports ({@link CredentialRouter#onSuccess} and the other {@code on...} methods).
 */
abstract class OutcomePolicy {
    private static final System.Logger LOG = System.getLogger(OutcomePolicy.class.getName());
    /** The cooldown reason of a 429, which {@link RoutingService#restingOnRateLimits} looks for. */
    static final String RATE_LIMIT_REASON = "429";

    final PinTable pins;
    final RoutingStateSaver saver;
    final InstantSource clock;

    OutcomePolicy(PinTable pins, RoutingStateSaver saver, InstantSource clock) {
        this.pins = pins;
        this.saver = saver;
        this.clock = clock;
    }

    /** The runtime of a credential, created on first sight. */
    abstract CredentialRuntime runtime(CredentialId id);

    /** The runtime of a credential, or null when it was never seen. */
    abstract CredentialRuntime knownRuntime(CredentialId id);

    /** Called after {@code rt} took in a new usage observation (which also resets its local estimate). */
    void usageChanged(CredentialRuntime rt) {
    }

    public void onSuccess(CredentialId id, RouteQuery query, Optional<String> responseId) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        rt.used(now);
        rt.succeeded();
        long t = now.toEpochMilli();
        rt.updateHealth(h -> h.withOutcome(false, t));
        boolean hadStreak = rt.state().streak() != 0;
        if (hadStreak) {
            rt.update(s -> s.withStreak(0));
        }
        rt.releaseProbe(null);
        if (query.conversation().isPresent()) {
            pins.pin(query.conversation().get(), id, now);
        }
        if (responseId.isPresent() && !responseId.get().isBlank()) {
            pins.pin(ConversationKey.response(responseId.get()), id, now);
        }
        saver.save(rt, hadStreak, now);
    }

    public void onAnswered(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        if (rt.state().streak() != 0) {
            rt.update(s -> s.withStreak(0));
            saver.save(rt, true, clock.instant());
        }
        rt.releaseProbe(null);
    }

    public void onFailure(CredentialId id, AttemptFailure failure) {
        onFailure(id, failure, clock.instant());
    }

    public void onFailure(CredentialId id, AttemptFailure failure, Instant attemptStarted) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        long t = now.toEpochMilli();
        long started = attemptStarted == null ? t : Math.min(t, attemptStarted.toEpochMilli());
        switch (failure) {
            case AttemptFailure.RateLimited limited -> {
                // Taken as given: the classifier caps header-derived delays and falls back to the one default.
                Duration d = limited.cooldown() == null || limited.cooldown().isNegative() || limited.cooldown().isZero()
                        ? RetryAfter.DEFAULT : limited.cooldown();
                long until = t + d.toMillis();
                rt.update(s -> until > s.cooldownUntilMillis() ? s.withCooldown(id, until, RATE_LIMIT_REASON) : s);
            }
            case AttemptFailure.EdgeRefused refused -> {
                long until = t + refused.cooldown().toMillis();
                rt.update(s -> until > s.cooldownUntilMillis() ? s.withCooldown(id, until, "edge 403") : s);
            }
            case AttemptFailure.ServerError error -> {
                rt.updateHealth(h -> h.withOutcome(true, t));
                backoff(rt, t, started, "HTTP " + error.status());
            }
            case AttemptFailure.Unreachable unreachable -> {
                rt.updateHealth(h -> h.withOutcome(true, t));
                backoff(rt, t, started, "unreachable: " + unreachable.detail());
            }
            case AttemptFailure.NeedsLogin login -> {
                String reason = login.reason() == null || login.reason().isBlank() ? "unauthorized" : login.reason();
                rt.update(s -> s.withNeedsLogin(id, reason, t));
            }
        }
        rt.releaseProbe(null);
        LOG.log(System.Logger.Level.DEBUG, () -> id + " failed: " + failure);
        saver.save(rt, true, now);
    }

    public void onFirstByte(CredentialId id, Duration ttft) {
        long t = clock.millis();
        runtime(id).updateHealth(h -> h.withTtft(ttft, t));
    }

    public void onStreamFailed(CredentialId id) {
        long t = clock.millis();
        runtime(id).updateHealth(h -> h.withOutcome(true, t));
    }

    public Optional<String> health(CredentialId id) {
        CredentialRuntime rt = knownRuntime(id);
        return rt == null ? Optional.empty() : Optional.of(rt.health().describe(clock.millis()));
    }

    public boolean clearCooldown(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        // The operator's reset clears the needs-login mark as well: if the login really is gone, the next request's
        // refresh finds out and marks it again; if the mark was wrong, nothing else would ever lift it.
        State before = rt.update(s -> {
            State cleared = s.withoutCooldown();
            return s.needsLogin() == null ? cleared : cleared.withNeedsLogin(id, null, now.toEpochMilli());
        });
        rt.releaseProbe(null);
        saver.clearCooldown(id);
        saver.save(rt, true, now);
        boolean cleared = before.cooldownUntilMillis() > now.toEpochMilli() || before.streak() != 0
                || before.needsLogin() != null;
        if (cleared) {
            LOG.log(System.Logger.Level.INFO, () -> id + ": cooldown, failure streak and needs-login mark cleared");
        }
        return cleared;
    }

    public void onWindows(CredentialId id, UsageWindows windows) {
        CredentialRuntime rt = runtime(id);
        CredentialRuntime.Observed observed = rt.observe(AccountUsage.of(windows), windows);
        if (observed != CredentialRuntime.Observed.OLDER_THAN_KNOWN) {
            usageChanged(rt);
            saver.save(rt, observed == CredentialRuntime.Observed.BLOCKING, clock.instant());
        }
    }

    public void onUsage(CredentialId id, TokenUsage tokens) {
        runtime(id).addTokens(tokens.totalTokens());
    }

    public void onTokensRenewed(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        // Stamped even without a mark: an older mark another instance saved must not come back after the renewal.
        State before = rt.update(s -> s.withNeedsLogin(id, null, now.toEpochMilli()));
        if (before.needsLogin() != null) {
            LOG.log(System.Logger.Level.INFO, () -> id + " has new tokens: needs-login cleared");
        }
        saver.save(rt, true, now);
    }

    /**
     * One failure episode: an attempt that started before the last failure we counted belongs to that failure's
     * episode (concurrent requests hitting the same outage) and adds nothing. Otherwise the streak, first faded by
     * the quiet time since the last failure or cooldown, grows by one and sets the next rest.
     */
    private static void backoff(CredentialRuntime rt, long t, long attemptStarted, String what) {
        rt.update(s -> {
            if (s.lastFailureMillis() != Long.MIN_VALUE && attemptStarted < s.lastFailureMillis()) {
                return s;
            }
            long quietSince = Math.max(s.lastFailureMillis(), s.cooldownUntilMillis());
            int streak = quietSince == Long.MIN_VALUE ? 0
                    : Backoff.decayed(s.streak(), Duration.ofMillis(Math.max(0, t - quietSince)));
            long until = t + Backoff.forServerErrors(streak).toMillis();
            State next = s.withFailure(streak + 1, t);
            String reason = what + " (failure " + (streak + 1) + " in a row)";
            return until >= s.cooldownUntilMillis() ? next.withCooldown(rt.id, until, reason) : next;
        });
    }
}
