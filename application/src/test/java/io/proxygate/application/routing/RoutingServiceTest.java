package io.proxygate.application.routing;

import io.proxygate.application.pool.PoolEntry;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.RoutingPriority;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.testsupport.FakeCredentials;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.proxygate.testsupport.FakeCredentials.chatgpt;
import static io.proxygate.testsupport.FakeCredentials.claude;
import static io.proxygate.testsupport.FakeCredentials.key;
import static io.proxygate.application.routing.RouterFixture.conversation;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.previousResponse;
import static io.proxygate.application.routing.RouterFixture.query;
import static io.proxygate.application.routing.RouterFixture.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

class RoutingServiceTest {
    private static final ChatGptAccount PRO = chatgpt("pro@example.com", PlanType.PRO);
    private static final ChatGptAccount PLUS = chatgpt("plus@example.com", PlanType.PLUS);
    private static final ChatGptAccount PLUS2 = chatgpt("plus2@example.com", PlanType.PLUS);
    private static final ClaudeAccount CLAUDE = claude("c1@example.com");
    private static final ClaudeAccount CLAUDE2 = claude("c2@example.com");
    private static final Credential OPENAI = key("openai-1", ApiKeyType.OPENAI);
    private static final Credential AZURE = key("azure-1", ApiKeyType.AZURE_OPENAI);
    private static final Credential ANTHROPIC = key("anthropic-1", ApiKeyType.ANTHROPIC);
    private static final Credential GEMINI = key("gemini-1", ApiKeyType.GEMINI);

