package io.proxygate.application.routing;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.testsupport.FakeCredentials;
import io.proxygate.testsupport.MutableClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.proxygate.application.routing.RouterFixture.T0;
import static io.proxygate.application.routing.RouterFixture.conversation;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.query;
import static io.proxygate.application.routing.RouterFixture.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

/** Two router instances sharing one state store and one pin store, as two servers on one PostgreSQL database. */
class SharedRoutingStateTest {
    private static final ChatGptAccount ALPHA = FakeCredentials.chatgpt("alpha@example.com", PlanType.PRO);
    private static final ChatGptAccount BETA = FakeCredentials.chatgpt("beta@example.com", PlanType.PLUS);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    private final InMemoryStateStore states = new InMemoryStateStore();
    private final InMemoryPinStore pins = new InMemoryPinStore();
    private final RoutingService first;
    private final RoutingService second;

    SharedRoutingStateTest() {
        directory.add(ALPHA);
        directory.add(BETA);
        first = instance();
        second = instance();
    }

    private RoutingService instance() {
        CredentialPool pool = new CredentialPool(directory);
        pool.reload();
        return new RoutingService(pool, states, pins, RoutingSettings.DEFAULTS, clock);
    }

    @Nested
    class StateSync {
        @Test
        void aCooldownOneInstanceSetReachesTheOtherOnItsNextSync() {
            first.onFailure(ALPHA.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(2)));
            assertThat(ids(second.plan(query(Api.RESPONSES)))).contains(ALPHA.id());

            int changed = second.syncShared();

            assertThat(changed).isEqualTo(1);
            RoutingPlan plan = second.plan(query(Api.RESPONSES));
            assertThat(ids(plan)).containsExactly(BETA.id());
            assertThat(skipReason(plan, ALPHA.id())).hasValueSatisfying(r -> assertThat(r).contains("429"));
        }

        @Test
        void syncingNeverShortensALocalCooldownNorSavesAnything() {
            second.onFailure(ALPHA.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(10)));
            int saves = states.saves.get();

            second.absorb(List.of(new CredentialStateRecord(ALPHA.id(), Optional.of(T0.plusSeconds(30)),
                    Optional.of("429"), Optional.empty(), 0, Optional.empty(), Optional.empty())));
            clock.advance(Duration.ofMinutes(1));

