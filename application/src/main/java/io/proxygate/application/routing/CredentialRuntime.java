package io.proxygate.application.routing;

import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.AccountUsage;
import io.proxygate.domain.routing.InFlightCounter;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The router's mutable facts about one credential. Counters are atomics; the rest is an immutable {@link State}
 * swapped under this object's lock and read with one volatile load, so a pick never locks.
 */
final class CredentialRuntime {
    /**
     * Immutable state, with the skip reasons prepared when it changes so that picks only copy references.
     * {@code needsLoginChangedMillis} is when the needs-login mark was last set or cleared ({@code Long.MIN_VALUE}:
     * never, as far as we know), so that instances sharing a database can tell whose change is newer.
     */
    record State(long cooldownUntilMillis, String cooldownReason, RoutingPlan.Skip cooldownSkip,
                 String needsLogin, RoutingPlan.Skip needsLoginSkip, long needsLoginChangedMillis, int streak,
                 AccountUsage usage, long usageBlockedUntilMillis, RoutingPlan.Skip usageSkip) {

        static final State EMPTY = new State(Long.MIN_VALUE, null, null, null, null, Long.MIN_VALUE, 0,
                AccountUsage.NONE, Long.MIN_VALUE, null);

        State withCooldown(CredentialId id, long untilMillis, String reason) {
            String text = "cooling down until "
                    + Instant.ofEpochMilli(untilMillis).truncatedTo(ChronoUnit.SECONDS) + ", " + reason;
            return new State(untilMillis, reason, new RoutingPlan.Skip(id, text), needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, streak, usage, usageBlockedUntilMillis, usageSkip);
        }

        State withNeedsLogin(CredentialId id, String reason, long changedMillis) {
            RoutingPlan.Skip skip = reason == null ? null : new RoutingPlan.Skip(id, "needs login: " + reason);
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, reason, skip, changedMillis, streak,
                    usage, usageBlockedUntilMillis, usageSkip);
        }

        State withStreak(int newStreak) {
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, newStreak, usage, usageBlockedUntilMillis, usageSkip);
        }

        State withUsage(CredentialId id, AccountUsage newUsage) {
            long until = newUsage.blockedUntil().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
            RoutingPlan.Skip skip = newUsage.blockedReason().map(r -> new RoutingPlan.Skip(id, r)).orElse(null);
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, streak, newUsage, until, skip);
        }
    }

    final CredentialId id;
    final InFlightCounter inFlight = new InFlightCounter();
    /** Successes since the last usage observation: the local 5-hour estimate. */
    final AtomicInteger successes = new AtomicInteger();
    /** Tokens served since start, for least-load routing. */
    final AtomicLong tokenLoad = new AtomicLong();
    private volatile State state = State.EMPTY;
    private volatile Instant lastUsed;
    /** Guarded by this. */
    private long lastSavedMillis = Long.MIN_VALUE;

    CredentialRuntime(CredentialId id) {
        this.id = id;
    }

    /** Restores what a previous run saved. */
    static CredentialRuntime restored(CredentialStateRecord saved) {
        CredentialRuntime rt = new CredentialRuntime(saved.id());
        State s = State.EMPTY.withStreak(Math.max(0, saved.failureStreak()));
        if (saved.cooldownUntil().isPresent()) {
            s = s.withCooldown(saved.id(), saved.cooldownUntil().get().toEpochMilli(),
                    saved.cooldownReason().orElse("restored"));
        }
        long changed = saved.needsLoginChangedAt().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        if (saved.needsLoginReason().isPresent() || changed != Long.MIN_VALUE) {
            s = s.withNeedsLogin(saved.id(), saved.needsLoginReason().orElse(null), changed);
        }
        if (saved.windows().isPresent()) {
            s = s.withUsage(saved.id(), AccountUsage.of(saved.windows().get()));
        }
        rt.state = s;
        rt.lastUsed = saved.lastUsed().orElse(null);
        return rt;
    }

    State state() {
        return state;
    }

    /** Applies {@code change} atomically; returns the state before it. */
    synchronized State update(UnaryOperator<State> change) {
        State before = state;
        state = change.apply(before);
        return before;
    }

    /**
     * Takes a usage observation unless a newer one is already known (polls and response headers race); resets the
     * local estimate.
     */
    synchronized Observed observe(AccountUsage usage, UsageWindows windows) {
        State before = state;
        Optional<UsageWindows> known = before.usage().windows();
        if (known.isPresent() && known.get().observedAt().isAfter(windows.observedAt())) {
            return Observed.OLDER_THAN_KNOWN;
        }
        state = before.withUsage(id, usage);
        successes.set(0);
        return before.usageSkip() != null || state.usageSkip() != null ? Observed.BLOCKING : Observed.TAKEN;
    }

    /**
     * Takes in what another instance saved to the shared store: a later cooldown, a needs-login mark changed after
     * ours, usage windows observed after ours. Never shortens a cooldown. Returns whether anything changed.
     */
    synchronized boolean absorb(CredentialStateRecord shared, long nowMillis) {
        State before = state;
        State next = before;
        long until = shared.cooldownUntil().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        if (until > nowMillis && until > before.cooldownUntilMillis()) {
            next = next.withCooldown(id, until, shared.cooldownReason().orElse("set by another instance"));
        }
        long changed = shared.needsLoginChangedAt().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        String reason = shared.needsLoginReason().orElse(null);
        if (changed > before.needsLoginChangedMillis() && !java.util.Objects.equals(reason, before.needsLogin())) {
            next = next.withNeedsLogin(id, reason, changed);
        }
        Optional<UsageWindows> theirs = shared.windows();
        Optional<UsageWindows> ours = before.usage().windows();
        // Strictly newer only: the same observation comes back on every sync and must not reset the estimate.
        if (theirs.isPresent() && (ours.isEmpty() || theirs.get().observedAt().isAfter(ours.get().observedAt()))) {
            next = next.withUsage(id, AccountUsage.of(theirs.get()));
            successes.set(0);
        }
        state = next;
        return next != before;
    }

    enum Observed {
        OLDER_THAN_KNOWN,
        TAKEN,
        /** Taken, and the account is or was blocked by its windows: worth saving at once. */
        BLOCKING
    }

    Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsed);
    }

    void used(Instant at) {
        lastUsed = at;
    }

    Optional<UsageWindows> windows() {
        return state.usage().windows();
    }

    /**
     * Builds the persistent record if a save is due: always when {@code force}, otherwise at most once per
     * {@code intervalMillis}. Callers save while holding this object's lock, so saves never go backwards.
     */
    synchronized Optional<CredentialStateRecord> recordIfDue(boolean force, long nowMillis, long intervalMillis) {
        if (!force && lastSavedMillis != Long.MIN_VALUE && nowMillis - lastSavedMillis < intervalMillis) {
            return Optional.empty();
        }
        lastSavedMillis = nowMillis;
        State s = state;
        Optional<Instant> cooldown = s.cooldownUntilMillis() > nowMillis
                ? Optional.of(Instant.ofEpochMilli(s.cooldownUntilMillis())) : Optional.empty();
        return Optional.of(new CredentialStateRecord(id, cooldown,
                cooldown.isPresent() ? Optional.ofNullable(s.cooldownReason()) : Optional.empty(),
                Optional.ofNullable(s.needsLogin()), s.streak(), s.usage().windows(), lastUsed(),
                s.needsLoginChangedMillis() == Long.MIN_VALUE ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(s.needsLoginChangedMillis()))));
    }
}
