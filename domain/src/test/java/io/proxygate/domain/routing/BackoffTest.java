package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @ParameterizedTest(name = "streak {0} -> {1} s")
    @CsvSource({
            "0, 1", "1, 2", "2, 4", "4, 16", "6, 64",
            // capped at two minutes: a recovered upstream gets its credentials back within that
            "7, 120", "10, 120", "40, 120", "2147483647, 120",
            "-1, 1"})
    void doublesPerEpisodeUpToTwoMinutes(int streak, long seconds) {
        assertThat(Backoff.forServerErrors(streak)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "streak {0} after {1} s quiet -> {2}")
    @CsvSource({"5, 0, 5", "5, 59, 5", "5, 60, 4", "5, 180, 2", "5, 3600, 0", "0, 600, 0", "3, -5, 3"})
    void quietTimeTakesOneEpisodePerMinuteOffTheStreak(int streak, long quietSeconds, int left) {
        assertThat(Backoff.decayed(streak, Duration.ofSeconds(quietSeconds))).isEqualTo(left);
    }

    @Test
    void theCapIsMinutesNotHalfAnHour() {
        assertThat(Backoff.MAX).isLessThanOrEqualTo(Duration.ofMinutes(5));
    }
}
