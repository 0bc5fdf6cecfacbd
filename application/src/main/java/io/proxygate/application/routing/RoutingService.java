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
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.AccountUsage;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.ConversationPins;
import io.proxygate.domain.routing.HeadroomScorer;
import io.proxygate.domain.routing.ResponseHealth;
import io.proxygate.domain.routing.Standing;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router: ranks the credentials able to serve a request, explains every one it leaves out, and learns from
 * outcomes (cooldowns, backoff, needs-login marks, usage windows, pins).
 *
 * <p>A plan lists, in order: the credential the conversation is pinned to (when it is still eligible), then each
 * credential family in priority order ({@code account-first}: accounts, then keys; {@code apikey-first}: the
 * reverse), each family ranked by {@link Standing} and then by {@link HeadroomScorer} score, ties broken by fewer
 * requests in flight and then by label. At most {@link RoutingSettings#candidatesPerKind()} are offered per kind.
 * The explain plan lists every credential serving the API that is not offered because it is ineligible, with its
 * reason, and key types ProxyGate never routes; a request's plan lists those its walk passed.
 *
 * <p>A pick walks a large family in its {@link RankOrder} and stops once no credential left can make the offered
 * few; small families, and the explain plan, are walked whole. Each credential looked at is kept cheap: skip
 * reasons are prepared when a state changes, and a ChatGPT account's rank (and its explained offer) is memoised for
 * the current second until its state, its success count or its in-flight count changes. Eligibility is always
 * checked against the exact time.
 *
 * <p>Three parts: this class is the planner (the hot path: {@link #plan}, leases, reports); the {@link OutcomePolicy}
 * it extends learns from outcomes (what happens after a 429, a 5xx, a 401, a success) and implements the router's
 * {@code on...} reports; {@link RoutingStateSaver} writes state.
 *
 * <p>Picks read lock-free state; outcome updates lock only the credential concerned. Cooldowns, needs-login marks,
 * failure streaks, usage windows and last use go to {@link CredentialStatePort} (those that change eligibility at
 * once, the rest at most every 30 s per credential) and are read back at construction, so they survive restarts.
 *
 * <p>Instances sharing one database also call {@link #syncShared()} every few seconds to take in what the others
 * saved, and keep conversation pins in a {@link ConversationPinPort} store (behind a short local cache) instead of
 * memory alone. In-flight counts stay per instance.
 */
public final class RoutingService extends OutcomePolicy implements CredentialRouter {
    private static final System.Logger LOG = System.getLogger(RoutingService.class.getName());
    /** How long a request waits for a credential whose post-backoff probe is out before looking again. */
    static final long PROBE_WAIT_MILLIS = 500;
    private static final String PINNED = "pinned to this conversation; ";
    /** How a skip for a credential at its {@code max_concurrent} cap starts. */
    public static final String BUSY = "busy: ";

    private final CredentialPool pool;
    private final RoutingSettings settings;
    private final HeadroomScorer scorer;
    private final ConcurrentHashMap<CredentialId, CredentialRuntime> runtimes = new ConcurrentHashMap<>();
    private final CapacityQueue queue = new CapacityQueue();
    /**
     * Cooldowns of one model family on one credential (family to until-millis and reason), apart from the
     * credential's own state: an Opus limit leaves the account serving Sonnet. Empty for almost every pool, so a
     * pick checks it only while {@link #modelCoolings} says some exist.
     */
    private final ConcurrentHashMap<CredentialId, ConcurrentHashMap<String, ModelCooldown>> modelCooldowns =
            new ConcurrentHashMap<>();
    private volatile int modelCoolings;

    /** A model family cooling down on a credential until {@code untilMillis}. */
    public record ModelCooldown(long untilMillis, String reason) {
    }
    private volatile RoutingIndex index;
    /** Usage changes since the rank orders were built (see {@link RankOrder}). */
    private final java.util.concurrent.atomic.AtomicReference<RankOrder.ChangeLog> changes =
            new java.util.concurrent.atomic.AtomicReference<>(new RankOrder.ChangeLog());
    /** Families smaller than this are walked whole: for a few credentials that is cheaper than an order. */
    private volatile int rankOrderFrom = 32;

    /** Conversation pins in memory: one instance alone. */
    public RoutingService(CredentialPool pool, CredentialStatePort state, RoutingSettings settings,
                          InstantSource clock) {
        this(pool, state, new MemoryPins(new ConversationPins(settings.pinTtl(), settings.maxPins())), settings,
                clock);
    }

    /** Conversation pins in {@code sharedPins}, behind a short local cache: instances sharing a database. */
    public RoutingService(CredentialPool pool, CredentialStatePort state, ConversationPinPort sharedPins,
                          RoutingSettings settings, InstantSource clock) {
        this(pool, state, new SharedPins(sharedPins, settings.pinTtl(), SharedPins.DEFAULT_CACHE_TIME,
                settings.maxPins()), settings, clock);
    }

    /**
     * One instance alone, with its pins kept in memory and written behind to {@code pins} (call {@link #flushPins}
     * every second or so, and on shutdown), so that they survive a restart: the live ones are read back here.
     */
    public static RoutingService persistingPins(CredentialPool pool, CredentialStatePort state,
                                                ConversationPinPort pins, RoutingSettings settings,
                                                InstantSource clock) {
        return new RoutingService(pool, state, new PersistedPins(pins, settings.pinTtl(), settings.maxPins(),
                clock.instant()), settings, clock);
    }

    private RoutingService(CredentialPool pool, CredentialStatePort state, PinTable pins, RoutingSettings settings,
                           InstantSource clock) {
        super(pins, new RoutingStateSaver(state), clock);
        this.pool = pool;
        this.settings = settings;
        this.scorer = new HeadroomScorer(settings.weights(), settings.usageFreshness());
        for (CredentialStateRecord saved : saver.loadAll()) {
            runtimes.put(saved.id(), CredentialRuntime.restored(saved));
        }
        pool.addListener(this::poolChanged);
    }

    // ---- picking

    /**
     * The plan for a request. Families of more than a few credentials are walked in their {@link RankOrder} and
     * the walk stops once no credential left can make the best few: the candidates are exactly those of
     * {@link #explainPlan}, but the skip list names only the credentials the walk passed (it is complete for a
     * family that offers fewer than {@link RoutingSettings#candidatesPerKind()}, and for families with an in-flight
     * cap, whose busy skips tell a request to wait in line).
     */
    @Override
    public RoutingPlan plan(RouteQuery query) {
        return plan(query, true);
    }

    /** The plan with every credential looked at: the same candidates as {@link #plan}, every skip listed. */
    @Override
    public RoutingPlan explainPlan(RouteQuery query) {
        return plan(query, false);
    }

    /** Families of at least this many credentials are walked in rank order (tests lower it to cover small pools). */
    void walkInRankOrderFrom(int familySize) {
        this.rankOrderFrom = familySize;
    }

    private RoutingPlan plan(RouteQuery query, boolean bounded) {
        Instant now = clock.instant();
        long t = now.toEpochMilli();
        long second = Math.floorDiv(t, 1000);
        RoutingIndex.Routes routes = index().routes(query.api());
        List<RoutingPlan.Skip> skipped = new ArrayList<>(routes.staticSkips().size() + 32);
        skipped.addAll(routes.staticSkips());
        List<RoutingPlan.Candidate> candidates = new ArrayList<>();
        RoutingIndex.Group[] groups = routes.groups();
        long[] maxLoads = new long[groups.length];
        for (int g = 0; g < groups.length; g++) {
            maxLoads[g] = !groups[g].usesLoad() ? 1 : bounded ? Math.max(1, groups[g].peak().get())
                    : maxLoad(groups[g]);
        }

        Member pinned = pinnedMember(routes, query, now);
        CredentialRuntime pinnedRuntime = null;
        boolean pinnedFirst = false;
        String moved = null;
        Member escaped = null;
        String escape = null;
        if (pinned != null && !pinned.disabled) {
            // A disabled pin is already among the static skips.
            pinnedRuntime = pinned.runtime;
            RoutingPlan.Skip blocked = blocked(pinned.mode, pinnedRuntime, pinnedRuntime.state(),
                    pinnedRuntime.successes(), now, t);
            if (blocked == null) {
                blocked = refusal(pinned, query.model());
            }
            if (blocked == null) {
                escape = query.boundToAccount() ? null : pinnedRuntime.health().escapeReason(t,
                        settings.stickyMaxTtft(), settings.stickyMaxErrorRate());
            }
            if (blocked == null && escape == null) {
                candidates.add(pinned.mode == RoutingIndex.Mode.CHATGPT ? memoCandidate(pinned, now, second, true)
                        : candidate(pinned, maxLoads[pinned.group], now, PINNED));
                pinnedFirst = true;
            } else if (blocked == null) {
                // Slow or failing, but still eligible: the others go first, and it stays as the last resort.
                escaped = pinned;
                moved = pinned.id + ": " + escape + " (" + pinnedRuntime.health().describe(t) + ")";
            } else {
                skipped.add(new RoutingPlan.Skip(pinned.id, "pinned, moving the conversation: " + blocked.reason()));
                moved = pinned.id + ": " + blocked.reason();
            }
        }

        TopPicks top = new TopPicks(settings.candidatesPerKind());
        for (int g = 0; g < groups.length; g++) {
            RoutingIndex.Group group = groups[g];
            top.clear(group.runtimes(), t);
            RankOrder order = bounded ? orderFor(routes, g, maxLoads[g], now) : null;
            if (order != null) {
                rankInOrder(routes, g, order, query.model(), maxLoads[g], pinnedRuntime, top, skipped, now, second);
            } else if (group.mode() == RoutingIndex.Mode.CHATGPT) {
                rankChatGpt(group, query.model(), pinnedRuntime, top, skipped, now, t, second);
            }
            if (group.mode() == RoutingIndex.Mode.CHATGPT) {
                for (int k = 0; k < top.size; k++) {
                    candidates.add(memoCandidate(group.members()[top.slots[k]], now, second, false));
                }
            } else {
                if (order == null) {
                    rankOthers(group, query.model(), maxLoads[g], pinnedRuntime, top, skipped, now, t);
                }
                for (int k = 0; k < top.size; k++) {
                    candidates.add(candidate(group.members()[top.slots[k]], maxLoads[g], now, ""));
                }
            }
        }
        if (escaped != null) {
            candidates.add(candidate(escaped, maxLoads[escaped.group], now,
                    "pinned, moving the conversation (" + escape + "), offered last; "));
        }
        return new RoutingPlan(candidates, skipped, pinnedFirst, moved);
    }

    /** The hot loop for ChatGPT accounts: most cost a memo lookup, the rest the formula once per second. */
    private void rankChatGpt(RoutingIndex.Group group, String model, CredentialRuntime pinned, TopPicks top,
                             List<RoutingPlan.Skip> skipped, Instant now, long t, long second) {
        CredentialRuntime[] runtimes = group.runtimes();
        PlanType[] plans = group.plans();
        double threshold = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < runtimes.length; i++) {
            if (leftOut(group, i, model, pinned, skipped, t)) {
                continue;
            }
            CredentialRuntime rt = runtimes[i];
            CredentialRuntime.RankMemo memo = rt.chatGptRank(scorer, plans[i], second, now);
            double rank = memo.rank;
            if (rank != rank) {
                skipped.add(capSkip(rt, memo.state, memo.successes, now));
                continue;
            }
            if (rank >= threshold) {
                top.offer(i, rank, memo.inFlight);
                threshold = top.threshold();
            }
        }
    }

    /** Claude accounts and API keys, ranked with load in the formula (not memoised: load moves with every use). */
    private void rankOthers(RoutingIndex.Group group, String model, long maxLoad, CredentialRuntime pinned,
                            TopPicks top, List<RoutingPlan.Skip> skipped, Instant now, long t) {
        CredentialRuntime[] runtimes = group.runtimes();
        boolean claude = group.mode() == RoutingIndex.Mode.CLAUDE;
        for (int i = 0; i < runtimes.length; i++) {
            if (leftOut(group, i, model, pinned, skipped, t)) {
                continue;
            }
            CredentialRuntime rt = runtimes[i];
            int inFlight = rt.get();
            double rank = claude
                    ? scorer.claudeRank(rt.usage(), rt.successes(), inFlight, rt.tokenLoad(), maxLoad, now)
                    : HeadroomScorer.byLoad(rt.tokenLoad(), maxLoad, inFlight);
            top.offer(i, rank, inFlight);
        }
    }

    /**
     * Whether the rankers leave member {@code i} of {@code group} out: passed over for its state (see
     * {@link #passOver}), or refused by its controls or a model cooldown, the reason added to {@code skipped}.
     */
    private boolean leftOut(RoutingIndex.Group group, int i, String model, CredentialRuntime pinned,
                            List<RoutingPlan.Skip> skipped, long t) {
        return passOver(group.runtimes()[i], pinned, skipped, t)
                || (group.controlled() || modelCoolings > 0) && refused(group.members()[i], model, skipped);
    }

    /**
     * Whether the rankers leave {@code rt} out: it is the pinned credential (offered or skipped before the
     * groups), or its state blocks it at {@code t}, in which case the reason is added to {@code skipped}.
     */
    private static boolean passOver(CredentialRuntime rt, CredentialRuntime pinned, List<RoutingPlan.Skip> skipped,
                                    long t) {
        if (rt == pinned) {
            return true;
        }
        if (rt.maybeBlocked(t)) {
            RoutingPlan.Skip blocked = blockedByState(rt.state(), t);
            if (blocked == null) {
                blocked = rt.probeSkip();
            }
            if (blocked != null) {
                skipped.add(blocked);
                return true;
            }
        }
        return false;
    }

    // ---- picking in rank order

    /**
     * The family's rank order for a pick at {@code now}, rebuilt when it has expired; null when the family is
     * walked whole: small, capped (a request may wait in line only when a busy credential is listed), or its
     * order being rebuilt by another pick right now.
     */
    private RankOrder orderFor(RoutingIndex.Routes routes, int g, long maxLoad, Instant now) {
        RoutingIndex.Group group = routes.groups()[g];
        if (group.members().length < rankOrderFrom || group.capped()) {
            return null;
        }
        long t = now.toEpochMilli();
        RankOrder.ChangeLog log = changes.get();
        RankOrder order = routes.orders().get(g);
        if (order != null && order.usableAt(t, log)) {
            return order;
        }
        if (!routes.rebuilding().compareAndSet(g, 0, 1)) {
            return null;
        }
        try {
            order = buildOrder(group, maxLoad, log, t);
            routes.orders().set(g, order);
            return order;
        } finally {
            routes.rebuilding().set(g, 0);
        }
    }

    /** Works out every member's ceiling (see {@link RankOrder}) and sorts the family by it, highest first. */
    private RankOrder buildOrder(RoutingIndex.Group group, long maxLoad, RankOrder.ChangeLog log, long t) {
        // Read before any state: a change after this point is in the log, and picks visit it.
        int logFrom = log.size();
        long from = t - RankOrder.REACH_BACK_MILLIS;
        long until = t + RankOrder.SPAN_MILLIS;
        Instant end = Instant.ofEpochMilli(until);
        CredentialRuntime[] runtimes = group.runtimes();
        PlanType[] plans = group.plans();
        int n = runtimes.length;
        double[] ceilings = new double[n];
        long[] loads = new long[n];
        double[] offsets = new double[n];
        boolean[] unbounded = new boolean[n];
        double unmeasured = Standing.UNMEASURED.ordinal() * HeadroomScorer.BAND_GAP;
        for (int i = 0; i < n; i++) {
            CredentialRuntime rt = runtimes[i];
            AccountUsage usage = rt.usage();
            int successes = rt.successes();
            loads[i] = -1;
            switch (group.mode()) {
                case CHATGPT -> {
                    if (scorer.mayJump(usage, from, until, false)) {
                        unbounded[i] = true;
                    } else {
                        double rank = scorer.chatGptRank(plans[i], usage, successes, 0, end);
                        // Over the caps now, over them for the whole span: never offered.
                        ceilings[i] = rank != rank ? Double.NEGATIVE_INFINITY : rank;
                    }
                }
                case CLAUDE -> {
                    if (scorer.mayJump(usage, from, until, true)) {
                        unbounded[i] = true;
                    } else if (scorer.claudeStanding(usage, successes, end) != Standing.UNMEASURED) {
                        ceilings[i] = scorer.claudeRank(usage, successes, 0, 0, 1, end);
                    } else {
                        loads[i] = rt.tokenLoad();
                        offsets[i] = unmeasured;
                    }
                }
                case KEY -> loads[i] = rt.tokenLoad();
            }
        }
        Integer[] bySlot = new Integer[n];
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) {
            bySlot[i] = i;
            keys[i] = unbounded[i] ? Double.POSITIVE_INFINITY
                    : loads[i] < 0 ? ceilings[i] : HeadroomScorer.byLoad(loads[i], maxLoad, 0) - offsets[i];
        }
        // Highest ceiling first; among equal ones the lighter load first, so that load-ranked ceilings stay in
        // order whatever the family's largest load becomes.
        java.util.Arrays.sort(bySlot, (a, b) -> {
            int c = Double.compare(keys[b], keys[a]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(loads[a], loads[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] slots = new int[n];
        double[] orderedCeilings = new double[n];
        long[] orderedLoads = new long[n];
        double[] orderedOffsets = new double[n];
        int always = 0;
        for (int p = 0; p < n; p++) {
            int i = bySlot[p];
            slots[p] = i;
            orderedCeilings[p] = unbounded[i] ? Double.POSITIVE_INFINITY : ceilings[i];
            orderedLoads[p] = unbounded[i] ? -1 : loads[i];
            orderedOffsets[p] = offsets[i];
            if (unbounded[i]) {
                always++;
            }
        }
        return new RankOrder(t, slots, orderedCeilings, orderedLoads, orderedOffsets, always, log, logFrom);
    }

    /**
     * Ranks a family by walking its order until no credential left can make the best few, then the credentials
     * whose usage changed since the order was built (their ceilings may no longer hold). Each credential is judged
     * exactly as the whole-family walks judge it. The offers that could make the best few are then made again in
     * label order, as the whole-family walks make them: the tie-break on health is not transitive (an unmeasured
     * time to first byte ties with any), so the arrival order decides among such ties. Offers left out all rank
     * strictly below the last of the best few, and those never change the order of the others.
     */
    private void rankInOrder(RoutingIndex.Routes routes, int g, RankOrder order, String model, long maxLoad,
                             CredentialRuntime pinned, TopPicks top, List<RoutingPlan.Skip> skipped, Instant now,
                             long second) {
        RoutingIndex.Group group = routes.groups()[g];
        long t = now.toEpochMilli();
        int[] slots = order.slots;
        Offers offers = new Offers();
        int p = 0;
        for (; p < slots.length; p++) {
            if (p >= order.alwaysVisit && top.full() && order.ceiling(p, maxLoad) < top.threshold()) {
                break;
            }
            judge(group, slots[p], model, maxLoad, pinned, top, offers, skipped, now, t, second);
        }
        RankOrder.ChangeLog log = order.log;
        int end = log.size();
        long[] seen = null;
        for (int j = order.logFrom; j < end; j++) {
            CredentialRuntime rt = log.get(j);
            Member m = rt == null ? null : routes.byId().get(rt.id);
            // Null while being logged: a change made during this pick, which may or may not see it.
            if (m == null || m.group != g || m.runtime != rt || order.positions[m.slot] < p) {
                continue;
            }
            int slot = m.slot;
            if (seen == null) {
                seen = new long[(slots.length + 63) >>> 6];
            }
            if ((seen[slot >>> 6] & 1L << slot) != 0) {
                continue;
            }
            seen[slot >>> 6] |= 1L << slot;
            judge(group, slot, model, maxLoad, pinned, top, offers, skipped, now, t, second);
        }
        top.clear(group.runtimes(), t);
        offers.replayInLabelOrder(top);
    }

    /** The offers a walk in rank order made that could still make the best few. */
    private static final class Offers {
        private int[] slots = new int[16];
        private double[] ranks = new double[16];
        private int[] inFlights = new int[16];
        private int size;

        void add(int slot, double rank, int inFlight) {
            if (size == slots.length) {
                slots = java.util.Arrays.copyOf(slots, size * 2);
                ranks = java.util.Arrays.copyOf(ranks, size * 2);
                inFlights = java.util.Arrays.copyOf(inFlights, size * 2);
            }
            slots[size] = slot;
            ranks[size] = rank;
            inFlights[size] = inFlight;
            size++;
        }

        void replayInLabelOrder(TopPicks top) {
            long[] bySlot = new long[size];
            for (int j = 0; j < size; j++) {
                bySlot[j] = (long) slots[j] << 32 | j;
            }
            java.util.Arrays.sort(bySlot);
            for (long key : bySlot) {
                int j = (int) key;
                top.offer(slots[j], ranks[j], inFlights[j]);
            }
        }
    }

    /** One credential of a family, judged as {@link #rankChatGpt} and {@link #rankOthers} judge each. */
    private void judge(RoutingIndex.Group group, int i, String model, long maxLoad, CredentialRuntime pinned,
                       TopPicks top, Offers offers, List<RoutingPlan.Skip> skipped, Instant now, long t,
                       long second) {
        if (leftOut(group, i, model, pinned, skipped, t)) {
            return;
        }
        CredentialRuntime rt = group.runtimes()[i];
        double rank;
        int inFlight;
        switch (group.mode()) {
            case CHATGPT -> {
                CredentialRuntime.RankMemo memo = rt.chatGptRank(scorer, group.plans()[i], second, now);
                if (memo.rank != memo.rank) {
                    skipped.add(capSkip(rt, memo.state, memo.successes, now));
                    return;
                }
                rank = memo.rank;
                inFlight = memo.inFlight;
            }
            case CLAUDE -> {
                inFlight = rt.get();
                rank = scorer.claudeRank(rt.usage(), rt.successes(), inFlight, rt.tokenLoad(), maxLoad, now);
            }
            default -> {
                inFlight = rt.get();
                rank = HeadroomScorer.byLoad(rt.tokenLoad(), maxLoad, inFlight);
            }
        }
        // Below the last of the best few already: it can only rank below the final last one too.
        if (rank >= top.threshold()) {
            top.offer(i, rank, inFlight);
            offers.add(i, rank, inFlight);
        }
    }

    /** Records that {@code rt}'s usage observation changed, after the change: rank orders no longer bound it. */
    @Override
    void usageChanged(CredentialRuntime rt) {
        while (true) {
            RankOrder.ChangeLog log = changes.get();
            if (log.add(rt)) {
                return;
            }
            changes.compareAndSet(log, new RankOrder.ChangeLog());
        }
    }

    /** Whether the pool file's model rules or in-flight cap leave {@code m} out; the reason goes to skipped. */
    private boolean refused(Member m, String model, List<RoutingPlan.Skip> skipped) {
        RoutingPlan.Skip refusal = refusal(m, model);
        if (refusal != null) {
            skipped.add(refusal);
            return true;
        }
        return false;
    }

    /**
     * Why the operator's controls keep {@code m} from this request, or null. A request without a model names none
     * to refuse. The cap is checked against the in-flight count at planning time: a burst arriving in the same
     * instant may briefly exceed it by the number of requests planned together.
     */
    RoutingPlan.Skip refusal(Member m, String model) {
        if (modelCoolings > 0) {
            RoutingPlan.Skip cooling = modelCooling(m.id, model);
            if (cooling != null) {
                return cooling;
            }
        }
        if (!m.controlled) {
            return null;
        }
        CredentialControls c = m.controls;
        if (c.hasModelRules() && model != null && !model.isBlank() && !"unknown".equals(model)
                && !c.allowsModel(model)) {
            return new RoutingPlan.Skip(m.id, c.modelRefusal(model));
        }
        int inFlight = m.runtime.get();
        if (c.maxConcurrent() > 0 && inFlight >= c.maxConcurrent()) {
            return new RoutingPlan.Skip(m.id, BUSY + inFlight + " in flight, max_concurrent " + c.maxConcurrent());
        }
        return null;
    }

    /** A ChatGPT offer, reused within the second while nothing it depends on changed. */
    private RoutingPlan.Candidate memoCandidate(Member m, Instant now, long second, boolean pinned) {
        CredentialRuntime.RankMemo memo = m.runtime.chatGptRank(scorer, m.plan, second, now);
        RoutingPlan.Candidate offer = pinned ? memo.pinnedCandidate : memo.candidate;
        if (offer == null || offer.credential() != m.credential) {
            offer = chatGptCandidate(m, memo.state.usage(), memo.successes, memo.inFlight, now, pinned ? PINNED : "");
            if (pinned) {
                memo.pinnedCandidate = offer;
            } else {
                memo.candidate = offer;
            }
        }
        return offer;
    }

    /** Scores and explains one offered credential from one consistent reading of its state. */
    private RoutingPlan.Candidate candidate(Member m, long maxLoad, Instant now, String prefix) {
        CredentialRuntime rt = m.runtime;
        State s = rt.state();
        int successes = rt.successes();
        int inFlight = rt.get();
        if (m.mode == RoutingIndex.Mode.CHATGPT) {
            return chatGptCandidate(m, s.usage(), successes, inFlight, now, prefix);
        }
        long load = rt.tokenLoad();
        boolean claude = m.mode == RoutingIndex.Mode.CLAUDE;
        String why = claude ? scorer.explainClaude(s.usage(), successes, inFlight, load, maxLoad, now)
                : "by load: " + HeadroomScorer.explainByLoad(load, maxLoad, inFlight);
        double score = claude ? scorer.claude(s.usage(), successes, inFlight, load, maxLoad, now)
                : HeadroomScorer.byLoad(load, maxLoad, inFlight);
        return new RoutingPlan.Candidate(m.credential, score, prefix + why);
    }

    /** A ChatGPT account's offer: its score and the words explaining it, after {@code prefix}. */
    private RoutingPlan.Candidate chatGptCandidate(Member m, AccountUsage usage, int successes, int inFlight,
                                                   Instant now, String prefix) {
        String why = scorer.explainChatGpt(m.plan, usage, successes, inFlight, now);
        return new RoutingPlan.Candidate(m.credential, scorer.chatGpt(m.plan, usage, successes, inFlight, now),
                prefix + why);
    }

    @Override
    public Lease begin(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        return probing(rt, new CountedLease(rt));
    }

    /**
     * Takes a slot only while the credential is under its {@code max_concurrent} cap, atomically: requests planned
     * in the same instant cannot overshoot it. Empty when the cap is reached.
     */
    @Override
    public Optional<Lease> tryBegin(CredentialId id) {
        CredentialRuntime rt = runtime(id);
        int cap = pool.snapshot().entry(id).map(e -> e.controls().maxConcurrent()).orElse(0);
        if (!rt.tryIncrement(cap)) {
            return Optional.empty();
        }
        return Optional.of(probing(rt, CountedLease.counted(rt)));
    }

    /**
     * The lease as handed out. Half-open: the first request after a backoff expired is the probe, and others pass
     * over the credential until it is answered. Closing it also moves the capacity queue along.
     */
    private Lease probing(CredentialRuntime rt, CountedLease lease) {
        State s = rt.state();
        boolean probe = s.streak() > 0 && s.cooldownUntilMillis() <= clock.millis() && rt.claimProbe(lease);
        return () -> {
            if (probe) {
                rt.releaseProbe(lease);
            }
            lease.close();
            queue.released();
        };
    }

    /** Where requests wait when every capable credential is at its cap; released slots move it along. */
    @Override
    public CapacityQueue capacityQueue() {
        return queue;
    }

    // ---- learning: model cooldowns here, the rest in the outcome policy

    @Override
    public void onModelRateLimited(CredentialId id, String family, Duration cooldown) {
        Duration d = cooldown == null || cooldown.isNegative() || cooldown.isZero()
                ? io.proxygate.domain.routing.RetryAfter.DEFAULT : cooldown;
        long until = clock.millis() + d.toMillis();
        modelCooldowns.computeIfAbsent(id, k -> new ConcurrentHashMap<>())
                .merge(family, new ModelCooldown(until, "429 for " + family),
                        (a, b) -> a.untilMillis() >= b.untilMillis() ? a : b);
        modelCoolings = modelCooldowns.size();
        LOG.log(System.Logger.Level.DEBUG, () -> id + ": model family " + family + " rate limited");
    }

    /** The model families cooling down on {@code id} now, with their ends. */
    public java.util.Map<String, Instant> modelCooldowns(CredentialId id) {
        long t = clock.millis();
        java.util.Map<String, Instant> out = new java.util.TreeMap<>();
        ConcurrentHashMap<String, ModelCooldown> families = modelCooldowns.get(id);
        if (families != null) {
            families.forEach((family, c) -> {
                if (c.untilMillis() > t) {
                    out.put(family, Instant.ofEpochMilli(c.untilMillis()));
                }
            });
        }
        return out;
    }

    @Override
    public Optional<Duration> nearestModelCooldown(String model) {
        if (modelCoolings == 0 || model == null) {
            return Optional.empty();
        }
        String family = io.proxygate.domain.routing.ModelFamily.of(model);
        long t = clock.millis();
        long best = Long.MAX_VALUE;
        for (ConcurrentHashMap<String, ModelCooldown> families : modelCooldowns.values()) {
            ModelCooldown c = families.get(family);
            if (c != null && c.untilMillis() > t) {
                best = Math.min(best, c.untilMillis() - t);
            }
        }
        return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofMillis(best));
    }

    private RoutingPlan.Skip modelCooling(CredentialId id, String model) {
        ConcurrentHashMap<String, ModelCooldown> families = modelCooldowns.get(id);
        if (families == null || model == null) {
            return null;
        }
        String family = io.proxygate.domain.routing.ModelFamily.of(model);
        ModelCooldown c = families.get(family);
        long t = clock.millis();
        if (c == null) {
            return null;
        }
        if (c.untilMillis() <= t) {
            families.remove(family, c);
            if (families.isEmpty()) {
                modelCooldowns.remove(id, families);
                modelCoolings = modelCooldowns.size();
            }
            return null;
        }
        return new RoutingPlan.Skip(id, "model " + family + " cooling down until "
                + Instant.ofEpochMilli(c.untilMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", "
                + c.reason());
    }

    @Override
    public void coolDown(CredentialId id, Duration duration, String reason) {
        CredentialRuntime rt = runtime(id);
        Instant now = clock.instant();
        long until = now.toEpochMilli() + duration.toMillis();
        rt.update(s -> until > s.cooldownUntilMillis() ? s.withCooldown(id, until, reason) : s);
        saver.save(rt, true, now);
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
                if (until <= t && m.runtime.probing()) {
                    // Its probe will be answered soon: worth a short wait rather than giving up.
                    until = t + PROBE_WAIT_MILLIS;
                }
                if (until > t) {
                    best = Math.min(best, until - t);
                }
            }
        }
        return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofMillis(best));
    }

    @Override
    public boolean restingOnRateLimits(Api api) {
        long t = clock.millis();
        boolean any = false;
        for (RoutingIndex.Group group : index().routes(api).groups()) {
            for (Member m : group.members()) {
                State s = m.runtime.state();
                boolean limited = s.needsLogin() == null && ((s.cooldownUntilMillis() > t
                        && RATE_LIMIT_REASON.equals(s.cooldownReason()))
                        || (s.usageSkip() != null && s.usageBlockedUntilMillis() > t));
                if (!limited) {
                    return false;
                }
                any = true;
            }
        }
        return any;
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
            out.add(new CredentialStatus(id, rt.get(),
                    cooling ? Optional.of(Instant.ofEpochMilli(s.cooldownUntilMillis())) : Optional.empty(),
                    cooling ? Optional.ofNullable(s.cooldownReason()) : Optional.empty(),
                    Optional.ofNullable(s.needsLogin()), s.usage().windows(), rt.lastUsed(),
                    modelCoolings > 0 ? modelCooldowns(id) : java.util.Map.of()));
        }
        return out;
    }

    /** Drops expired conversation pins (new pins also sweep as they arrive); returns how many went. */
    public int sweepPins() {
        return pins.sweep(clock.instant());
    }

    /** Writes the pins used since the last call, where pins are stored behind (see {@link #persistingPins}). */
    public int flushPins() {
        return pins.flush();
    }

    /**
     * From now on the routing state of each credential is written behind: requests only note it, and
     * {@link #flushState} writes it (call it a few times a second, and once more on shutdown). Without this call
     * every change is written as it is made, on the caller's thread.
     */
    public void writeStateBehind() {
        saver.writeBehind();
    }

    /** Writes the routing state noted since the last call (see {@link #writeStateBehind}); returns how many. */
    public int flushState() {
        return saver.flush();
    }

    // ---- sharing a database with other instances

    /**
     * Reads what every instance saved to the state store and takes in what is newer than ours: later cooldowns,
     * needs-login marks changed after ours, usage windows observed after ours (see {@link #absorb}). For instances
     * sharing one database; call every few seconds. Returns how many credentials changed.
     */
    public int syncShared() {
        return absorb(saver.loadAll());
    }

    /** Takes in state saved by other instances; nothing is saved back. Returns how many credentials changed. */
    public int absorb(Collection<CredentialStateRecord> shared) {
        long t = clock.millis();
        int changed = 0;
        for (CredentialStateRecord record : shared) {
            CredentialRuntime rt = runtime(record.id());
            if (rt.absorb(record, t)) {
                usageChanged(rt);
                changed++;
            }
        }
        return changed;
    }

    // ---- internals

    private void poolChanged(PoolChange change) {
        // A changed access token in a file is a fresh login (or a new key): the needs-login mark no longer holds.
        change.tokensChanged().forEach(this::onTokensRenewed);
        // Disabling a credential is how operators reset one: it comes back from disable + enable with a clean slate.
        Map<CredentialId, PoolEntry> entries = pool.snapshot().entries();
        for (CredentialId id : change.changed()) {
            PoolEntry entry = entries.get(id);
            if (entry != null && entry.credential().disabled()) {
                CredentialRuntime rt = runtimes.get(id);
                if (rt != null && (rt.state().streak() != 0 || rt.state().cooldownUntilMillis() > clock.millis()
                        || rt.state().needsLogin() != null)) {
                    clearCooldown(id);
                }
            }
        }
    }

    @Override
    CredentialRuntime runtime(CredentialId id) {
        CredentialRuntime rt = runtimes.get(id);
        return rt != null ? rt : runtimes.computeIfAbsent(id, CredentialRuntime::new);
    }

    @Override
    CredentialRuntime knownRuntime(CredentialId id) {
        return runtimes.get(id);
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
        return !m.disabled
                && blocked(m.mode, m.runtime, m.runtime.state(), m.runtime.successes(), now, now.toEpochMilli()) == null;
    }

    /** Why a credential cannot be offered now, or null when it can. */
    private RoutingPlan.Skip blocked(RoutingIndex.Mode mode, CredentialRuntime rt, State s, int successes,
                                     Instant now, long t) {
        RoutingPlan.Skip blocked = blockedByState(s, t);
        if (blocked == null) {
            blocked = rt.probeSkip();
        }
        if (blocked == null && mode == RoutingIndex.Mode.CHATGPT && scorer.chatGptCapped(s.usage(), successes, now)) {
            return capSkip(rt, s, successes, now);
        }
        return blocked;
    }

    /** Needs login, cooling down, or a spent usage window: reasons prepared when the state changed. */
    private static RoutingPlan.Skip blockedByState(State s, long t) {
        if (s.needsLoginSkip() != null) {
            return s.needsLoginSkip();
        }
        if (s.cooldownUntilMillis() > t) {
            return s.cooldownSkip();
        }
        if (s.usageSkip() != null && t < s.usageBlockedUntilMillis()) {
            return s.usageSkip();
        }
        return null;
    }

    private RoutingPlan.Skip capSkip(CredentialRuntime rt, State s, int successes, Instant now) {
        return rt.capSkip(s, successes,
                () -> scorer.chatGptCap(s.usage(), successes, now).orElse("over the usage cap"));
    }

    private static long maxLoad(RoutingIndex.Group group) {
        long max = 1;
        for (CredentialRuntime rt : group.runtimes()) {
            max = Math.max(max, rt.tokenLoad());
        }
        return max;
    }

    /** The best few of one family by rank key, kept sorted by insertion: a pick never sorts the whole pool. */
    private static final class TopPicks {
        final int[] slots;
        final double[] ranks;
        final int[] inFlights;
        int size;
        /** The family being ranked, for the health tie-break, and the time it is judged at. */
        private CredentialRuntime[] runtimes;
        private long t;

        TopPicks(int capacity) {
            slots = new int[capacity];
            ranks = new double[capacity];
            inFlights = new int[capacity];
        }

        void clear(CredentialRuntime[] family, long nowMillis) {
            size = 0;
            runtimes = family;
            t = nowMillis;
        }

        boolean full() {
            return size == slots.length;
        }

        /** The rank a newcomer must reach to get in. */
        double threshold() {
            return size < slots.length ? Double.NEGATIVE_INFINITY : ranks[slots.length - 1];
        }

        /** Offers slot {@code i}; slots arrive in label order, so an earlier slot wins a full tie. */
        void offer(int i, double rank, int inFlight) {
            int capacity = slots.length;
            if (size == capacity && !before(i, rank, inFlight, capacity - 1)) {
                return;
            }
            int pos = size < capacity ? size++ : capacity - 1;
            while (pos > 0 && before(i, rank, inFlight, pos - 1)) {
                slots[pos] = slots[pos - 1];
                ranks[pos] = ranks[pos - 1];
                inFlights[pos] = inFlights[pos - 1];
                pos--;
            }
            slots[pos] = i;
            ranks[pos] = rank;
            inFlights[pos] = inFlight;
        }

        /**
         * Higher rank key first (standing, then score), then fewer in flight, then the healthier (lower error rate,
         * then faster first byte): among equals only, so headroom always decides first.
         */
        private boolean before(int i, double rank, int inFlight, int k) {
            if (rank != ranks[k]) {
                return rank > ranks[k];
            }
            if (inFlight != inFlights[k]) {
                return inFlight < inFlights[k];
            }
            ResponseHealth mine = runtimes[i].health();
            ResponseHealth theirs = runtimes[slots[k]].health();
            // Usually both never measured (the same NONE): no arithmetic on the hot path.
            return mine != theirs && mine.compareHealth(theirs, t) < 0;
        }
    }
}
