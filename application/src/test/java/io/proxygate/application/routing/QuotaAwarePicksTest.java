package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.PlanType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static io.proxygate.testsupport.FakeCredentials.chatgpt;
import static io.proxygate.testsupport.FakeCredentials.claude;
import static io.proxygate.application.routing.RouterFixture.conversation;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.query;
import static io.proxygate.application.routing.RouterFixture.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

/** Use it or lose it among equals, and the {@code [broker]} caps that no pick may cross. */
class QuotaAwarePicksTest {
    private static final ChatGptAccount PLUS = chatgpt("plus@example.com", PlanType.PLUS);
    private static final ChatGptAccount PLUS2 = chatgpt("plus2@example.com", PlanType.PLUS);
    private static final ClaudeAccount CLAUDE = claude("c1@example.com");
    private static final ClaudeAccount CLAUDE2 = claude("c2@example.com");

    @Test
    void withEqualWeeklyHeadroomTheWindowThatResetsSoonerGoesFirst() {
        for (boolean soonerIsFirstLabel : new boolean[] {true, false}) {
            RouterFixture f = new RouterFixture(PLUS, PLUS2);
            ChatGptAccount sooner = soonerIsFirstLabel ? PLUS : PLUS2;
            ChatGptAccount later = soonerIsFirstLabel ? PLUS2 : PLUS;
            f.router.onWindows(sooner.id(), f.windows(0.2, null, 0.5, Duration.ofHours(12), false));
            f.router.onWindows(later.id(), f.windows(0.2, null, 0.5, Duration.ofHours(150), false));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).containsExactly(sooner.id(), later.id());
            assertThat(plan.candidates().get(0).why()).contains("resets in 12h", "use it or lose it x1.46");
        }
    }

    @Test
    void withEqualFiveHourHeadroomTheSoonerResetGoesFirst() {
        RouterFixture f = new RouterFixture(PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.3, Duration.ofHours(4), 0.5, null, false));
        f.router.onWindows(PLUS2.id(), f.windows(0.3, Duration.ofMinutes(30), 0.5, null, false));
        RoutingPlan plan = f.plan(Api.RESPONSES);
        assertThat(ids(plan)).containsExactly(PLUS2.id(), PLUS.id());
        assertThat(plan.candidates().get(0).why()).contains("resets in 30m", "x1.45");
    }

    @Test
    void aKnownSoonResetBeatsAnUnknownOneAtEqualHeadroom() {
        RouterFixture f = new RouterFixture(PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.2, null, 0.5, null, false));
        f.router.onWindows(PLUS2.id(), f.windows(0.2, null, 0.5, Duration.ofHours(24), false));
        assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PLUS2.id(), PLUS.id());
    }

    @Test
    void moreHeadroomStillBeatsASoonerResetWhenTheDifferenceIsLarge() {
        RouterFixture f = new RouterFixture(PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.2, null, 0.8, Duration.ofHours(1), false));
        f.router.onWindows(PLUS2.id(), f.windows(0.2, null, 0.1, Duration.ofHours(160), false));
        assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PLUS2.id(), PLUS.id());
    }

    @Test
    void claudeAccountsWithFreshUsagePreferTheSoonerResetToo() {
        RouterFixture f = new RouterFixture(CLAUDE, CLAUDE2);
        f.router.onWindows(CLAUDE.id(), f.windows(0.2, null, 0.5, Duration.ofHours(150), false));
        f.router.onWindows(CLAUDE2.id(), f.windows(0.2, null, 0.5, Duration.ofHours(6), false));
        RoutingPlan plan = f.plan(Api.MESSAGES);
        assertThat(ids(plan)).containsExactly(CLAUDE2.id(), CLAUDE.id());
        assertThat(plan.candidates().get(0).why()).contains("use it or lose it");
    }

    @Test
    void anAccountAtThePrimaryCapIsNeverPicked() {
        RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withUsedPctMax(0.8, 0.9), PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.8, null, 0.1, null, false));
        RoutingPlan plan = f.plan(Api.RESPONSES);
        assertThat(ids(plan)).containsExactly(PLUS2.id());
        assertThat(skipReason(plan, PLUS.id())).contains("5h window at 80% (max 80%)");

        f.router.onWindows(PLUS.id(), f.windows(0.79, null, 0.1, null, false));
        assertThat(ids(f.plan(Api.RESPONSES))).contains(PLUS.id());
    }

    @Test
    void anAccountAtTheSecondaryCapIsNeverPicked() {
        RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withUsedPctMax(0.8, 0.9), PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.1, null, 0.9, Duration.ofDays(2), false));
        RoutingPlan plan = f.plan(Api.RESPONSES);
        assertThat(ids(plan)).containsExactly(PLUS2.id());
        assertThat(skipReason(plan, PLUS.id())).contains("weekly window at 90% (max 90%)");
        // Once the window resets, what was observed before no longer counts.
        f.clock.advance(Duration.ofDays(2).plusSeconds(1));
        assertThat(ids(f.plan(Api.RESPONSES))).contains(PLUS.id());
    }

    @Test
    void theLocalEstimateReachingTheCapExcludesTooUntilTheNextObservation() {
        RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withUsedPctMax(0.8, 0), PLUS, PLUS2);
        f.router.onWindows(PLUS.id(), f.windows(0.76, null, 0.1, null, false));
        assertThat(ids(f.plan(Api.RESPONSES))).contains(PLUS.id());
        f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.empty());
        f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.empty());
        RoutingPlan plan = f.plan(Api.RESPONSES);
        assertThat(ids(plan)).containsExactly(PLUS2.id());
        assertThat(skipReason(plan, PLUS.id())).hasValueSatisfying(r -> assertThat(r).startsWith("5h window at 8"));
    }

    @Test
    void aPinnedAccountAtTheCapIsLeftAndTheMoveIsExplained() {
        RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withUsedPctMax(0.8, 0.9), PLUS, PLUS2);
        RouteQuery turn = conversation(Api.RESPONSES, "s1");
        f.router.onSuccess(PLUS.id(), turn, Optional.empty());
        f.router.onWindows(PLUS.id(), f.windows(0.85, null, 0.1, null, false));
        RoutingPlan plan = f.router.plan(turn);
        assertThat(plan.pinned()).isFalse();
        assertThat(ids(plan)).containsExactly(PLUS2.id());
        assertThat(plan.moved()).isEqualTo(PLUS.id() + ": 5h window at 85% (max 80%)");
        assertThat(skipReason(plan, PLUS.id())).contains("pinned, moving the conversation: 5h window at 85% (max 80%)");
    }
}
