package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AccountUsageTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aSpentFiveHourWindowBlocksUntilItResets() {
        AccountUsage usage = Usage.observedAt(NOW).five(1.0, Duration.ofMinutes(40)).week(0.5).view();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofMinutes(39)))).isTrue();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofMinutes(40)))).isFalse();
        assertThat(usage.blockedReason()).contains("5h window exhausted until 2026-11-26T12:40:00Z");
    }

    @Test
    void whenBothWindowsAreSpentTheLaterResetCounts() {
        AccountUsage usage = Usage.observedAt(NOW).five(1.0, Duration.ofHours(1)).week(1.2, Duration.ofDays(2)).view();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofHours(2)))).isTrue();
        assertThat(usage.blockedReason()).contains("weekly window exhausted until 2026-11-28T12:00:00Z");
    }

    @Test
    void limitReachedBlocksUntilTheFullestWindowResets() {
        AccountUsage usage = Usage.observedAt(NOW).five(0.3, Duration.ofHours(2)).week(0.97, Duration.ofDays(3))
                .limitReached().view();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofDays(2)))).isTrue();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofDays(3)))).isFalse();
        assertThat(usage.blockedReason()).contains("usage limit reached until 2026-11-29T12:00:00Z");
    }

    @Test
    void aSpentWindowWithoutResetTimeBlocksForAtMostOneWindowLength() {
        AccountUsage usage = Usage.observedAt(NOW).five(1.0).view();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofHours(4)))).isTrue();
        assertThat(usage.blockedAt(NOW.plus(Duration.ofHours(5)))).isFalse();
    }

    @Test
    void agreesWithUsageWindowExhaustedAtWhileTheResetIsKnown() {
        UsageWindows windows = Usage.observedAt(NOW).five(1.0, Duration.ofMinutes(10)).windows();
        AccountUsage usage = AccountUsage.of(windows);
        for (Instant t : new Instant[]{NOW, NOW.plusSeconds(599), NOW.plusSeconds(600), NOW.plusSeconds(601)}) {
            assertThat(usage.blockedAt(t)).isEqualTo(windows.fiveHour().orElseThrow().exhaustedAt(t));
        }
    }

    @Test
    void healthyWindowsDoNotBlock() {
        AccountUsage usage = Usage.observedAt(NOW).five(0.99).week(0.99).view();
        assertThat(usage.blockedAt(NOW)).isFalse();
        assertThat(usage.blockedReason()).isEmpty();
        assertThat(AccountUsage.NONE.blockedAt(NOW)).isFalse();
    }

    @Test
    void freshnessIsMeasuredFromTheObservation() {
        AccountUsage usage = Usage.observedAt(NOW).five(0.1).view();
        assertThat(usage.freshAt(NOW.plus(Duration.ofMinutes(15)), Duration.ofMinutes(15))).isTrue();
        assertThat(usage.freshAt(NOW.plus(Duration.ofMinutes(16)), Duration.ofMinutes(15))).isFalse();
        assertThat(AccountUsage.NONE.freshAt(NOW, Duration.ofDays(999))).isFalse();
    }
}
