package io.proxygate.adapter.in.http.admin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class FailedAttemptLimiterTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final FailedAttemptLimiter limiter = new FailedAttemptLimiter(3, Duration.ofMinutes(1), clock);

    @Test
    void failuresWithinTheAllowanceAreNotThrottled() {
        assertThat(limiter.failed("a")).isEmpty();
        assertThat(limiter.failed("a")).isEmpty();
        assertThat(limiter.failed("a")).isEmpty();
    }

    @Test
    void eachFailurePastTheAllowanceDoublesTheBackoffUpToTheCap() {
        for (int i = 0; i < 3; i++) {
            limiter.failed("a");
        }
        assertThat(limiter.failed("a")).contains(Duration.ofSeconds(1));
        assertThat(limiter.failed("a")).contains(Duration.ofSeconds(2));
        assertThat(limiter.failed("a")).contains(Duration.ofSeconds(4));
        Optional<Duration> last = Optional.empty();
        for (int i = 0; i < 40; i++) {
            last = limiter.failed("a");
        }
        assertThat(last).contains(FailedAttemptLimiter.MAX_BACKOFF);
    }

    @Test
    void theBackoffIsPerAddressAndDecaysWithTheWindow() {
        for (int i = 0; i < 4; i++) {
            limiter.failed("a");
        }
        assertThat(limiter.failed("b")).as("another address").isEmpty();

        now.set(now.get().plus(Duration.ofMinutes(2)));

        assertThat(limiter.failed("a")).as("old failures left the window").isEmpty();
    }
}
