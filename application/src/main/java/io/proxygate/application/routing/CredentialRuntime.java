package io.proxygate.application.routing;

import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.AccountUsage;
import io.proxygate.domain.routing.HeadroomScorer;
import io.proxygate.domain.routing.InFlightCounter;
import io.proxygate.domain.routing.ResponseHealth;
import io.proxygate.domain.routing.UsageWindows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The router's mutable facts about one credential, including its in-flight count (inherited). Counters are
 * atomic fields; the rest is an immutable {@link State} swapped under this object's lock, so a pick never locks.
 * The few facts every pick needs are mirrored into plain fields here, so that most credentials cost the picker one
 * object and their usage view, not three objects deep.
 */
final class CredentialRuntime extends InFlightCounter {
    /**
     * Immutable state, with the skip reasons prepared when it changes so that picks only copy references.
     * {@code needsLoginChangedMillis} is when the needs-login mark was last set or cleared ({@code Long.MIN_VALUE}:
     * never, as far as we know), so that instances sharing a database can tell whose change is newer.
     */
    record State(long cooldownUntilMillis, String cooldownReason, RoutingPlan.Skip cooldownSkip,
                 String needsLogin, RoutingPlan.Skip needsLoginSkip, long needsLoginChangedMillis, int streak,
                 long lastFailureMillis, AccountUsage usage, long usageBlockedUntilMillis, RoutingPlan.Skip usageSkip) {

        static final State EMPTY = new State(Long.MIN_VALUE, null, null, null, null, Long.MIN_VALUE, 0,
                Long.MIN_VALUE, AccountUsage.NONE, Long.MIN_VALUE, null);

        State withCooldown(CredentialId id, long untilMillis, String reason) {
            String text = "cooling down until "
                    + Instant.ofEpochMilli(untilMillis).truncatedTo(ChronoUnit.SECONDS) + ", " + reason;
            return new State(untilMillis, reason, new RoutingPlan.Skip(id, text), needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, streak, lastFailureMillis, usage, usageBlockedUntilMillis, usageSkip);
        }

        State withNeedsLogin(CredentialId id, String reason, long changedMillis) {
            RoutingPlan.Skip skip = reason == null ? null : new RoutingPlan.Skip(id, "needs login: " + reason);
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, reason, skip, changedMillis, streak,
                    lastFailureMillis, usage, usageBlockedUntilMillis, usageSkip);
        }