    private static CredentialStatus status(RouterFixture f, CredentialId id) {
        return f.router.statuses().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Nested
    class Eligibility {
        private final RouterFixture f = new RouterFixture(PRO, CLAUDE, OPENAI, AZURE, ANTHROPIC, GEMINI);

        @ParameterizedTest(name = "{0}")
        @EnumSource(Api.class)
        void eachApiIsServedOnlyByTheCredentialsThatSpeakIt(Api api) {
            Set<CredentialId> expected = switch (api) {
                case RESPONSES -> Set.of(PRO.id(), OPENAI.id(), AZURE.id());
                case MESSAGES -> Set.of(CLAUDE.id(), ANTHROPIC.id());
                case CHAT_COMPLETIONS -> Set.of(OPENAI.id(), AZURE.id());
            };
            assertThat(Set.copyOf(ids(f.plan(api)))).isEqualTo(expected);
        }

        @Test
        void keyTypesThatAreNeverRoutedAreListedAsSkipped() {
            assertThat(skipReason(f.plan(Api.RESPONSES), GEMINI.id())).contains("unsupported key type: gemini");
        }

        @Test
        void disabledCredentialsAreSkipped() {
            f.pool.setDisabled(f.pool.snapshot().entry(PRO.id()).orElseThrow(), true);
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).doesNotContain(PRO.id());
            assertThat(skipReason(plan, PRO.id())).contains("disabled");
        }

        @Test
        void aRateLimitedCredentialCoolsDownForTheGivenTime() {
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(90)));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).doesNotContain(PRO.id());
            assertThat(skipReason(plan, PRO.id())).contains("cooling down until 2026-11-26T12:01:30Z, 429");
            f.clock.advance(Duration.ofSeconds(89));
            assertThat(ids(f.plan(Api.RESPONSES))).doesNotContain(PRO.id());
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(ids(f.plan(Api.RESPONSES))).contains(PRO.id());
        }

        @Test
        void aRateLimitWithoutDurationUsesTheDefaultCooldown() {
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ZERO));
            f.clock.advance(Duration.ofSeconds(59));
            assertThat(ids(f.plan(Api.RESPONSES))).doesNotContain(PRO.id());
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(ids(f.plan(Api.RESPONSES))).contains(PRO.id());
        }

        @Test
        void aShorterCooldownDoesNotCutALongerOneShort() {
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(10)));
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(5)));
            f.clock.advance(Duration.ofMinutes(5));
            assertThat(ids(f.plan(Api.RESPONSES))).doesNotContain(PRO.id());
        }

        @Test
        void needsLoginHoldsUntilTheTokensAreRenewed() {
            f.router.onFailure(CLAUDE.id(), new AttemptFailure.NeedsLogin("refresh_token_expired"));
            f.clock.advance(Duration.ofDays(3));
            RoutingPlan plan = f.plan(Api.MESSAGES);
            assertThat(ids(plan)).containsExactly(ANTHROPIC.id());
            assertThat(skipReason(plan, CLAUDE.id())).contains("needs login: refresh_token_expired");
            f.router.onTokensRenewed(CLAUDE.id());
            assertThat(ids(f.plan(Api.MESSAGES))).containsExactly(CLAUDE.id(), ANTHROPIC.id());
        }

        @Test
        void aNewAccessTokenInThePoolFileClearsNeedsLogin() {
            f.router.onFailure(PRO.id(), new AttemptFailure.NeedsLogin("auth_unauthorized"));
            PoolEntry entry = f.pool.snapshot().entry(PRO.id()).orElseThrow();
            f.pool.update(entry, PRO.withTokens(FakeCredentials.tokens("fake-access-token-after-login")));
            assertThat(ids(f.plan(Api.RESPONSES))).contains(PRO.id());
            assertThat(f.router.statuses()).filteredOn(s -> s.id().equals(PRO.id()))
                    .singleElement().satisfies(s -> assertThat(s.needsLoginReason()).isEmpty());
        }

        @Test
        void aFileEditThatKeepsTheTokenDoesNotClearNeedsLogin() {
            f.router.onFailure(PRO.id(), new AttemptFailure.NeedsLogin("auth_unauthorized"));
            PoolEntry entry = f.pool.snapshot().entry(PRO.id()).orElseThrow();
            f.pool.update(entry, new ChatGptAccount(PRO.email(), "acct-new", PlanType.PRO, PRO.tokens(),
                    Optional.empty(), false));
            assertThat(ids(f.plan(Api.RESPONSES))).doesNotContain(PRO.id());
        }

        @Test
        void aSpentFiveHourWindowExcludesUntilItResets() {
            f.router.onWindows(PRO.id(), f.windows(1.0, Duration.ofMinutes(30), 0.4, Duration.ofDays(2), false));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(skipReason(plan, PRO.id())).contains("5h window exhausted until 2026-11-26T12:30:00Z");
            f.clock.advance(Duration.ofMinutes(30));
            assertThat(ids(f.plan(Api.RESPONSES)).get(0)).isEqualTo(PRO.id());
        }

        @Test
        void limitReachedExcludesUntilTheSpentWindowResets() {
            f.router.onWindows(PRO.id(), f.windows(0.2, Duration.ofHours(1), 0.98, Duration.ofDays(2), true));
            assertThat(skipReason(f.plan(Api.RESPONSES), PRO.id()))
                    .contains("usage limit reached until 2026-11-28T12:00:00Z");
            f.clock.advance(Duration.ofDays(2));
            assertThat(ids(f.plan(Api.RESPONSES))).contains(PRO.id());
        }

        @Test
        void aNewerObservationLiftsTheExclusion() {
            f.router.onWindows(PRO.id(), f.windows(1.0, Duration.ofHours(3), 0.4, null, false));
            f.clock.advance(Duration.ofMinutes(1));
            f.router.onWindows(PRO.id(), f.windows(0.3, Duration.ofHours(5), 0.4, null, false));
            assertThat(ids(f.plan(Api.RESPONSES))).contains(PRO.id());
        }

        @Test
        void anObservationOlderThanTheKnownOneIsIgnored() {
            var older = f.windows(0.1, 0.1);
            f.clock.advance(Duration.ofMinutes(1));
            f.router.onWindows(PRO.id(), f.windows(1.0, Duration.ofHours(3), 0.4, null, false));
            f.router.onWindows(PRO.id(), older);
            assertThat(ids(f.plan(Api.RESPONSES))).doesNotContain(PRO.id());
        }

        @Test
        void usageCapsExcludeChatGptAccounts() {
            RouterFixture capped = new RouterFixture(RoutingSettings.DEFAULTS.withUsedPctMax(0.95, 0.99), PRO, PLUS);
            capped.router.onWindows(PRO.id(), capped.windows(0.96, 0.2));
            capped.router.onWindows(PLUS.id(), capped.windows(0.2, 0.99));
            RoutingPlan plan = capped.plan(Api.RESPONSES);
            assertThat(plan.candidates()).isEmpty();
            assertThat(skipReason(plan, PRO.id())).contains("5h window at 96% (max 95%)");
            assertThat(skipReason(plan, PLUS.id())).contains("weekly window at 99% (max 99%)");
        }
    }

    @Nested
    class Failures {
        private final RouterFixture f = new RouterFixture(PRO, OPENAI);

        @ParameterizedTest(name = "failure {0} cools down for {1} s")
        @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "5, 16", "12, 120"})
        void serverErrorsBackOffExponentially(int failures, long seconds) {
            for (int i = 0; i < failures; i++) {
                f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(502));
            }
            assertThat(status(f, PRO.id()).cooldownUntil())
                    .contains(RouterFixture.T0.plusSeconds(seconds));
            assertThat(skipReason(f.plan(Api.RESPONSES), PRO.id()).orElseThrow())
                    .endsWith("HTTP 502 (failure " + failures + " in a row)");
        }

        @Test
        void unreachableBacksOffLikeServerErrors() {
            f.router.onFailure(PRO.id(), new AttemptFailure.Unreachable("connection refused"));
            f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(503));
            assertThat(status(f, PRO.id()).cooldownUntil()).contains(RouterFixture.T0.plusSeconds(2));
            assertThat(status(f, PRO.id()).cooldownReason()).contains("HTTP 503 (failure 2 in a row)");
        }

        @Test
        void aSuccessResetsTheStreak() {
            f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(500));
            f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(500));
            f.clock.advance(Duration.ofSeconds(3));
            f.router.onSuccess(PRO.id(), query(Api.RESPONSES), Optional.empty());
            f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(500));
            assertThat(status(f, PRO.id()).cooldownUntil())
                    .contains(RouterFixture.T0.plusSeconds(3 + 1));
        }
    }

    @Nested
    class Priority {
        @Test
        void accountFirstOffersAccountsBeforeKeys() {
            RouterFixture f = new RouterFixture(OPENAI, PRO, PLUS);
            assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PRO.id(), PLUS.id(), OPENAI.id());
        }

        @Test
        void apiKeyFirstOffersKeysBeforeAccounts() {
            RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withPriority(RoutingPriority.APIKEY_FIRST),
                    CLAUDE, ANTHROPIC);
            assertThat(ids(f.plan(Api.MESSAGES))).containsExactly(ANTHROPIC.id(), CLAUDE.id());
        }

        @Test
        void keysStillServeWhenEveryAccountIsCooling() {
            RouterFixture f = new RouterFixture(PRO, OPENAI);
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(1)));
            assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(OPENAI.id());
        }

        @Test
        void atMostTheConfiguredNumberOfCandidatesPerFamily() {
            Credential[] pool = new Credential[12];
            for (int i = 0; i < 8; i++) {
                pool[i] = chatgpt("a" + i + "@example.com", PlanType.PLUS);
            }
            for (int i = 0; i < 4; i++) {
                pool[8 + i] = key("k" + i, ApiKeyType.OPENAI);
            }
            RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withCandidatesPerKind(3), pool);
            List<Credential> offered = f.plan(Api.RESPONSES).candidates().stream()
                    .map(RoutingPlan.Candidate::credential).toList();
            assertThat(offered).hasSize(6);
            assertThat(offered.subList(0, 3)).allMatch(c -> c.kind().isAccount());
            assertThat(offered.subList(3, 6)).noneMatch(c -> c.kind().isAccount());
        }
    }

    @Nested
    class Ranking {
        @Test
        void proBeatsPlus() {
            RouterFixture f = new RouterFixture(PLUS, PRO);
            assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PRO.id(), PLUS.id());
        }

        @Test
        void lessWeeklyUseWins() {
            RouterFixture f = new RouterFixture(PLUS, PLUS2);
            f.router.onWindows(PLUS.id(), f.windows(0.1, 0.80));
            f.router.onWindows(PLUS2.id(), f.windows(0.1, 0.10));
            assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PLUS2.id(), PLUS.id());
        }

        @Test
        void picksTheAccountWhoseHeadroomResetsSoonest() {
            RouterFixture f = new RouterFixture(PLUS, PLUS2);
            f.router.onWindows(PLUS.id(), f.windows(0.1, null, 0.25, Duration.ofHours(160), false));
            f.router.onWindows(PLUS2.id(), f.windows(0.1, null, 0.40, Duration.ofHours(42), false));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).containsExactly(PLUS2.id(), PLUS.id());
            assertThat(plan.candidates().get(0).score()).isCloseTo(5.915, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(plan.candidates().get(0).why()).isEqualTo(
                    "plus 5 + weekly 0.83 (60% left, resets in 1d18h, use it or lose it x1.38) + 5h 0.09 (90% left) = 5.92");
        }

        @Test
        void anAccountAtNinetyPercentRanksBelowAnyHealthyOne() {
            ChatGptAccount free = chatgpt("free@example.com", PlanType.FREE);
            RouterFixture f = new RouterFixture(PRO, free);
            f.router.onWindows(PRO.id(), f.windows(0.2, 0.92));
            f.router.onWindows(free.id(), f.windows(0.5, 0.5));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).containsExactly(free.id(), PRO.id());
            assertThat(plan.candidates().get(1).why()).startsWith("hot (weekly 92% used)");
        }

        @Test
        void anOfferCarriesTheCredentialAsItIsNowEvenWithinTheSameSecond() {
            RouterFixture f = new RouterFixture(PRO, PLUS);
            RoutingPlan.Candidate before = f.plan(Api.RESPONSES).candidates().get(0);
            PoolEntry entry = f.pool.snapshot().entry(PRO.id()).orElseThrow();
            ChatGptAccount refreshed = PRO.withTokens(FakeCredentials.tokens("fake-access-token-refreshed"));
            f.pool.update(entry, refreshed);
            RoutingPlan.Candidate after = f.plan(Api.RESPONSES).candidates().get(0);
            assertThat(before.credential()).isEqualTo(PRO);
            assertThat(after.credential()).isEqualTo(refreshed);
            RoutingPlan pinnedPlan = f.router.plan(conversation(Api.RESPONSES, "s"));
            f.router.onSuccess(PRO.id(), conversation(Api.RESPONSES, "s"), Optional.empty());
            assertThat(f.router.plan(conversation(Api.RESPONSES, "s")).candidates().get(0).credential())
                    .isEqualTo(refreshed);
            assertThat(pinnedPlan.pinned()).isFalse();
        }

        @Test
        void twoEqualLeasesGoToDifferentAccounts() {
            RouterFixture f = new RouterFixture(PLUS, PLUS2);
            CredentialId first = ids(f.plan(Api.RESPONSES)).get(0);
            try (Lease lease = f.router.begin(first)) {
                CredentialId second = ids(f.plan(Api.RESPONSES)).get(0);
                assertThat(second).isNotEqualTo(first);
            }
            assertThat(ids(f.plan(Api.RESPONSES)).get(0)).isEqualTo(first);
        }

        @Test
        void successesBetweenPollsWearTheFiveHourWindowDown() {
            RouterFixture f = new RouterFixture(PLUS, PLUS2);
            f.router.onWindows(PLUS.id(), f.windows(0.50, 0.3));
            f.router.onWindows(PLUS2.id(), f.windows(0.52, 0.3));
            assertThat(ids(f.plan(Api.RESPONSES)).get(0)).isEqualTo(PLUS.id());
            f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.empty());
            assertThat(ids(f.plan(Api.RESPONSES)).get(0)).isEqualTo(PLUS2.id());
            // a fresh observation replaces the estimate
            f.router.onWindows(PLUS.id(), f.windows(0.50, 0.3));
            assertThat(ids(f.plan(Api.RESPONSES)).get(0)).isEqualTo(PLUS.id());
        }

        @Test
        void claudeAccountsWithFreshUsageAreScoredOnIt() {
            RouterFixture f = new RouterFixture(CLAUDE, CLAUDE2);
            f.router.onWindows(CLAUDE.id(), f.windows(0.7, 0.7));
            f.router.onWindows(CLAUDE2.id(), f.windows(0.1, 0.1));
            f.router.onUsage(CLAUDE2.id(), new TokenUsage(900_000, 0, 0, 100_000, 0));
            assertThat(ids(f.plan(Api.MESSAGES))).containsExactly(CLAUDE2.id(), CLAUDE.id());
        }

        @Test
        void claudeAccountsWithStaleUsageGoToTheLeastLoaded() {
            RouterFixture f = new RouterFixture(CLAUDE, CLAUDE2);
            f.router.onWindows(CLAUDE.id(), f.windows(0.7, 0.7));
            f.router.onWindows(CLAUDE2.id(), f.windows(0.1, 0.1));
            f.router.onUsage(CLAUDE2.id(), new TokenUsage(900_000, 0, 0, 100_000, 0));
            f.clock.advance(Duration.ofMinutes(16));
            RoutingPlan plan = f.plan(Api.MESSAGES);
            assertThat(ids(plan)).containsExactly(CLAUDE.id(), CLAUDE2.id());
            assertThat(plan.candidates().get(0).why()).startsWith("usage data older than 15m; by load: load 0 tokens");
        }

        @Test
        void measuredClaudeAccountsComeBeforeUnmeasuredOnes() {
            RouterFixture f = new RouterFixture(CLAUDE, CLAUDE2);
            f.router.onWindows(CLAUDE2.id(), f.windows(0.6, 0.6));
            f.router.onUsage(CLAUDE2.id(), new TokenUsage(1_000_000, 0, 0, 0, 0));
            assertThat(ids(f.plan(Api.MESSAGES))).containsExactly(CLAUDE2.id(), CLAUDE.id());
        }

        @Test
        void keysGoToTheLeastLoadedCountingRequestsInFlight() {
            Credential k1 = key("k1", ApiKeyType.OPENAI);
            Credential k2 = key("k2", ApiKeyType.OPENAI);
            RouterFixture f = new RouterFixture(k1, k2);
            f.router.onUsage(k1.id(), new TokenUsage(1000, 0, 0, 0, 0));
            f.router.onUsage(k2.id(), new TokenUsage(800, 0, 0, 0, 0));
            assertThat(ids(f.plan(Api.CHAT_COMPLETIONS))).containsExactly(k2.id(), k1.id());
            try (Lease lease = f.router.begin(k2.id())) {
                assertThat(ids(f.plan(Api.CHAT_COMPLETIONS))).containsExactly(k1.id(), k2.id());
            }
        }
    }

    @Nested
    class Pins {
        private final RouterFixture f = new RouterFixture(PRO, PLUS, OPENAI);

        @Test
        void aPinHoldsAcrossLeases() {
            RouteQuery query = conversation(Api.RESPONSES, "s-1");
            f.router.onSuccess(PLUS.id(), query, Optional.empty());
            for (int i = 0; i < 3; i++) {
                RoutingPlan plan = f.router.plan(query);
                assertThat(plan.pinned()).isTrue();
                assertThat(ids(plan)).containsExactly(PLUS.id(), PRO.id(), OPENAI.id());
                assertThat(plan.candidates().get(0).why()).startsWith("pinned to this conversation; plus 5");
                f.router.begin(PLUS.id()).close();
                f.router.onSuccess(PLUS.id(), query, Optional.empty());
            }
        }

        @Test
        void anUnpinnedConversationIsRankedNormally() {
            RoutingPlan plan = f.router.plan(conversation(Api.RESPONSES, "s-new"));
            assertThat(plan.pinned()).isFalse();
            assertThat(ids(plan).get(0)).isEqualTo(PRO.id());
        }

        @Test
        void thePinMovesWhenItsCredentialIsIneligible() {
            RouteQuery query = conversation(Api.RESPONSES, "s-1");
            f.router.onSuccess(PLUS.id(), query, Optional.empty());
            f.router.onFailure(PLUS.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(5)));
            RoutingPlan plan = f.router.plan(query);
            assertThat(plan.pinned()).isFalse();
            assertThat(ids(plan)).containsExactly(PRO.id(), OPENAI.id());
            assertThat(skipReason(plan, PLUS.id())).contains(
                    "pinned, moving the conversation: cooling down until 2026-11-26T12:05:00Z, 429");
            f.router.onSuccess(PRO.id(), query, Optional.empty());
            f.clock.advance(Duration.ofMinutes(10));
            RoutingPlan after = f.router.plan(query);
            assertThat(after.pinned()).isTrue();
            assertThat(ids(after).get(0)).isEqualTo(PRO.id());
        }

        @Test
        void aPreviousResponseIdGoesBackToItsAccount() {
            f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.of("resp_abc"));
            RoutingPlan plan = f.router.plan(previousResponse(Api.RESPONSES, "resp_abc"));
            assertThat(plan.pinned()).isTrue();
            assertThat(ids(plan).get(0)).isEqualTo(PLUS.id());
            assertThat(f.router.plan(previousResponse(Api.RESPONSES, "resp_other")).pinned()).isFalse();
        }

        @Test
        void theResponsePinIsUsedWhenTheConversationPinIsIneligible() {
            f.router.onSuccess(PRO.id(), conversation(Api.RESPONSES, "s-1"), Optional.empty());
            f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.of("resp_1"));
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(1)));
            RouteQuery both = new RouteQuery(Api.RESPONSES, "gpt-5",
                    Optional.of(io.proxygate.domain.routing.ConversationKey.session("s-1")), Optional.of("resp_1"));
            RoutingPlan plan = f.router.plan(both);
            assertThat(plan.pinned()).isTrue();
            assertThat(ids(plan).get(0)).isEqualTo(PLUS.id());
        }

        @Test
        void aPinExpiresAfterItsIdleTime() {
            RouteQuery query = conversation(Api.RESPONSES, "s-1");
            f.router.onSuccess(PLUS.id(), query, Optional.empty());
            f.clock.advance(Duration.ofMinutes(59));
            assertThat(f.router.plan(query).pinned()).isTrue();
            f.clock.advance(Duration.ofMinutes(60));
            assertThat(f.router.plan(query).pinned()).isFalse();
        }

        @Test
        void aPinToACredentialOfAnotherApiIsIgnored() {
            RouteQuery messages = conversation(Api.MESSAGES, "s-1");
            f.router.onSuccess(PLUS.id(), messages, Optional.empty());
            RouterFixture mixed = new RouterFixture(PLUS, CLAUDE);
            mixed.router.onSuccess(PLUS.id(), messages, Optional.empty());
            RoutingPlan plan = mixed.router.plan(messages);
            assertThat(plan.pinned()).isFalse();
            assertThat(ids(plan)).containsExactly(CLAUDE.id());
        }
    }

    @Nested
    class Persistence {
        @Test
        void cooldownsSurviveARestart() {
            RouterFixture f = new RouterFixture(PRO, PLUS);
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(20)));
            f.clock.advance(Duration.ofMinutes(1));
            RoutingService restarted = f.restart();
            RoutingPlan plan = restarted.plan(query(Api.RESPONSES));
            assertThat(ids(plan)).containsExactly(PLUS.id());
            assertThat(skipReason(plan, PRO.id())).contains("cooling down until 2026-11-26T12:20:00Z, 429");
            assertThat(restarted.nearestCooldown(Api.RESPONSES)).contains(Duration.ofMinutes(19));
        }

        @Test
        void needsLoginWindowsAndLastUseSurviveARestart() {
            RouterFixture f = new RouterFixture(PRO, PLUS, CLAUDE);
            f.router.onFailure(CLAUDE.id(), new AttemptFailure.NeedsLogin("refresh_token_reused"));
            f.router.onWindows(PRO.id(), f.windows(1.0, Duration.ofHours(2), 0.5, null, false));
            f.router.onSuccess(PLUS.id(), query(Api.RESPONSES), Optional.empty());
            RoutingService restarted = f.restart();
            assertThat(skipReason(restarted.plan(query(Api.MESSAGES)), CLAUDE.id()))
                    .contains("needs login: refresh_token_reused");
            assertThat(skipReason(restarted.plan(query(Api.RESPONSES)), PRO.id()))
                    .contains("5h window exhausted until 2026-11-26T14:00:00Z");
            assertThat(restarted.statuses()).filteredOn(s -> s.id().equals(PLUS.id())).singleElement()
                    .satisfies(s -> assertThat(s.lastUsed()).contains(RouterFixture.T0));
        }

        @Test
        void routingGoesOnWhenTheStateStoreFails() {
            RouterFixture f = new RouterFixture(PRO, PLUS);
            f.store.failing = true;
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofMinutes(1)));
            assertThat(ids(f.plan(Api.RESPONSES))).containsExactly(PLUS.id());
            assertThat(f.store.saves.get()).isEqualTo(1);
        }

        @Test
        void routineUpdatesAreSavedAtMostEveryThirtySeconds() {
            RouterFixture f = new RouterFixture(PRO);
            for (int i = 0; i < 10; i++) {
                f.router.onSuccess(PRO.id(), query(Api.RESPONSES), Optional.empty());
                f.router.onWindows(PRO.id(), f.windows(0.1 + i * 0.01, 0.2));
            }
            assertThat(f.store.saves.get()).isEqualTo(1);
            f.clock.advance(Duration.ofSeconds(30));
            f.router.onSuccess(PRO.id(), query(Api.RESPONSES), Optional.empty());
            assertThat(f.store.saves.get()).isEqualTo(2);
            assertThat(f.store.saved.get(PRO.id()).lastUsed()).contains(RouterFixture.T0.plusSeconds(30));
        }
    }

    @Nested
    class Reporting {
        @Test
        void nearestCooldownIsTheSoonestAmongCredentialsServingTheApi() {
            RouterFixture f = new RouterFixture(PRO, PLUS, CLAUDE, OPENAI);
            assertThat(f.router.nearestCooldown(Api.RESPONSES)).isEmpty();
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(30)));
            f.router.onFailure(PLUS.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(10)));
            f.router.onFailure(CLAUDE.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(2)));
            assertThat(f.router.nearestCooldown(Api.RESPONSES)).contains(Duration.ofSeconds(10));
            assertThat(f.router.nearestCooldown(Api.MESSAGES)).contains(Duration.ofSeconds(2));
            assertThat(f.router.nearestCooldown(Api.CHAT_COMPLETIONS)).isEmpty();
            f.clock.advance(Duration.ofSeconds(12));
            assertThat(f.router.nearestCooldown(Api.RESPONSES)).contains(Duration.ofSeconds(18));
        }

        @Test
        void nearestCooldownCountsSpentWindowsAndIgnoresNeedsLogin() {
            RouterFixture f = new RouterFixture(PRO, PLUS);
            f.router.onWindows(PRO.id(), f.windows(1.0, Duration.ofMinutes(7), 0.1, null, false));
            f.router.onFailure(PLUS.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(5)));
            f.router.onFailure(PLUS.id(), new AttemptFailure.NeedsLogin("revoked"));
            assertThat(f.router.nearestCooldown(Api.RESPONSES)).contains(Duration.ofMinutes(7));
        }

        @Test
        void statusesShowTheRuntimeOfEveryPooledCredential() {
            RouterFixture f = new RouterFixture(PRO, CLAUDE, OPENAI);
            Lease lease = f.router.begin(OPENAI.id());
            f.router.onFailure(PRO.id(), new AttemptFailure.RateLimited(Duration.ofSeconds(40)));
            f.router.onFailure(CLAUDE.id(), new AttemptFailure.NeedsLogin("refresh_token_expired"));
            var windows = f.windows(0.3, 0.4);
            f.router.onWindows(PRO.id(), windows);
            f.router.onSuccess(OPENAI.id(), query(Api.RESPONSES), Optional.empty());
            var byId = f.router.statuses().stream().collect(Collectors.toMap(CredentialStatus::id, s -> s));
            assertThat(byId).hasSize(3);
            assertThat(byId.get(PRO.id()).cooldownUntil()).contains(RouterFixture.T0.plusSeconds(40));
            assertThat(byId.get(PRO.id()).cooldownReason()).contains("429");
            assertThat(byId.get(PRO.id()).windows()).contains(windows);
            assertThat(byId.get(CLAUDE.id()).needsLoginReason()).contains("refresh_token_expired");
            assertThat(byId.get(OPENAI.id()).inFlight()).isEqualTo(1);
            assertThat(byId.get(OPENAI.id()).lastUsed()).contains(RouterFixture.T0);
            lease.close();
            f.clock.advance(Duration.ofSeconds(41));
            assertThat(f.router.statuses()).allSatisfy(s -> {
                assertThat(s.inFlight()).isZero();
                assertThat(s.cooldownUntil()).isEmpty();
            });
        }

        @Test
        void everyIneligibleCredentialIsExplained() {
            RouterFixture f = new RouterFixture(PRO, PLUS, PLUS2, OPENAI, GEMINI);
            f.pool.setDisabled(f.pool.snapshot().entry(PLUS2.id()).orElseThrow(), true);
            f.router.onFailure(PRO.id(), new AttemptFailure.ServerError(500));
            f.router.onWindows(PLUS.id(), f.windows(0.1, null, 1.0, Duration.ofDays(1), false));
            RoutingPlan plan = f.plan(Api.RESPONSES);
            assertThat(ids(plan)).containsExactly(OPENAI.id());
            assertThat(plan.skipped()).extracting(RoutingPlan.Skip::id)
                    .containsExactlyInAnyOrder(PRO.id(), PLUS.id(), PLUS2.id(), GEMINI.id());
            assertThat(plan.candidates().get(0).why()).isEqualTo("by load: load 0 tokens (0.00 of busiest) = 0.00");
        }
    }
}
