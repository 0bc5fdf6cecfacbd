package io.proxygate.application.routing;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.RoutingPriority;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The pool arranged for picking, rebuilt whenever the pool publishes a new snapshot: for each API, the credential
 * families in priority order as flat arrays, plus the skips that cannot change until the next snapshot (disabled
 * credentials, key types ProxyGate does not route).
 */
final class RoutingIndex {
    enum Mode { CHATGPT, CLAUDE, KEY }

    /** One credential as the picker sees it. */
    static final class Member {
        final Credential credential;
        final CredentialId id;
        final CredentialRuntime runtime;
        final Mode mode;
        final PlanType plan;
        final boolean disabled;
        final CredentialControls controls;
        /** Whether picks must check this member's model rules or in-flight cap. */
        final boolean controlled;
        /** Index of this member's group in {@link Routes#groups()}, or -1 when disabled (in no group). */
        int group = -1;
        /** Index within its group. */
        int slot = -1;

        Member(Credential credential, CredentialRuntime runtime, Mode mode) {
            this(credential, runtime, mode, CredentialControls.NONE);
        }

        Member(Credential credential, CredentialRuntime runtime, Mode mode, CredentialControls controls) {
            this.controls = controls;
            this.controlled = controls.hasModelRules() || controls.maxConcurrent() > 0;
            this.credential = credential;
            this.id = credential.id();
            this.runtime = runtime;
            this.mode = mode;
            this.plan = credential instanceof ChatGptAccount a ? a.plan() : PlanType.UNKNOWN;
            this.disabled = credential.disabled();
        }
    }

    /**
     * Credentials of one kind able to serve an API, enabled ones only, in label order (so the index is the last
     * tie-break). The parallel arrays spare the picker a hop through {@link Member} for every credential.
     */
    record Group(Mode mode, Member[] members, CredentialRuntime[] runtimes, PlanType[] plans, int tier,
                 boolean controlled, boolean capped, LoadPeak peak) {
        static Group of(Mode mode, Member[] members, int tier) {
            CredentialRuntime[] runtimes = new CredentialRuntime[members.length];
            PlanType[] plans = new PlanType[members.length];
            boolean controlled = false;
            boolean capped = false;
            for (int i = 0; i < members.length; i++) {
                runtimes[i] = members[i].runtime;
                plans[i] = members[i].plan;
                controlled |= members[i].controlled;
                capped |= members[i].controls.maxConcurrent() > 0;
            }
            return new Group(mode, members, runtimes, plans, tier, controlled, capped, new LoadPeak());
        }

        /** Ranked by token load, which needs the group's largest load. */
        boolean usesLoad() {
            return mode != Mode.CHATGPT;
        }
    }

    /**
     * Everything needed to plan one API. {@code orders} holds each group's {@link RankOrder} (null until the first
     * pick builds one), {@code rebuilding} whether a pick is building one for it now.
     */
    record Routes(Group[] groups, List<RoutingPlan.Skip> staticSkips, Map<CredentialId, Member> byId,
                  AtomicReferenceArray<RankOrder> orders, AtomicIntegerArray rebuilding) {
        Routes(Group[] groups, List<RoutingPlan.Skip> staticSkips, Map<CredentialId, Member> byId) {
            this(groups, staticSkips, byId, new AtomicReferenceArray<>(groups.length),
                    new AtomicIntegerArray(groups.length));
        }
    }

    final CredentialPool.Snapshot snapshot;
    private final EnumMap<Api, Routes> routes = new EnumMap<>(Api.class);