        State withStreak(int newStreak) {
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, newStreak, lastFailureMillis, usage, usageBlockedUntilMillis, usageSkip);
        }

        /** One more failure episode, recorded at {@code atMillis}. */
        State withFailure(int newStreak, long atMillis) {
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, newStreak, atMillis, usage, usageBlockedUntilMillis, usageSkip);
        }

        /** No cooldown and no failure streak: an operator's reset. Needs-login marks and usage windows stay. */
        State withoutCooldown() {
            return new State(Long.MIN_VALUE, null, null, needsLogin, needsLoginSkip, needsLoginChangedMillis, 0,
                    Long.MIN_VALUE, usage, usageBlockedUntilMillis, usageSkip);
        }

        State withUsage(CredentialId id, AccountUsage newUsage) {
            long until = newUsage.blockedUntil().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
            RoutingPlan.Skip skip = newUsage.blockedReason().map(r -> new RoutingPlan.Skip(id, r)).orElse(null);
            return new State(cooldownUntilMillis, cooldownReason, cooldownSkip, needsLogin, needsLoginSkip,
                    needsLoginChangedMillis, streak, lastFailureMillis, newUsage, until, skip);
        }
    }

    private static final VarHandle SUCCESSES;
    private static final VarHandle TOKEN_LOAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SUCCESSES = lookup.findVarHandle(CredentialRuntime.class, "successes", int.class);
            TOKEN_LOAD = lookup.findVarHandle(CredentialRuntime.class, "tokenLoad", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CredentialId id;
    /** Successes since the last usage observation: the local 5-hour estimate. Fields, not atomics: fewer hops. */
    private volatile int successes;
    /** Tokens served since start, for least-load routing. */
    private volatile long tokenLoad;
    private volatile State state = State.EMPTY;
    /** Mirrors of {@link #state} for the picker: blocked (cooldown or spent window) until, needs login, usage. */
    private volatile long blockedUntilMillis = Long.MIN_VALUE;
    private volatile boolean needsLogin;
    /**
     * The lease of the one probe request let through after a backoff expired (half-open), or null. While it is
     * out, other requests pass the credential over: a still-broken upstream costs one failed request, not a burst.
     */
    private final AtomicReference<Object> probe = new AtomicReference<>();
    private volatile boolean probing;
    private final RoutingPlan.Skip probeSkip;
    private volatile AccountUsage usage = AccountUsage.NONE;
    /** The last cap-exclusion reason, reused while the state and the estimate that produced it hold. */
    private volatile CapSkip capSkip;
    private volatile Instant lastUsed;
    /** Moving averages of time to first byte and error rate; in memory only (a restart starts afresh). */
    private volatile ResponseHealth health = ResponseHealth.NONE;
    /** Guarded by this. */
    private long lastSavedMillis = Long.MIN_VALUE;

    ResponseHealth health() {
        return health;
    }

    synchronized void updateHealth(UnaryOperator<ResponseHealth> change) {
        health = change.apply(health);
    }

    CredentialRuntime(CredentialId id) {
        this.id = id;
        this.probeSkip = new RoutingPlan.Skip(id, "backoff over: one probe request in flight");
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
        rt.publish(s);
        rt.lastUsed = saved.lastUsed().orElse(null);
        return rt;
    }

    State state() {
        return state;
    }

    /** Cheap pre-check: when false, {@link #state()} holds no reason to skip except the usage caps. */
    boolean maybeBlocked(long nowMillis) {
        return needsLogin || probing || blockedUntilMillis > nowMillis;
    }

    /** The skip for a credential whose probe request is out, or null when none is. */
    RoutingPlan.Skip probeSkip() {
        return probing ? probeSkip : null;
    }

    boolean probing() {
        return probing;
    }

    /** Claims the probe for {@code owner}; false when another request holds it. */
    boolean claimProbe(Object owner) {
        if (probe.compareAndSet(null, owner)) {
            probing = true;
            return true;
        }
        return false;
    }

    /** Frees the probe if {@code owner} holds it ({@code null}: whoever holds it). */
    void releaseProbe(Object owner) {
        Object held = probe.get();
        if (held != null && (owner == null || held == owner) && probe.compareAndSet(held, null)) {
            probing = false;
        }
    }

    AccountUsage usage() {
        return usage;
    }

    /** Sets the state and its mirrors; callers hold this object's lock (or own it, before it is shared). */
    private void publish(State s) {
        state = s;
        usage = s.usage();
        needsLogin = s.needsLogin() != null;
        blockedUntilMillis = Math.max(s.cooldownUntilMillis(),
                s.usageSkip() != null ? s.usageBlockedUntilMillis() : Long.MIN_VALUE);
    }

    int successes() {
        return successes;
    }

    void succeeded() {
        SUCCESSES.getAndAdd(this, 1);
    }

    long tokenLoad() {
        return tokenLoad;
    }

    /**
     * Counts tokens served. A count is never negative; ignoring one keeps loads only growing, which the running
     * {@link LoadPeak}s and the router's rank bounds rely on.
     */
    void addTokens(long tokens) {
        if (tokens <= 0) {
            return;
        }
        long load = (long) TOKEN_LOAD.getAndAdd(this, tokens) + tokens;
        for (LoadPeak peak : loadPeaks) {
            peak.raise(load);
        }
    }

    /** The peaks of the families this credential belongs to in the current routing index. */
    private volatile LoadPeak[] loadPeaks = new LoadPeak[0];

    void watchLoad(LoadPeak[] peaks) {
        loadPeaks = peaks;
    }

    private record CapSkip(State state, int successes, RoutingPlan.Skip skip) {
    }

    /**
     * The last ChatGPT rank key and what it was worked out from. Between state changes, successes and lease
     * changes a rank moves only with the clock, and only slowly (a second is 1/18,000 of a 5-hour window), so
     * picks within the same second reuse it: most credentials then cost a pick a few comparisons, not the formula.
     * Eligibility never comes from here: cooldowns and spent windows are checked against the exact time first.
     */
    /**
     * The last ChatGPT rank key and what it was worked out from. Between state changes, successes and lease
     * changes a rank moves only with the clock, and only slowly (a second is 1/18,000 of a 5-hour window), so
     * picks within the same second reuse it: most credentials then cost a pick a few comparisons, not the formula.
     * Eligibility never comes from here: cooldowns and spent windows are checked against the exact time first.
     */
    static final class RankMemo {
        final State state;
        final PlanType plan;
        final int successes;
        final int inFlight;
        final long second;
        final double rank;
        /**
         * The offer built from these inputs, kept once built: explanations cost more than ranks. Reused only for
         * the same credential object, so an offer never carries tokens that a pool reload has replaced.
         */
        volatile RoutingPlan.Candidate candidate;
        /** The same offer for the conversation pinned to this credential. */
        volatile RoutingPlan.Candidate pinnedCandidate;

        RankMemo(State state, PlanType plan, int successes, int inFlight, long second, double rank) {
            this.state = state;
            this.plan = plan;
            this.successes = successes;
            this.inFlight = inFlight;
            this.second = second;
            this.rank = rank;
        }
    }

    private volatile RankMemo rankMemo;

    /**
     * This account's rank from one reading of its state, success and in-flight counts: the memo from earlier in the
     * same second when none of them changed, else worked out by {@code scorer} and remembered.
     */
    RankMemo chatGptRank(HeadroomScorer scorer, PlanType plan, long second, Instant now) {
        int successesNow = successes();
        int inFlightNow = get();
        State s = state();
        RankMemo memo = rankFor(s, plan, successesNow, inFlightNow, second);
        return memo != null ? memo : rememberRank(s, plan, successesNow, inFlightNow, second,
                scorer.chatGptRank(plan, s.usage(), successesNow, inFlightNow, now));
    }

    /** The memoised rank worked out from exactly these inputs within the same second, or null. */
    private RankMemo rankFor(State s, PlanType plan, int successesNow, int inFlightNow, long second) {
        RankMemo m = rankMemo;
        return m != null && m.state == s && m.successes == successesNow && m.inFlight == inFlightNow
                && m.second == second && m.plan == plan ? m : null;
    }

    private RankMemo rememberRank(State s, PlanType plan, int successesNow, int inFlightNow, long second, double rank) {
        RankMemo m = new RankMemo(s, plan, successesNow, inFlightNow, second, rank);
        rankMemo = m;
        return m;
    }

    /** The skip for a cap exclusion: built once per state and estimate, not on every pick. */
    RoutingPlan.Skip capSkip(State s, int successesNow, Supplier<String> reason) {
        CapSkip cached = capSkip;
        if (cached != null && cached.state == s && cached.successes == successesNow) {
            return cached.skip;
        }
        RoutingPlan.Skip skip = new RoutingPlan.Skip(id, reason.get());
        capSkip = new CapSkip(s, successesNow, skip);
        return skip;
    }

    /** Applies {@code change} atomically; returns the state before it. */
    synchronized State update(UnaryOperator<State> change) {
        State before = state;
        publish(change.apply(before));
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
        State after = before.withUsage(id, usage);
        publish(after);
        successes = 0;
        return before.usageSkip() != null || after.usageSkip() != null ? Observed.BLOCKING : Observed.TAKEN;
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
        if (changed > before.needsLoginChangedMillis() && !Objects.equals(reason, before.needsLogin())) {
            next = next.withNeedsLogin(id, reason, changed);
        }
        Optional<UsageWindows> theirs = shared.windows();
        Optional<UsageWindows> ours = before.usage().windows();
        // Strictly newer only: the same observation comes back on every sync and must not reset the estimate.
        boolean newerWindows = theirs.isPresent()
                && (ours.isEmpty() || theirs.get().observedAt().isAfter(ours.get().observedAt()));
        if (newerWindows) {
            next = next.withUsage(id, AccountUsage.of(theirs.get()));
        }
        if (next == before) {
            return false;
        }
        publish(next);
        if (newerWindows) {
            successes = 0;
        }
        return true;
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
