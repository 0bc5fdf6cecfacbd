package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.RoutingPriority;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.testsupport.FakeCredentials;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random pools in random states: the router must never offer a credential that an independent reading of the
 * rules calls ineligible, and must offer one whenever any is eligible.
 */
class RoutingPropertiesTest {
    private static final Instant T0 = RouterFixture.T0;

    enum Kind { CHATGPT, CLAUDE, OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY }

    /** One window: fraction used and seconds to reset (null = unknown). */
    record Win(double used, Long resetInSeconds) {
    }

    record Spec(Kind kind, PlanType plan, boolean disabled, long cooldownSeconds, boolean needsLogin,
                Win five, Win week, boolean observed, boolean limitReached, int successes, int inFlight) {
    }

    record Scenario(List<Spec> specs, Api api, RoutingPriority priority, double capFive, double capWeek,
                    long advanceSeconds, int pinnedIndex, int perKind) {
    }

    @Property(tries = 300, seed = "20261126")
    void neverOffersAnIneligibleCredentialAndAlwaysOffersOneWhenAnyIsEligible(@ForAll("scenarios") Scenario sc) {
        List<Credential> creds = new ArrayList<>();
        for (int i = 0; i < sc.specs().size(); i++) {
            creds.add(credential(i, sc.specs().get(i)));
        }
        RoutingSettings settings = RoutingSettings.DEFAULTS.withPriority(sc.priority())
                .withUsedPctMax(sc.capFive(), sc.capWeek()).withCandidatesPerKind(sc.perKind());
        RouterFixture f = new RouterFixture(settings, creds.toArray(Credential[]::new));
        RouteQuery query = new RouteQuery(sc.api(), "m", Optional.of(ConversationKey.session("conv")), Optional.empty());

        int[] successes = new int[creds.size()];
        List<io.proxygate.application.routing.Lease> leases = new ArrayList<>();
        for (int i = 0; i < creds.size(); i++) {
            Spec s = sc.specs().get(i);
            CredentialId id = creds.get(i).id();
            if (s.observed()) {
                f.router.onWindows(id, windows(s));
            }
            if (s.cooldownSeconds() > 0) {
                f.router.onFailure(id, new AttemptFailure.RateLimited(Duration.ofSeconds(s.cooldownSeconds())));
            }
            if (s.needsLogin()) {
                f.router.onFailure(id, new AttemptFailure.NeedsLogin("revoked"));
            }
            for (int k = 0; k < s.successes(); k++) {
                f.router.onSuccess(id, RouterFixture.query(sc.api()), Optional.empty());
                successes[i]++;
            }
            for (int k = 0; k < s.inFlight(); k++) {
                leases.add(f.router.begin(id));
            }
        }
        if (sc.pinnedIndex() >= 0 && sc.pinnedIndex() < creds.size()) {
            f.router.onSuccess(creds.get(sc.pinnedIndex()).id(), query, Optional.empty());
            successes[sc.pinnedIndex()]++;
        }
        f.clock.advance(Duration.ofSeconds(sc.advanceSeconds()));
        Instant now = f.clock.instant();

        RoutingPlan plan = f.router.plan(query);

        Set<CredentialId> eligible = new HashSet<>();
        Set<CredentialId> ineligibleServing = new HashSet<>();
        for (int i = 0; i < creds.size(); i++) {
            Spec s = sc.specs().get(i);
            if (!serves(s.kind(), sc.api())) {
                continue;
            }
            if (eligible(s, successes[i], sc, now)) {
                eligible.add(creds.get(i).id());
            } else {
                ineligibleServing.add(creds.get(i).id());
            }
        }
        List<CredentialId> offered = RouterFixture.ids(plan);
        Set<CredentialId> skipped = new HashSet<>();
        plan.skipped().forEach(skip -> skipped.add(skip.id()));
        assertThat(offered).allMatch(eligible::contains, "eligible by the rules");
        assertThat(offered).doesNotHaveDuplicates();
        assertThat(offered.isEmpty()).isEqualTo(eligible.isEmpty());
        assertThat(ineligibleServing).allMatch(skipped::contains, "explained in the skip list");
        assertThat(offered).noneMatch(skipped::contains);
        leases.forEach(io.proxygate.application.routing.Lease::close);
    }

    // ---- the oracle: the rules, written out independently of the router

    private static boolean serves(Kind kind, Api api) {
        return switch (kind) {
            case CHATGPT -> api == Api.RESPONSES;
            case CLAUDE, ANTHROPIC_KEY -> api == Api.MESSAGES;
            case OPENAI_KEY -> api == Api.RESPONSES || api == Api.CHAT_COMPLETIONS;
            case GEMINI_KEY -> false;
        };
    }

    private static boolean eligible(Spec s, int successes, Scenario sc, Instant now) {
        if (s.disabled() || s.needsLogin()) {
            return false;
        }
        if (s.cooldownSeconds() > 0 && now.isBefore(T0.plusSeconds(s.cooldownSeconds()))) {
            return false;
        }
        if (!s.observed()) {
            return true;
        }
        boolean fiveSpent = s.five().used() >= 1.0;
        boolean weekSpent = s.week().used() >= 1.0;
        if (fiveSpent && now.isBefore(end(s.five(), UsageWindow.FIVE_HOURS))) {
            return false;
        }
        if (weekSpent && now.isBefore(end(s.week(), UsageWindow.WEEK))) {
            return false;
        }
        if (s.limitReached() && !fiveSpent && !weekSpent) {
            boolean weekFullest = s.week().used() >= s.five().used();
            Instant until = weekFullest ? end(s.week(), UsageWindow.WEEK) : end(s.five(), UsageWindow.FIVE_HOURS);
            if (now.isBefore(until)) {
                return false;
            }
        }
        if (s.kind() == Kind.CHATGPT) {
            double five = current(s.five(), now) + 0.025 * successes;
            double week = current(s.week(), now);
            if (sc.capFive() > 0 && five >= sc.capFive()) {
                return false;
            }
            if (sc.capWeek() > 0 && week >= sc.capWeek()) {
                return false;
            }
        }
        return true;
    }

