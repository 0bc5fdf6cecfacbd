package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-04-26T12:00:00Z");

    private static Function<String, Optional<String>> headers(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return name -> Optional.ofNullable(map.get(name));
    }

    @Test
    void retryAfterMsOf3000IsThreeSeconds() {
        assertThat(RetryAfter.parse(headers("retry-after-ms", "3000"), "", NOW)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterSecondsOf45IsFortyFiveSeconds() {
        assertThat(RetryAfter.parse(headers("retry-after", "45"), "", NOW)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void retryAfterHttpDateNinetySecondsAheadIsNinetySeconds() {
        assertThat(RetryAfter.parse(headers("retry-after", "Sun, 26 Apr 2026 12:01:30 GMT"), "", NOW))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterAcceptsTheObsoleteHttpDateForms() {
        assertThat(RetryAfter.parse(headers("retry-after", "Sunday, 26-Apr-26 12:01:30 GMT"), "", NOW))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse(headers("retry-after", "Sun Apr 26 12:01:30 2026"), "", NOW))
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void rateLimitResetEpochHundredTwentySecondsAheadIsHundredTwentySeconds() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertThat(RetryAfter.parse(headers("x-ratelimit-reset", "1700000120"), "", now))
                .isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void quotaResetDelayInTheErrorMessageIsUsed() {
        String body = "{\"error\":{\"message\":\"rate limited, quotaResetDelay: 5s\"}}";
        assertThat(RetryAfter.parse(headers(), body, NOW)).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource(delimiter = '|', value = {
            "{\"error\":{\"message\":\"Please retry after 30 sec\"}} | 30000",
            "{\"error\":{\"message\":\"retry 12s\"}} | 12000",
            "{\"error\":{\"details\":[{\"quotaResetDelay\":\"1.5s\"}]}} | 1500",
            "quotaResetDelay: 250ms | 250",
            "{\"error\":{\"message\":\"slow down\"},\"hint\":\"retry after 7 seconds\"} | 7000"})
    void delayWrittenInTheBodyIsUsed(String body, long millis) {
        assertThat(RetryAfter.parse(headers(), body, NOW)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void errorMessageIsReadBeforeTheRestOfTheBody() {
        String body = "{\"note\":\"retry after 99 sec\",\"error\":{\"type\":\"x\",\"message\":\"retry after 3 sec\"}}";
        assertThat(RetryAfter.parse(headers(), body, NOW)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void nothingUsableMeansSixtySeconds() {
        assertThat(RetryAfter.parse(headers(), null, NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse(headers(), "{\"error\":{\"message\":\"slow down\"}}", NOW))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void earlierSourcesWinOverLaterOnes() {
        var all = headers("retry-after-ms", "1500", "retry-after", "45", "x-ratelimit-reset",
                String.valueOf(NOW.getEpochSecond() + 120));
        assertThat(RetryAfter.parse(all, "quotaResetDelay: 5s", NOW)).isEqualTo(Duration.ofMillis(1500));
        var noMs = headers("retry-after", "45", "x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 120));
        assertThat(RetryAfter.parse(noMs, "quotaResetDelay: 5s", NOW)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void unusableValuesFallThroughToTheNextSource() {
        var h = headers("retry-after-ms", "0", "retry-after", "Sun, 26 Apr 2026 11:00:00 GMT",
                "x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() - 5));
        assertThat(RetryAfter.parse(h, "retry after 8 sec", NOW)).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryAfter.parse(headers("retry-after-ms", "soon", "retry-after", "-3"), "", NOW))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everyAnswerIsCappedAtThirtyMinutes() {
        assertThat(RetryAfter.parse(headers("retry-after", "86400"), "", NOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(RetryAfter.parse(headers("retry-after-ms", "99999999"), "", NOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(RetryAfter.parse(headers("x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 7200)), "", NOW))
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(RetryAfter.parse(headers(), "quotaResetDelay: 3600s", NOW)).isEqualTo(Duration.ofMinutes(30));
    }
}
