package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.proxygate.testsupport.FakeCredentials.chatgpt;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.query;
import static io.proxygate.application.routing.RouterFixture.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

/** Backoff that heals: episodes instead of attempts, decay, a cap, one probe, and operator resets. */
class BackoffEpisodesTest {
    private static final ChatGptAccount A = chatgpt("a@example.com", PlanType.PLUS);
    private static final ChatGptAccount B = chatgpt("b@example.com", PlanType.PLUS);
    private final RouterFixture f = new RouterFixture(A, B);

    private Optional<Instant> cooldown(CredentialId id) {
        return f.router.statuses().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().cooldownUntil();
    }

    @Test
    void concurrentFailuresOfOneOutageCountAsOneEpisode() {
        Instant started = f.clock.instant();
        f.clock.advance(Duration.ofMillis(300));
        // Eight requests started together; all fail within a few milliseconds of each other.
        for (int i = 0; i < 8; i++) {
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), started);
            f.clock.advance(Duration.ofMillis(5));
        }
        assertThat(cooldown(A.id())).contains(started.plusMillis(300).plus(Backoff.BASE));
        assertThat(skipReason(f.plan(Api.RESPONSES), A.id()).orElseThrow()).endsWith("(failure 1 in a row)");
    }

    @Test
    void aStormOfAnyLengthRestsTheCredentialAtMostTheCap() {
        for (int i = 0; i < 40; i++) {
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(503), f.clock.instant());
            f.clock.set(cooldown(A.id()).orElseThrow());
        }
        Instant last = f.clock.instant();
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(503), last);
        assertThat(cooldown(A.id())).contains(last.plus(Backoff.MAX));
    }

    @Test
    void quietTimeFadesTheStreak() {
        for (int i = 0; i < 8; i++) {
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
            f.clock.set(cooldown(A.id()).orElseThrow());
        }
        // An hour of quiet later, one 500 is a first failure again, not a two-minute rest.
        f.clock.advance(Duration.ofHours(1));
        Instant t = f.clock.instant();
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), t);
        assertThat(cooldown(A.id())).contains(t.plus(Backoff.BASE));
    }

    @Test
    void onlyOneProbeGoesThroughWhenTheBackoffExpires() {
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
        Lease probe = f.router.begin(A.id());
        RoutingPlan during = f.plan(Api.RESPONSES);
        assertThat(ids(during)).containsExactly(B.id());
        assertThat(skipReason(during, A.id())).contains("backoff over: one probe request in flight");
        assertThat(f.router.nearestCooldown(Api.RESPONSES)).isPresent();
        f.router.onAnswered(A.id());
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
        probe.close();
        // The streak ended with the answer: the next request is no probe.
        Lease next = f.router.begin(A.id());
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
        next.close();
    }

    @Test
    void aProbeThatIsCancelledFreesTheCredential() {
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
        f.clock.advance(Duration.ofSeconds(2));
        f.router.begin(A.id()).close();
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
    }

    @Test
    void clearingEndsCooldownAndStreak() {
        for (int i = 0; i < 6; i++) {
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
            f.clock.advance(Duration.ofMillis(1));
        }
        assertThat(f.router.clearCooldown(A.id())).isTrue();
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
        Instant t = f.clock.instant();
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), t);
        assertThat(cooldown(A.id())).contains(t.plus(Backoff.BASE));
        assertThat(f.router.clearCooldown(B.id())).isFalse();
        // The reset is saved: a restart does not bring the old streak back.
        f.router.clearCooldown(A.id());
        f.restart();
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
    }

    @Test
    void disableAndEnableClearTheCooldown() {
        f.router.onFailure(A.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(20)));
        for (int i = 0; i < 5; i++) {
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
            f.clock.advance(Duration.ofMillis(1));
        }
        f.pool.setDisabled(f.pool.findByLabel(A.label()).orElseThrow(), true);
        f.pool.setDisabled(f.pool.findByLabel(A.label()).orElseThrow(), false);
        assertThat(ids(f.plan(Api.RESPONSES))).contains(A.id());
        assertThat(cooldown(A.id())).isEmpty();
    }

    @Test
    void aSuccessfulAnswerResetsTheStreak() {
        List<Instant> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(f.clock.instant());
            f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), f.clock.instant());
            f.clock.set(cooldown(A.id()).orElseThrow());
        }
        f.router.onAnswered(A.id());
        f.router.onSuccess(A.id(), query(Api.RESPONSES), Optional.empty());
        Instant t = f.clock.instant();
        f.router.onFailure(A.id(), new AttemptFailure.ServerError(500), t);
        assertThat(cooldown(A.id())).contains(t.plus(Backoff.BASE));
    }
}