    private static Instant end(Win w, Duration length) {
        return w.resetInSeconds() == null ? T0.plus(length) : T0.plusSeconds(w.resetInSeconds());
    }

    private static double current(Win w, Instant now) {
        boolean rolledOver = w.resetInSeconds() != null && !now.isBefore(T0.plusSeconds(w.resetInSeconds()));
        return rolledOver ? 0 : w.used();
    }

    // ---- building

    private static Credential credential(int i, Spec s) {
        Credential c = switch (s.kind()) {
            case CHATGPT -> FakeCredentials.chatgpt("gpt" + i + "@example.com", s.plan());
            case CLAUDE -> FakeCredentials.claude("claude" + i + "@example.com");
            case OPENAI_KEY -> FakeCredentials.key("openai-" + i, ApiKeyType.OPENAI);
            case ANTHROPIC_KEY -> FakeCredentials.key("anthropic-" + i, ApiKeyType.ANTHROPIC);
            case GEMINI_KEY -> FakeCredentials.key("gemini-" + i, ApiKeyType.GEMINI);
        };
        return c.withDisabled(s.disabled());
    }

    private static UsageWindows windows(Spec s) {
        return new UsageWindows(Optional.of(window(s.five(), UsageWindow.FIVE_HOURS)),
                Optional.of(window(s.week(), UsageWindow.WEEK)), s.limitReached(), T0);
    }

    private static UsageWindow window(Win w, Duration length) {
        return new UsageWindow(w.used(), Optional.ofNullable(w.resetInSeconds()).map(T0::plusSeconds), length);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Builders.withBuilder(() -> new Object[8])
                .use(specs().list().ofMinSize(0).ofMaxSize(12)).in((b, v) -> set(b, 0, v))
                .use(Arbitraries.of(Api.class)).in((b, v) -> set(b, 1, v))
                .use(Arbitraries.of(RoutingPriority.class)).in((b, v) -> set(b, 2, v))
                .use(Arbitraries.of(0.0, 0.5, 0.95, 1.0)).in((b, v) -> set(b, 3, v))
                .use(Arbitraries.of(0.0, 0.8, 0.99, 1.0)).in((b, v) -> set(b, 4, v))
                .use(Arbitraries.of(0L, 30L, 600L, 3 * 3600L, 6 * 3600L, 8 * 24 * 3600L)).in((b, v) -> set(b, 5, v))
                .use(Arbitraries.integers().between(-1, 11)).in((b, v) -> set(b, 6, v))
                .use(Arbitraries.integers().between(1, 4)).in((b, v) -> set(b, 7, v))
                .build(b -> new Scenario(cast(b[0]), (Api) b[1], (RoutingPriority) b[2], (double) b[3],
                        (double) b[4], (long) b[5], (int) b[6], (int) b[7]));
    }

    private static Arbitrary<Spec> specs() {
        Arbitrary<Win> win = wins();
        return Builders.withBuilder(() -> new Object[11])
                .use(Arbitraries.of(Kind.class)).in((b, v) -> set(b, 0, v))
                .use(Arbitraries.of(PlanType.class)).in((b, v) -> set(b, 1, v))
                .use(Arbitraries.of(false, false, false, true)).in((b, v) -> set(b, 2, v))
                .use(Arbitraries.of(0L, 0L, 10L, 120L, 3600L)).in((b, v) -> set(b, 3, v))
                .use(Arbitraries.of(false, false, false, true)).in((b, v) -> set(b, 4, v))
                .use(win).in((b, v) -> set(b, 5, v))
                .use(win).in((b, v) -> set(b, 6, v))
                .use(Arbitraries.of(true, true, false)).in((b, v) -> set(b, 7, v))
                .use(Arbitraries.of(false, false, false, true)).in((b, v) -> set(b, 8, v))
                .use(Arbitraries.integers().between(0, 3)).in((b, v) -> set(b, 9, v))
                .use(Arbitraries.integers().between(0, 3)).in((b, v) -> set(b, 10, v))
                .build(b -> new Spec((Kind) b[0], (PlanType) b[1], (boolean) b[2], (long) b[3], (boolean) b[4],
                        (Win) b[5], (Win) b[6], (boolean) b[7], (boolean) b[8], (int) b[9], (int) b[10]));
    }

    private static Arbitrary<Win> wins() {
        Arbitrary<Double> used = Arbitraries.of(0.0, 0.1, 0.5, 0.89, 0.9, 0.94, 0.95, 0.96, 0.99, 1.0, 1.3);
        // -1: reset time unknown
        Arbitrary<Long> reset = Arbitraries.of(-1L, 20L, 1800L, 4 * 3600L, 2 * 24 * 3600L);
        return used.flatMap(u -> reset.map(r -> new Win(u, r < 0 ? null : r)));
    }

    private static Object[] set(Object[] b, int i, Object v) {
        b[i] = v;
        return b;
    }

    @SuppressWarnings("unchecked")
    private static List<Spec> cast(Object o) {
        return (List<Spec>) o;
    }
}
