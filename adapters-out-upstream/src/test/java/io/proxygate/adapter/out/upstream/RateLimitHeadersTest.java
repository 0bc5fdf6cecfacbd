package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void codexHeadersAreClassifiedByWindowLength() {
        UsageWindows w = windows(
                "x-codex-primary-used-percent", "42.5",
                "x-codex-primary-window-minutes", "300",
                "x-codex-primary-reset-at", "1795698000",
                "x-codex-secondary-used-percent", "10",
                "x-codex-secondary-window-minutes", "10080",
                "x-codex-secondary-reset-after-seconds", "3600");

        assertThat(w.fiveHour()).contains(new UsageWindow(0.425, Optional.of(Instant.ofEpochSecond(1795698000L)),
                Duration.ofMinutes(300)));
        assertThat(w.weekly()).contains(new UsageWindow(0.10, Optional.of(NOW.plusSeconds(3600)),
                Duration.ofMinutes(10080)));
        assertThat(w.limitReached()).isFalse();
        assertThat(w.observedAt()).isEqualTo(NOW);
    }

    @Test
    void aWeeklyOnlyPrimaryIsWeekly() {
        UsageWindows w = windows(
                "x-codex-primary-used-percent", "100",
                "x-codex-primary-window-minutes", "10080");

        assertThat(w.fiveHour()).isEmpty();
        assertThat(w.weekly()).map(UsageWindow::usedFraction).contains(1.0);
        assertThat(w.limitReached()).isTrue();
    }

    @Test
    void anthropicUnifiedHeadersAreFractions() {
        UsageWindows w = windows(
                "anthropic-ratelimit-unified-status", "allowed_warning",
                "anthropic-ratelimit-unified-5h-utilization", "0.83",
                "anthropic-ratelimit-unified-5h-reset", "1795700000",
                "anthropic-ratelimit-unified-7d-utilization", "0.4",
                "anthropic-ratelimit-unified-7d-reset", "1796000000");

        assertThat(w.fiveHour()).contains(new UsageWindow(0.83, Optional.of(Instant.ofEpochSecond(1795700000L)),
                UsageWindow.FIVE_HOURS));
        assertThat(w.weekly()).contains(new UsageWindow(0.4, Optional.of(Instant.ofEpochSecond(1796000000L)),
                UsageWindow.WEEK));
        assertThat(w.limitReached()).isFalse();
    }

    @Test
    void aRejectedStatusMeansTheLimitIsReached() {
        UsageWindows w = windows(
                "anthropic-ratelimit-unified-status", "rejected",
                "anthropic-ratelimit-unified-5h-utilization", "0.99");

        assertThat(w.limitReached()).isTrue();
    }

    @Test
    void noRateLimitHeadersNoWindows() {
        assertThat(RateLimitHeaders.parse(Headers.of("x-ratelimit-remaining-requests", "5",
                "x-codex-primary-used-percent", "garbage"), NOW)).isEmpty();
    }

    /** The windows read from response headers given as name, value pairs, at {@link #NOW}; there must be some. */
    private static UsageWindows windows(String... namesAndValues) {
        return RateLimitHeaders.parse(Headers.of(namesAndValues), NOW).orElseThrow();
    }
}
