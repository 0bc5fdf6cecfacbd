package io.proxygate.application.routing;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolChange;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.application.routing.CredentialRuntime.State;
import io.proxygate.application.routing.RoutingIndex.Member;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.AccountUsage;
import io.proxygate.domain.routing.Backoff;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.ConversationPins;
import io.proxygate.domain.routing.HeadroomScorer;
import io.proxygate.domain.routing.RetryAfter;
import io.proxygate.domain.routing.Standing;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router: ranks the credentials able to serve a request, explains every one it leaves out, and learns from
 * outcomes (cooldowns, backoff, needs-login marks, usage windows, pins).
 *
 * <p>A plan lists, in order: the credential the conversation is pinned to (when it is still eligible), then each
 * credential family in priority order ({@code account-first}: accounts, then keys; {@code apikey-first}: the
 * reverse), each family ranked by {@link Standing} and then by {@link HeadroomScorer} score, ties broken by fewer
 * requests in flight and then by label. At most {@link RoutingSettings#candidatesPerKind()} are offered per family,
 * which keeps a pick linear in the pool size and free of sorting. Every credential serving the API that is not
 * offered because it is ineligible is listed with its reason; so are key types ProxyGate never routes.
 *
 * <p>Picks read lock-free state; outcome updates lock only the credential concerned. Cooldowns, needs-login marks,
 * failure streaks, usage windows and last use go to {@link CredentialStatePort} (those that change eligibility at
 * once, the rest at most every 30 s per credential) and are read back at construction, so they survive restarts.
 */
public final class RoutingService implements CredentialRouter {
    private static final System.Logger LOG = System.getLogger(RoutingService.class.getName());
    static final long SAVE_INTERVAL_MILLIS = 30_000;

    private final CredentialPool pool;
    private final CredentialStatePort statePort;
    private final RoutingSettings settings;
    private final InstantSource clock;
    private final HeadroomScorer scorer;
    private final PinTable pins;
    private final ConcurrentHashMap<CredentialId, CredentialRuntime> runtimes = new ConcurrentHashMap<>();
    private volatile RoutingIndex index;

    /** Conversation pins in memory: one instance alone. */
    public RoutingService(CredentialPool pool, CredentialStatePort state, RoutingSettings settings,
                          InstantSource clock) {
        this(pool, state, PinTable.inMemory(new ConversationPins(settings.pinTtl(), settings.maxPins())), settings,
                clock);
    }

    /** Conversation pins in {@code sharedPins}, behind a short local cache: instances sharing a database. */
    public RoutingService(CredentialPool pool, CredentialStatePort state, ConversationPinPort sharedPins,
                          RoutingSettings settings, InstantSource clock) {
        this(pool, state, new SharedPins(sharedPins, settings.pinTtl(), SharedPins.DEFAULT_CACHE_TIME,
                settings.maxPins()), settings, clock);
    }

    private RoutingService(CredentialPool pool, CredentialStatePort state, PinTable pins, RoutingSettings settings,
                           InstantSource clock) {
        this.pool = pool;
        this.statePort = state;
        this.settings = settings;
        this.clock = clock;
        this.scorer = new HeadroomScorer(settings.weights(), settings.usageFreshness());
        this.pins = pins;
        for (CredentialStateRecord saved : state.loadAll().values()) {
            runtimes.put(saved.id(), CredentialRuntime.restored(saved));
        }
        pool.addListener(this::poolChanged);
    }

    // ---- picking

    @Override
    public RoutingPlan plan(RouteQuery query) {
        Instant now = clock.instant();
        long t = now.toEpochMilli();
        RoutingIndex.Routes routes = index().routes(query.api());
        List<RoutingPlan.Skip> skipped = new ArrayList<>(routes.staticSkips());
        List<RoutingPlan.Candidate> candidates = new ArrayList<>();

        RoutingIndex.Group[] groups = routes.groups();
        long[] maxLoads = new long[groups.length];
        for (int g = 0; g < groups.length; g++) {
            maxLoads[g] = groups[g].usesLoad() ? maxLoad(groups[g]) : 1;
        }

        Member pinned = pinnedMember(routes, query, now);
        boolean pinnedFirst = false;
        if (pinned != null) {
            CredentialRuntime rt = pinned.runtime;
            State s = rt.state();
            int successes = rt.successes.get();
            RoutingPlan.Skip blocked = pinned.disabled ? null : blocked(pinned, s, successes, now, t);
            if (!pinned.disabled && blocked == null) {
                int inFlight = rt.inFlight.get();
                long load = rt.tokenLoad.get();
                long maxLoad = maxLoads[pinned.group];
                candidates.add(new RoutingPlan.Candidate(pinned.credential,
                        score(pinned, s, successes, inFlight, load, maxLoad, now),
                        "pinned to this conversation; " + explain(pinned, s, successes, inFlight, load, maxLoad, now)));
                pinnedFirst = true;
            } else if (blocked != null) {
                // A disabled pin is already listed among the static skips.
                skipped.add(new RoutingPlan.Skip(pinned.id, "pinned, moving the conversation: " + blocked.reason()));
            }
        }

        int perKind = settings.candidatesPerKind();
        for (int g = 0; g < groups.length; g++) {
            long maxLoad = maxLoads[g];
            TopPicks top = new TopPicks(perKind);
            for (Member m : groups[g].members()) {
                if (m == pinned) {
                    continue;
                }
                CredentialRuntime rt = m.runtime;
                State s = rt.state();
                int successes = rt.successes.get();
                RoutingPlan.Skip blocked = blocked(m, s, successes, now, t);
                if (blocked != null) {
                    skipped.add(blocked);
                    continue;
                }
                int inFlight = rt.inFlight.get();
                long load = m.mode == RoutingIndex.Mode.CHATGPT ? 0 : rt.tokenLoad.get();
                top.offer(m, s, successes, inFlight, load, standing(m, s, successes, now),
                        score(m, s, successes, inFlight, load, maxLoad, now));
            }
            for (int i = 0; i < top.size; i++) {
                Member m = top.members[i];
                candidates.add(new RoutingPlan.Candidate(m.credential, top.scores[i],
                        explain(m, top.states[i], top.successes[i], top.inFlights[i], top.loads[i], maxLoad, now)));
            }
        }
        return new RoutingPlan(candidates, skipped, pinnedFirst);
    }

    @Override
    public Lease begin(CredentialId id) {
        return new CountedLease(runtime(id).inFlight);
    }

    // ---- learning

    @Override
    public void onSuccess(CredentialId id, RouteQuery query, Optional<String> responseId) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        rt.used(now);
        rt.successes.incrementAndGet();
        boolean hadStreak = rt.state().streak() != 0;
        if (hadStreak) {
            rt.update(s -> s.withStreak(0));
        }
        if (query.conversation().isPresent()) {
            pins.pin(query.conversation().get(), id, now);
        }
        if (responseId.isPresent() && !responseId.get().isBlank()) {
            pins.pin(ConversationKey.response(responseId.get()), id, now);
        }
        save(rt, hadStreak, now);
    }

    @Override
    public void onFailure(CredentialId id, AttemptFailure failure) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        long t = now.toEpochMilli();
        switch (failure) {
            case AttemptFailure.RateLimited limited -> {
                Duration d = limited.cooldown() == null || limited.cooldown().isNegative() || limited.cooldown().isZero()
                        ? settings.cooldownDefault() : limited.cooldown();
                long until = t + Math.min(d.toMillis(), RetryAfter.MAX.toMillis());
                rt.update(s -> until > s.cooldownUntilMillis() ? s.withCooldown(id, until, "429") : s);
            }
            case AttemptFailure.ServerError error -> backoff(rt, t, "HTTP " + error.status());
            case AttemptFailure.Unreachable unreachable -> backoff(rt, t, "unreachable: " + unreachable.detail());
            case AttemptFailure.NeedsLogin login -> {
                String reason = login.reason() == null || login.reason().isBlank() ? "unauthorized" : login.reason();
                rt.update(s -> s.withNeedsLogin(id, reason, t));
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> id + " failed: " + failure);
        save(rt, true, now);
    }

    @Override
    public void onWindows(CredentialId id, UsageWindows windows) {
        CredentialRuntime rt = runtime(id);
        CredentialRuntime.Observed observed = rt.observe(AccountUsage.of(windows), windows);
        if (observed != CredentialRuntime.Observed.OLDER_THAN_KNOWN) {
            save(rt, observed == CredentialRuntime.Observed.BLOCKING, clock.instant());
        }
    }

    @Override
    public void onUsage(CredentialId id, TokenUsage tokens) {
        runtime(id).tokenLoad.addAndGet(tokens.totalTokens());
    }

    @Override
    public void onTokensRenewed(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        // Stamped even without a mark: an older mark another instance saved must not come back after the renewal.
        State before = rt.update(s -> s.withNeedsLogin(id, null, now.toEpochMilli()));
        if (before.needsLogin() != null) {
            LOG.log(System.Logger.Level.INFO, () -> id + " has new tokens: needs-login cleared");
        }
        save(rt, true, now);
    }

    // ---- reporting

    @Override
    public Optional<Duration> nearestCooldown(Api api) {
        long t = clock.millis();
        long best = Long.MAX_VALUE;
        for (RoutingIndex.Group group : index().routes(api).groups()) {
            for (Member m : group.members()) {
                State s = m.runtime.state();
                if (s.needsLogin() != null) {
                    continue;
                }
                long until = Math.max(s.cooldownUntilMillis(),
                        s.usageSkip() != null ? s.usageBlockedUntilMillis() : Long.MIN_VALUE);
                if (until > t) {
                    best = Math.min(best, until - t);
                }
            }
        }
        return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofMillis(best));
    }

    @Override
    public List<CredentialStatus> statuses() {
        long t = clock.millis();
        List<CredentialStatus> out = new ArrayList<>();
        for (PoolEntry entry : pool.snapshot().entries().values()) {
            CredentialId id = entry.credential().id();
            CredentialRuntime rt = runtime(id);
            State s = rt.state();
            boolean cooling = s.cooldownUntilMillis() > t;
            out.add(new CredentialStatus(id, rt.inFlight.get(),
                    cooling ? Optional.of(Instant.ofEpochMilli(s.cooldownUntilMillis())) : Optional.empty(),
                    cooling ? Optional.ofNullable(s.cooldownReason()) : Optional.empty(),
                    Optional.ofNullable(s.needsLogin()), s.usage().windows(), rt.lastUsed()));
        }
        return out;
    }

    /** Drops expired conversation pins (new pins also sweep as they arrive); returns how many went. */
    public int sweepPins() {
        return pins.sweep(clock.instant());
    }

    // ---- sharing a database with other instances

    /**
     * Reads what every instance saved to the state store and takes in what is newer than ours: later cooldowns,
     * needs-login marks changed after ours, usage windows observed after ours (see {@link #absorb}). For instances
     * sharing one database; call every few seconds. Returns how many credentials changed.
     */
    public int syncShared() {
        return absorb(statePort.loadAll().values());
    }

    /** Takes in state saved by other instances; nothing is saved back. Returns how many credentials changed. */
    public int absorb(Collection<CredentialStateRecord> shared) {
        long t = clock.millis();
        int changed = 0;
        for (CredentialStateRecord record : shared) {
            if (runtime(record.id()).absorb(record, t)) {
                changed++;
            }
        }
        return changed;
    }

    // ---- internals

    private void poolChanged(PoolChange change) {
        // A changed access token in a file is a fresh login (or a new key): the needs-login mark no longer holds.
        change.tokensChanged().forEach(this::onTokensRenewed);
    }

    private CredentialRuntime runtime(CredentialId id) {
        CredentialRuntime rt = runtimes.get(id);
        return rt != null ? rt : runtimes.computeIfAbsent(id, CredentialRuntime::new);
    }

    private RoutingIndex index() {
        CredentialPool.Snapshot snapshot = pool.snapshot();
        RoutingIndex current = index;
        if (current != null && current.snapshot == snapshot) {
            return current;
        }
        synchronized (this) {
            snapshot = pool.snapshot();
            current = index;
            if (current == null || current.snapshot != snapshot) {
                current = new RoutingIndex(snapshot, settings.priority(), this::runtime);
                index = current;
            }
            return current;
        }
    }

    /** The conversation's pin, else the previous response's; the first that serves this API (eligible or not). */
    private Member pinnedMember(RoutingIndex.Routes routes, RouteQuery query, Instant now) {
        Member byConversation = null;
        if (query.conversation().isPresent()) {
            CredentialId id = pins.lookup(query.conversation().get(), now).orElse(null);
            byConversation = id == null ? null : routes.byId().get(id);
        }
        if (query.previousResponseId().isPresent() && !query.previousResponseId().get().isBlank()
                && (byConversation == null || !eligible(byConversation, now))) {
            CredentialId id = pins.lookup(ConversationKey.response(query.previousResponseId().get()), now).orElse(null);
            Member byResponse = id == null ? null : routes.byId().get(id);
            if (byResponse != null && (byConversation == null || eligible(byResponse, now))) {
                return byResponse;
            }
        }
        return byConversation;
    }

    private boolean eligible(Member m, Instant now) {
        return !m.disabled && blocked(m, m.runtime.state(), m.runtime.successes.get(), now, now.toEpochMilli()) == null;
    }

    /** Why {@code m} cannot be offered now, or null when it can. Reasons are prepared when the state changes. */
    private RoutingPlan.Skip blocked(Member m, State s, int successes, Instant now, long t) {
        if (s.needsLoginSkip() != null) {
            return s.needsLoginSkip();
        }
        if (s.cooldownUntilMillis() > t) {
            return s.cooldownSkip();
        }
        if (s.usageSkip() != null && t < s.usageBlockedUntilMillis()) {
            return s.usageSkip();
        }
        if (m.mode == RoutingIndex.Mode.CHATGPT) {
            Optional<String> cap = scorer.chatGptCap(s.usage(), successes, now);
            if (cap.isPresent()) {
                return new RoutingPlan.Skip(m.id, cap.get());
            }
        }
        return null;
    }

    private Standing standing(Member m, State s, int successes, Instant now) {
        return switch (m.mode) {
            case CHATGPT -> scorer.chatGptStanding(s.usage(), successes, now);
            case CLAUDE -> scorer.claudeStanding(s.usage(), successes, now);
            case KEY -> Standing.HEALTHY;
        };
    }

    private double score(Member m, State s, int successes, int inFlight, long load, long maxLoad, Instant now) {
        return switch (m.mode) {
            case CHATGPT -> scorer.chatGpt(m.plan, s.usage(), successes, inFlight, now);
            case CLAUDE -> scorer.claude(s.usage(), successes, inFlight, load, maxLoad, now);
            case KEY -> HeadroomScorer.byLoad(load, maxLoad, inFlight);
        };
    }

    private String explain(Member m, State s, int successes, int inFlight, long load, long maxLoad, Instant now) {
        return switch (m.mode) {
            case CHATGPT -> scorer.explainChatGpt(m.plan, s.usage(), successes, inFlight, now);
            case CLAUDE -> scorer.explainClaude(s.usage(), successes, inFlight, load, maxLoad, now);
            case KEY -> "by load: " + HeadroomScorer.explainByLoad(load, maxLoad, inFlight);
        };
    }

    private static long maxLoad(RoutingIndex.Group group) {
        long max = 1;
        for (Member m : group.members()) {
            max = Math.max(max, m.runtime.tokenLoad.get());
        }
        return max;
    }

    private void backoff(CredentialRuntime rt, long t, String what) {
        rt.update(s -> {
            int streak = s.streak();
            long until = t + Backoff.forServerErrors(streak).toMillis();
            State next = s.withStreak(streak + 1);
            String reason = what + " (failure " + (streak + 1) + " in a row)";
            return until > s.cooldownUntilMillis() ? next.withCooldown(rt.id, until, reason) : next;
        });
    }

    private void save(CredentialRuntime rt, boolean force, Instant now) {
        synchronized (rt) {
            Optional<CredentialStateRecord> record = rt.recordIfDue(force, now.toEpochMilli(), SAVE_INTERVAL_MILLIS);
            if (record.isEmpty()) {
                return;
            }
            try {
                statePort.save(record.get());
            } catch (RuntimeException e) {
                // Routing must go on when the store hiccups; the next change saves the state again.
                LOG.log(System.Logger.Level.WARNING, "could not save routing state of " + rt.id + ": " + e);
            }
        }
    }

    /** The best few of one family, kept sorted by insertion: a pick never sorts the whole pool. */
    private static final class TopPicks {
        final Member[] members;
        final State[] states;
        final int[] successes;
        final int[] inFlights;
        final long[] loads;
        final int[] bands;
        final double[] scores;
        int size;

        TopPicks(int capacity) {
            members = new Member[capacity];
            states = new State[capacity];
            successes = new int[capacity];
            inFlights = new int[capacity];
            loads = new long[capacity];
            bands = new int[capacity];
            scores = new double[capacity];
        }

        void offer(Member m, State s, int succ, int inFlight, long load, Standing standing, double score) {
            int band = standing.ordinal();
            int capacity = members.length;
            if (size == capacity && !before(band, score, inFlight, m.ordinal, capacity - 1)) {
                return;
            }
            int pos = size < capacity ? size++ : capacity - 1;
            while (pos > 0 && before(band, score, inFlight, m.ordinal, pos - 1)) {
                members[pos] = members[pos - 1];
                states[pos] = states[pos - 1];
                successes[pos] = successes[pos - 1];
                inFlights[pos] = inFlights[pos - 1];
                loads[pos] = loads[pos - 1];
                bands[pos] = bands[pos - 1];
                scores[pos] = scores[pos - 1];
                pos--;
            }
            members[pos] = m;
            states[pos] = s;
            successes[pos] = succ;
            inFlights[pos] = inFlight;
            loads[pos] = load;
            bands[pos] = band;
            scores[pos] = score;
        }

        /** Standing first, then higher score, then fewer in flight, then label order. */
        private boolean before(int band, double score, int inFlight, int ordinal, int i) {
            if (band != bands[i]) {
                return band < bands[i];
            }
            if (score != scores[i]) {
                return score > scores[i];
            }
            if (inFlight != inFlights[i]) {
                return inFlight < inFlights[i];
            }
            return ordinal < members[i].ordinal;
        }
    }
}