    RoutingIndex(CredentialPool.Snapshot snapshot, RoutingPriority priority,
                 Function<CredentialId, CredentialRuntime> runtimes) {
        this.snapshot = snapshot;
        List<Credential> all = new ArrayList<>(snapshot.credentials());
        all.sort(Comparator.comparing(Credential::label).thenComparing(c -> c.id().value()));
        List<RoutingPlan.Skip> unsupported = new ArrayList<>();
        for (Credential c : all) {
            if (c.kind() == CredentialKind.UNSUPPORTED_KEY && c instanceof ApiKey key) {
                unsupported.add(new RoutingPlan.Skip(c.id(), "unsupported key type: " + key.type().wireName()));
            }
        }
        for (Api api : Api.values()) {
            List<Member> accounts = new ArrayList<>();
            List<Member> keys = new ArrayList<>();
            List<RoutingPlan.Skip> skips = new ArrayList<>();
            Map<CredentialId, Member> byId = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                Credential c = all.get(i);
                if (!c.serves(api)) {
                    continue;
                }
                Mode mode = switch (c.kind()) {
                    case CHATGPT_ACCOUNT -> Mode.CHATGPT;
                    case CLAUDE_ACCOUNT -> Mode.CLAUDE;
                    default -> Mode.KEY;
                };
                CredentialControls controls = snapshot.entry(c.id()).map(e -> e.controls())
                        .orElse(CredentialControls.NONE);
                Member m = new Member(c, runtimes.apply(c.id()), mode, controls);
                byId.put(m.id, m);
                if (m.disabled) {
                    skips.add(new RoutingPlan.Skip(m.id, "disabled"));
                } else if (c.kind().isAccount()) {
                    accounts.add(m);
                } else {
                    keys.add(m);
                }
            }
            skips.addAll(unsupported);
            // Priority tiers from the pool files come first, highest first: a lower tier is offered only after
            // every credential of the higher ones. Within a tier, one group per kind, so each is ranked by one
            // formula in a loop of its own, kinds in the configured order.
            TreeSet<Integer> tiers = new TreeSet<>();
            accounts.forEach(m -> tiers.add(m.controls.priority()));
            keys.forEach(m -> tiers.add(m.controls.priority()));
            List<Group> groups = new ArrayList<>(3);
            for (int tier : tiers.descendingSet()) {
                List<Member> tierAccounts = accounts.stream().filter(m -> m.controls.priority() == tier).toList();
                List<Member> tierKeys = keys.stream().filter(m -> m.controls.priority() == tier).toList();
                List<Group> accountGroups = new ArrayList<>(2);
                for (Mode mode : Mode.values()) {
                    addGroup(accountGroups, mode, tierAccounts, tier);
                }
                List<Group> keyGroups = new ArrayList<>(1);
                addGroup(keyGroups, Mode.KEY, tierKeys, tier);
                if (priority == RoutingPriority.APIKEY_FIRST) {
                    groups.addAll(keyGroups);
                    groups.addAll(accountGroups);
                } else {
                    groups.addAll(accountGroups);
                    groups.addAll(keyGroups);
                }
            }
            for (int g = 0; g < groups.size(); g++) {
                Member[] members = groups.get(g).members();
                for (int i = 0; i < members.length; i++) {
                    members[i].group = g;
                    members[i].slot = i;
                }
            }
            routes.put(api, new Routes(groups.toArray(Group[]::new), List.copyOf(skips), Map.copyOf(byId)));
        }
        watchLoads();
    }

    /**
     * Hands each credential the load peaks of the families it belongs to (a key may serve several APIs), then
     * starts each peak at its family's largest load: counted after the hand-over, so no tokens are missed.
     */
    private void watchLoads() {
        Map<CredentialRuntime, List<LoadPeak>> peaks = new IdentityHashMap<>();
        for (Routes r : routes.values()) {
            for (Group g : r.groups()) {
                for (CredentialRuntime rt : g.runtimes()) {
                    peaks.computeIfAbsent(rt, k -> new ArrayList<>(2)).add(g.peak());
                }
            }
        }
        peaks.forEach((rt, list) -> rt.watchLoad(list.toArray(LoadPeak[]::new)));
        for (Routes r : routes.values()) {
            for (Group g : r.groups()) {
                for (CredentialRuntime rt : g.runtimes()) {
                    g.peak().raise(rt.tokenLoad());
                }
            }
        }
    }

    Routes routes(Api api) {
        return routes.get(api);
    }

    private static void addGroup(List<Group> groups, Mode mode, List<Member> candidates, int tier) {
        Member[] members = candidates.stream().filter(m -> m.mode == mode).toArray(Member[]::new);
        if (members.length > 0) {
            groups.add(Group.of(mode, members, tier));
        }
    }
}
