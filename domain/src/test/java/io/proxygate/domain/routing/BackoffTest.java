package io.proxygate.domain.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @ParameterizedTest(name = "streak {0} -> {1} s")
    @CsvSource({
            "0, 1", "1, 2", "2, 4", "4, 16", "10, 1024",
            // the original's cap: 2048 s would pass 30 min
            "11, 1800", "40, 1800", "63, 1800", "64, 1800", "2147483647, 1800",
            "-1, 1"})
    void doublesPerFailureUpToThirtyMinutes(int streak, long seconds) {
        assertThat(Backoff.forServerErrors(streak)).isEqualTo(Duration.ofSeconds(seconds));
    }
}
