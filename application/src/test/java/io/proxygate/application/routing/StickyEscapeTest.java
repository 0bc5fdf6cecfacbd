package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static io.proxygate.testsupport.FakeCredentials.chatgpt;
import static io.proxygate.application.routing.RouterFixture.conversation;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.query;
import static org.assertj.core.api.Assertions.assertThat;

/** Pinned conversations leave a slow or failing credential when nothing binds them to it. */
class StickyEscapeTest {
    private static final ChatGptAccount PRO = chatgpt("pro@example.com", PlanType.PRO);
    private static final ChatGptAccount PLUS = chatgpt("plus@example.com", PlanType.PLUS);
    private static final ChatGptAccount PLUS2 = chatgpt("plus2@example.com", PlanType.PLUS);

    private final RouterFixture f = new RouterFixture(PRO, PLUS);
    private final RouteQuery turn = conversation(Api.RESPONSES, "s1");

    /** Pins the conversation (and response r1) to PLUS, which the scores alone would not pick. */
    private void pinToPlus() {
        f.router.onSuccess(PLUS.id(), turn, Optional.of("r1"));
        assertThat(f.router.plan(turn).pinned()).isTrue();
        assertThat(ids(f.router.plan(turn)).get(0)).isEqualTo(PLUS.id());
    }

    @Test
    void aSlowPinnedAccountIsLeftByAFreshTurnAndOfferedLast() {
        pinToPlus();
        f.router.onFirstByte(PLUS.id(), Duration.ofSeconds(20));

        RoutingPlan plan = f.router.plan(turn);
        assertThat(plan.pinned()).isFalse();
        assertThat(ids(plan)).containsExactly(PRO.id(), PLUS.id());
        assertThat(plan.moved()).isEqualTo(PLUS.id() + ": TTFT average 20.0 s over 15.0 s"
                + " (TTFT avg 20.0 s, error rate 0.00)");
        assertThat(plan.candidates().get(1).why()).startsWith("pinned, moving the conversation (TTFT average");
    }

    @Test
    void aTurnBoundToTheAccountStaysWhateverItsSpeed() {
        pinToPlus();
        f.router.onFirstByte(PLUS.id(), Duration.ofSeconds(20));
        RouteQuery continued = new RouteQuery(Api.RESPONSES, "gpt-5", Optional.of(ConversationKey.session("s1")),
                Optional.of("r1"));
        RoutingPlan plan = f.router.plan(continued);
        assertThat(plan.pinned()).isTrue();
        assertThat(ids(plan).get(0)).isEqualTo(PLUS.id());
        assertThat(plan.moved()).isNull();

        RouteQuery encrypted = new RouteQuery(Api.RESPONSES, "gpt-5", Optional.of(ConversationKey.session("s1")),
                Optional.empty(), true);
        assertThat(f.router.plan(encrypted).pinned()).isTrue();
    }

    @Test
    void aFailingPinnedAccountIsLeftOnceItsErrorRatePassesTheBound() {
        pinToPlus();
        for (int i = 0; i < 3; i++) {
            f.router.onStreamFailed(PLUS.id());
        }
        assertThat(f.router.plan(turn).pinned()).as("error rate 0.49").isTrue();
        f.router.onStreamFailed(PLUS.id());
        RoutingPlan plan = f.router.plan(turn);
        assertThat(plan.pinned()).isFalse();
        assertThat(plan.moved()).contains("error rate 0.59 over 0.50");
    }

    @Test
    void theSuccessOfTheNewAccountMovesThePin() {
        pinToPlus();
        f.router.onFirstByte(PLUS.id(), Duration.ofSeconds(20));
        f.router.onSuccess(PRO.id(), turn, Optional.of("r2"));
        RoutingPlan plan = f.router.plan(turn);
        assertThat(plan.pinned()).isTrue();
        assertThat(ids(plan).get(0)).isEqualTo(PRO.id());
    }

    @Test
    void theBoundsAreConfigurableAndZeroTurnsThemOff() {
        RouterFixture off = new RouterFixture(RoutingSettings.DEFAULTS.withSticky(Duration.ZERO, 0), PRO, PLUS);
        off.router.onSuccess(PLUS.id(), turn, Optional.empty());
        off.router.onFirstByte(PLUS.id(), Duration.ofMinutes(2));
        for (int i = 0; i < 10; i++) {
            off.router.onStreamFailed(PLUS.id());
        }
        assertThat(off.router.plan(turn).pinned()).isTrue();

        RouterFixture tight = new RouterFixture(RoutingSettings.DEFAULTS.withSticky(Duration.ofSeconds(2), 0.5),
                PRO, PLUS);
        tight.router.onSuccess(PLUS.id(), turn, Optional.empty());
        tight.router.onFirstByte(PLUS.id(), Duration.ofSeconds(3));
        assertThat(tight.router.plan(turn).pinned()).isFalse();
    }

    @Test
    void unpinnedPicksPreferTheFasterOfTwoEqualAccounts() {
        RouterFixture twins = new RouterFixture(PLUS, PLUS2);
        var first = ids(twins.plan(Api.RESPONSES)).get(0);
        var second = first.equals(PLUS.id()) ? PLUS2.id() : PLUS.id();
        twins.router.onFirstByte(first, Duration.ofSeconds(4));
        twins.router.onFirstByte(second, Duration.ofSeconds(1));
        assertThat(ids(twins.plan(Api.RESPONSES))).containsExactly(second, first);
        twins.router.onStreamFailed(second);
        assertThat(ids(twins.plan(Api.RESPONSES))).as("a lower error rate before speed")
                .containsExactly(first, second);
    }

    @Test
    void healthNeverOverridesHeadroom() {
        RouterFixture mixed = new RouterFixture(PRO, PLUS);
        mixed.router.onFirstByte(PRO.id(), Duration.ofSeconds(10));
        mixed.router.onFirstByte(PLUS.id(), Duration.ofMillis(100));
        assertThat(ids(mixed.plan(Api.RESPONSES))).containsExactly(PRO.id(), PLUS.id());
    }

    @Test
    void theRouterDescribesTheAverages() {
        f.router.onFirstByte(PRO.id(), Duration.ofMillis(1500));
        assertThat(f.router.health(PRO.id())).contains("TTFT avg 1.5 s, error rate 0.00");
        assertThat(f.router.plan(query(Api.RESPONSES)).moved()).isNull();
    }
}