            assertThat(ids(second.plan(query(Api.RESPONSES)))).containsExactly(BETA.id());
            assertThat(states.saves.get()).isEqualTo(saves);
        }

        @Test
        void aNeedsLoginMarkTravelsAndSoDoesItsClearing() {
            first.onFailure(ALPHA.id(), new AttemptFailure.NeedsLogin("auth_unauthorized"));
            second.syncShared();
            assertThat(skipReason(second.plan(query(Api.RESPONSES)), ALPHA.id()))
                    .hasValueSatisfying(r -> assertThat(r).contains("needs login"));

            clock.advance(Duration.ofSeconds(5));
            first.onTokensRenewed(ALPHA.id());
            second.syncShared();

            assertThat(ids(second.plan(query(Api.RESPONSES)))).contains(ALPHA.id());
        }

        @Test
        void aMarkOlderThanOurOwnRenewalDoesNotComeBack() {
            Instant markedAt = clock.instant();
            clock.advance(Duration.ofSeconds(5));
            second.onTokensRenewed(ALPHA.id());

            second.absorb(List.of(new CredentialStateRecord(ALPHA.id(), Optional.empty(), Optional.empty(),
                    Optional.of("auth_unauthorized"), 0, Optional.empty(), Optional.empty(), Optional.of(markedAt))));

            assertThat(ids(second.plan(query(Api.RESPONSES)))).contains(ALPHA.id());
        }

        @Test
        void newerUsageWindowsAreTakenAndOlderOnesIgnored() {
            first.onWindows(ALPHA.id(), new RouterFixture(ALPHA).windows(1.0, Duration.ofHours(2), 0.5, null, true));
            second.syncShared();
            assertThat(skipReason(second.plan(query(Api.RESPONSES)), ALPHA.id())).isPresent();

            clock.advance(Duration.ofMinutes(1));
            second.onWindows(ALPHA.id(), new RouterFixture(ALPHA).windows(0.1, 0.1));
            second.absorb(states.loadAll().values());

            assertThat(ids(second.plan(query(Api.RESPONSES)))).contains(ALPHA.id());
        }
    }

    @Nested
    class Pins {
        private final RouteQuery chat = conversation(Api.RESPONSES, "s-1");

        @Test
        void aConversationPinnedByOneInstanceIsRoutedToTheSameAccountByTheOther() {
            first.onSuccess(BETA.id(), chat, Optional.empty());

            RoutingPlan plan = second.plan(chat);

            assertThat(plan.pinned()).isTrue();
            assertThat(ids(plan).get(0)).isEqualTo(BETA.id());
        }

        @Test
        void aPreviousResponsePinnedByOneInstanceIsFollowedByTheOther() {
            first.onSuccess(BETA.id(), query(Api.RESPONSES), Optional.of("resp_fake_1"));

            RoutingPlan plan = second.plan(RouterFixture.previousResponse(Api.RESPONSES, "resp_fake_1"));

            assertThat(plan.pinned()).isTrue();
            assertThat(ids(plan).get(0)).isEqualTo(BETA.id());
        }

        @Test
        void aPinMovedElsewhereIsFollowedOnceTheLocalCacheTimeHasPassed() {
            first.onSuccess(BETA.id(), chat, Optional.empty());
            assertThat(ids(second.plan(chat)).get(0)).isEqualTo(BETA.id());

            first.onSuccess(ALPHA.id(), chat, Optional.empty());
            assertThat(ids(second.plan(chat)).get(0)).as("within the cache time").isEqualTo(BETA.id());

            clock.advance(SharedPins.DEFAULT_CACHE_TIME);
            assertThat(ids(second.plan(chat)).get(0)).isEqualTo(ALPHA.id());
        }

        @Test
        void aPinThatStaysIsRewrittenOnlyNowAndThen() {
            for (int i = 0; i < 30; i++) {
                first.onSuccess(BETA.id(), chat, Optional.empty());
                clock.advance(Duration.ofSeconds(1));
            }
            assertThat(pins.writes.get()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(1));
            first.onSuccess(BETA.id(), chat, Optional.empty());
            assertThat(pins.writes.get()).isEqualTo(2);
        }

        @Test
        void aPinIdleLongerThanItsTimeToLiveIsGoneEverywhereAndSweptFromTheStore() {
            first.onSuccess(BETA.id(), chat, Optional.empty());
            clock.advance(RoutingSettings.DEFAULTS.pinTtl());

            assertThat(second.plan(chat).pinned()).isFalse();
            assertThat(first.plan(chat).pinned()).isFalse();
            assertThat(first.sweepPins()).isEqualTo(1);
            assertThat(pins.size()).isZero();
        }

        @Test
        void routingGoesOnWithWhatTheCacheKnowsWhenTheStoreFails() {
            first.onSuccess(BETA.id(), chat, Optional.empty());
            pins.failing = true;
            clock.advance(Duration.ofSeconds(30));

            assertThat(ids(first.plan(chat)).get(0)).isEqualTo(BETA.id());
            first.onSuccess(ALPHA.id(), conversation(Api.RESPONSES, "s-2"), Optional.empty());
            assertThat(second.plan(conversation(Api.RESPONSES, "s-2")).pinned()).isFalse();
            assertThat(first.sweepPins()).isZero();
        }

        @Test
        void requestsWithoutAConversationNeverTouchTheStore() {
            first.plan(query(Api.RESPONSES));
            first.onSuccess(ALPHA.id(), query(Api.RESPONSES), Optional.empty());

            assertThat(pins.reads.get() + pins.writes.get()).isZero();
        }
    }

    @Test
    void theKeyOfAPinIsTheConversationNotTheInstance() {
        first.onSuccess(BETA.id(), conversation(Api.RESPONSES, "s-9"), Optional.empty());

        assertThat(pins.find(ConversationKey.session("s-9"), T0)).contains(BETA.id());
        assertThat(pins.find(ConversationKey.session("s-9"), T0).map(CredentialId::value))
                .contains("chatgpt:beta@example.com");
    }
}
