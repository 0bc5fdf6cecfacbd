package io.proxygate.domain.routing;

import io.proxygate.domain.credential.PlanType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeadroomScorerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final HeadroomScorer scorer = new HeadroomScorer(ScoringWeights.DEFAULTS);

    private double chatGpt(PlanType plan, AccountUsage usage) {
        return scorer.chatGpt(plan, usage, 0, 0, NOW);
    }

    @Nested
    class OriginalCases {
        @Test
        void proBeatsPlusWithTheSameUsage() {
            AccountUsage usage = Usage.observedAt(NOW).five(0.2).week(0.3).view();
            assertThat(chatGpt(PlanType.PRO, usage)).isGreaterThan(chatGpt(PlanType.PLUS, usage));
        }

        @Test
        void proBeatsPlusEvenWhenThePlusIsIdleAndThePlusWindowsAreAboutToReset() {
            AccountUsage pro = Usage.observedAt(NOW).five(0.85).week(0.85).view();
            AccountUsage plus = Usage.observedAt(NOW).five(0, Duration.ofMinutes(1)).week(0, Duration.ofMinutes(1)).view();
            assertThat(chatGpt(PlanType.PRO, pro)).isGreaterThan(chatGpt(PlanType.PLUS, plus));
        }

        @Test
        void weeklyUseOfTenPercentBeatsEightyPercent() {
            AccountUsage light = Usage.observedAt(NOW).week(0.10).view();
            AccountUsage heavy = Usage.observedAt(NOW).week(0.80).view();
            assertThat(chatGpt(PlanType.PLUS, light)).isGreaterThan(chatGpt(PlanType.PLUS, heavy));
        }

        @Test
        void fiveHourUseOf96PercentIsExcludedWhenTheCapIs95() {
            HeadroomScorer capped = new HeadroomScorer(new ScoringWeights(1.0, 0.1, 0.95, 1.0));
            assertThat(capped.chatGptCap(Usage.observedAt(NOW).five(0.96).view(), 0, NOW))
                    .contains("5h window at 96% (max 95%)");
            assertThat(capped.chatGptCap(Usage.observedAt(NOW).five(0.94).view(), 0, NOW)).isEmpty();
        }

        @Test
        void weeklyCapExcludesAtOrAboveIt() {
            HeadroomScorer capped = new HeadroomScorer(new ScoringWeights(1.0, 0.1, 1.0, 0.99));
            assertThat(capped.chatGptCap(Usage.observedAt(NOW).week(0.99).view(), 0, NOW))
                    .contains("weekly window at 99% (max 99%)");
        }

        @Test
        void aCapOfZeroMeansNoCap() {
            HeadroomScorer uncapped = new HeadroomScorer(new ScoringWeights(1.0, 0.1, 0, 0));
            assertThat(uncapped.chatGptCap(Usage.observedAt(NOW).five(1.2).week(1.5).view(), 0, NOW)).isEmpty();
        }

        @Test
        void theDefaultCapOfOneExcludesASpentWindow() {
            assertThat(scorer.chatGptCap(Usage.observedAt(NOW).five(1.0).view(), 0, NOW)).isPresent();
        }

        @Test
        void eachRequestInFlightCostsHalfAPoint() {
            AccountUsage usage = Usage.observedAt(NOW).five(0.2).week(0.3).view();
            double idle = scorer.chatGpt(PlanType.PLUS, usage, 0, 0, NOW);
            assertThat(scorer.chatGpt(PlanType.PLUS, usage, 0, 3, NOW)).isCloseTo(idle - 1.5, within(1e-9));
        }

        @Test
        void withoutResetTimesTheScoreIsTheOriginalFormula() {
            // tier + (1 - weekly) x drain + (1 - 5h) x bonus
            AccountUsage usage = Usage.observedAt(NOW).five(0.4).week(0.3).view();
            HeadroomScorer custom = new HeadroomScorer(new ScoringWeights(2.0, 0.3, 1.0, 1.0));
            assertThat(custom.chatGpt(PlanType.TEAM, usage, 0, 1, NOW))
                    .isCloseTo(3 + 0.7 * 2.0 + 0.6 * 0.3 - 0.5, within(1e-9));
        }

        @Test
        void zeroDrainMultiplierMeansTheDefault() {
            assertThat(new ScoringWeights(0, 0, 1, 1)).isEqualTo(ScoringWeights.DEFAULTS);
            assertThat(new ScoringWeights(0, 0.2, 1, 1).drainMultiplier()).isEqualTo(1.0);
        }
    }

    @Nested
    class DrainAwareness {
        @Test
        void workedExampleFromTheClassComment() {
            AccountUsage a = Usage.observedAt(NOW).five(0.1).week(0.4, Duration.ofHours(42)).view();
            AccountUsage b = Usage.observedAt(NOW).five(0.1).week(0.25, Duration.ofHours(160)).view();
            assertThat(chatGpt(PlanType.PLUS, a)).isCloseTo(5.915, within(1e-9));
            assertThat(chatGpt(PlanType.PLUS, b)).isCloseTo(5.858, within(5e-4));
            assertThat(scorer.chatGpt(PlanType.PLUS, a, 0, 1, NOW)).isCloseTo(5.415, within(1e-9));
        }

        @Test
        void picksTheAccountWhoseHeadroomResetsSoonerWhenHeadroomIsEqual() {
            AccountUsage soon = Usage.observedAt(NOW).week(0.5, Duration.ofHours(10)).view();
            AccountUsage late = Usage.observedAt(NOW).week(0.5, Duration.ofHours(150)).view();
            assertThat(chatGpt(PlanType.PLUS, soon)).isGreaterThan(chatGpt(PlanType.PLUS, late));
        }

        @Test
        void aWindowPastItsResetCountsAsUnused() {
            AccountUsage rolledOver = Usage.observedAt(NOW.minus(Duration.ofHours(6)))
                    .five(0.9, Duration.ofHours(5)).week(0.2).view();
            AccountUsage fresh = Usage.observedAt(NOW).five(0).week(0.2).view();
            assertThat(chatGpt(PlanType.PLUS, rolledOver)).isCloseTo(chatGpt(PlanType.PLUS, fresh), within(1e-9));
            assertThat(scorer.chatGptStanding(rolledOver, 0, NOW)).isEqualTo(Standing.HEALTHY);
        }

        @Test
        void eachSuccessSinceTheLastObservationAddsTwoAndAHalfPercentToTheFiveHourWindow() {
            AccountUsage usage = Usage.observedAt(NOW).five(0.5).week(0.5).view();
            double before = scorer.chatGpt(PlanType.PLUS, usage, 0, 0, NOW);
            double after = scorer.chatGpt(PlanType.PLUS, usage, 4, 0, NOW);
            assertThat(before - after).isCloseTo(0.1 * 4 * 0.025, within(1e-9));
            HeadroomScorer capped = new HeadroomScorer(new ScoringWeights(1.0, 0.1, 0.95, 1.0));
            AccountUsage near = Usage.observedAt(NOW).five(0.9).view();
            assertThat(capped.chatGptCap(near, 1, NOW)).isEmpty();
            assertThat(capped.chatGptCap(near, 2, NOW)).contains("5h window at 95% (max 95%)");
        }
    }

    @Nested
    class Standings {
        @Test
        void anAccountAtNinetyPercentOfAWindowIsHot() {
            assertThat(scorer.chatGptStanding(Usage.observedAt(NOW).week(0.9).view(), 0, NOW)).isEqualTo(Standing.HOT);
            assertThat(scorer.chatGptStanding(Usage.observedAt(NOW).five(0.9).view(), 0, NOW)).isEqualTo(Standing.HOT);
            assertThat(scorer.chatGptStanding(Usage.observedAt(NOW).five(0.89).week(0.89).view(), 0, NOW))
                    .isEqualTo(Standing.HEALTHY);
            assertThat(scorer.chatGptStanding(Usage.observedAt(NOW).five(0.85).view(), 2, NOW)).isEqualTo(Standing.HOT);
        }

        @Test
        void noUsageDataScoresBetweenAWellRestedAndANearlySpentAccount() {
            double rested = chatGpt(PlanType.PLUS, Usage.observedAt(NOW).five(0.1).week(0.1).view());
            double unknown = chatGpt(PlanType.PLUS, AccountUsage.NONE);
            double tired = chatGpt(PlanType.PLUS, Usage.observedAt(NOW).five(0.8).week(0.8).view());
            assertThat(unknown).isLessThan(rested).isGreaterThan(tired);
            assertThat(scorer.chatGptStanding(AccountUsage.NONE, 0, NOW)).isEqualTo(Standing.HEALTHY);
            assertThat(scorer.chatGptCap(AccountUsage.NONE, 0, NOW)).isEmpty();
        }

        @Test
        void claudeUsageCountsOnlyWhileFresh() {
            AccountUsage fresh = Usage.observedAt(NOW.minus(Duration.ofMinutes(15))).five(0.2).week(0.2).view();
            AccountUsage stale = Usage.observedAt(NOW.minus(Duration.ofMinutes(16))).five(0.2).week(0.2).view();
            assertThat(scorer.claudeStanding(fresh, 0, NOW)).isEqualTo(Standing.HEALTHY);
            assertThat(scorer.claudeStanding(stale, 0, NOW)).isEqualTo(Standing.UNMEASURED);
            assertThat(scorer.claudeStanding(AccountUsage.NONE, 0, NOW)).isEqualTo(Standing.UNMEASURED);
            assertThat(scorer.claudeStanding(Usage.observedAt(NOW).week(0.95).view(), 0, NOW)).isEqualTo(Standing.HOT);
        }
    }

    @Nested
    class ClaudeAndKeys {
        @Test
        void freshClaudeScoreUsesTheOriginalWeights() {
            AccountUsage usage = Usage.observedAt(NOW).five(0.4).week(0.3).view();
            // (1-0.3) x 1.0 + (1-0.4) x 0.5 - 2 x 0.2 - (500/1000) x 0.05
            assertThat(scorer.claude(usage, 0, 2, 500, 1000, NOW)).isCloseTo(0.7 + 0.3 - 0.4 - 0.025, within(1e-9));
        }

        @Test
        void staleClaudeFallsBackToLoad() {
            AccountUsage stale = Usage.observedAt(NOW.minus(Duration.ofHours(1))).five(0.4).week(0.3).view();
            assertThat(scorer.claude(stale, 0, 1, 500, 1000, NOW)).isEqualTo(HeadroomScorer.byLoad(500, 1000, 1));
            assertThat(scorer.explainClaude(stale, 0, 1, 500, 1000, NOW)).startsWith("usage data older than 15m");
        }

        @Test
        void leastLoadWinsAndEachRequestInFlightCountsHalfTheSpread() {
            assertThat(HeadroomScorer.byLoad(100, 1000, 0)).isGreaterThan(HeadroomScorer.byLoad(900, 1000, 0));
            assertThat(HeadroomScorer.byLoad(0, 1000, 0)).isEqualTo(0.0);
            assertThat(HeadroomScorer.byLoad(1000, 1000, 0)).isEqualTo(-1.0);
            assertThat(HeadroomScorer.byLoad(0, 1000, 3)).isLessThan(HeadroomScorer.byLoad(1000, 1000, 0));
            assertThat(HeadroomScorer.byLoad(0, 0, 0)).isEqualTo(0.0);
        }
    }

    @Test
    void rankKeysAgreeWithStandingScoreAndCaps() {
        HeadroomScorer capped = new HeadroomScorer(new ScoringWeights(1.0, 0.1, 0.95, 0.99));
        double[] fractions = {0, 0.3, 0.89, 0.9, 0.94, 0.95, 0.99, 1.0};
        for (double five : fractions) {
            for (double week : fractions) {
                for (int successes = 0; successes < 3; successes++) {
                    AccountUsage u = Usage.observedAt(NOW).five(five, Duration.ofHours(2)).week(week).view();
                    double rank = capped.chatGptRank(PlanType.PLUS, u, successes, 1, NOW);
                    if (capped.chatGptCap(u, successes, NOW).isPresent()) {
                        assertThat(rank).isNaN();
                        continue;
                    }
                    Standing standing = capped.chatGptStanding(u, successes, NOW);
                    assertThat(rank).isCloseTo(capped.chatGpt(PlanType.PLUS, u, successes, 1, NOW)
                            - standing.ordinal() * HeadroomScorer.BAND_GAP, within(1e-6));
                }
            }
        }
        AccountUsage stale = Usage.observedAt(NOW.minus(Duration.ofHours(1))).five(0.2).week(0.2).view();
        assertThat(scorer.claudeRank(stale, 0, 0, 10, 100, NOW))
                .isCloseTo(HeadroomScorer.byLoad(10, 100, 0) - HeadroomScorer.BAND_GAP, within(1e-6));
    }

    @Test
    void explanationNamesEveryTermAndTheTotal() {
        AccountUsage a = Usage.observedAt(NOW).five(0.1).week(0.4, Duration.ofHours(42)).view();
        assertThat(scorer.explainChatGpt(PlanType.PLUS, a, 0, 1, NOW))
                .isEqualTo("plus 5 + weekly 0.83 (60% left, resets in 1d18h, use it or lose it x1.38) + 5h 0.09 (90% left)"
                        + " - in-flight 0.50 (1) = 5.42");
        assertThat(scorer.explainChatGpt(PlanType.PRO, Usage.observedAt(NOW).week(0.93).view(), 0, 0, NOW))
                .startsWith("hot (weekly 93% used), ranked after healthy ones: pro 10");
        assertThat(scorer.explainChatGpt(PlanType.FREE, AccountUsage.NONE, 0, 0, NOW))
                .isEqualTo("free 0 + weekly 0.50 (50% left, no usage data) + 5h 0.05 (50% left, no usage data) = 0.55");
    }
}
