package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResponseHealthTest {
    private static final long T = 1_000_000_000L;
    private static final Duration BOUND = Duration.ofSeconds(15);

    @Test
    void theFirstTtftSampleIsTheAverageAndLaterOnesMoveItByAFifth() {
        ResponseHealth h = ResponseHealth.NONE.withTtft(Duration.ofSeconds(20), T);
        assertThat(h.ttftMillis(T)).isEqualTo(20_000);
        h = h.withTtft(Duration.ofSeconds(10), T + 1);
        assertThat(h.ttftMillis(T + 1)).isCloseTo(18_000, within(0.001));
    }

    @Test
    void aSlowAverageIsAReasonToMoveAndAFastOneIsNot() {
        ResponseHealth slow = ResponseHealth.NONE.withTtft(Duration.ofSeconds(16), T);
        assertThat(slow.escapeReason(T, BOUND, 0.5)).isEqualTo("TTFT average 16.0 s over 15.0 s");
        ResponseHealth fast = ResponseHealth.NONE.withTtft(Duration.ofSeconds(14), T);
        assertThat(fast.escapeReason(T, BOUND, 0.5)).isNull();
        assertThat(slow.escapeReason(T, Duration.ZERO, 0.5)).as("zero disables the bound").isNull();
    }

    @Test
    void aStaleTtftIsForgotten() {
        ResponseHealth slow = ResponseHealth.NONE.withTtft(Duration.ofSeconds(30), T);
        long later = T + ResponseHealth.TTFT_STALE_AFTER.toMillis() + 1;
        assertThat(slow.ttftMillis(later)).isNaN();
        assertThat(slow.escapeReason(later, BOUND, 0.5)).isNull();
    }

    @Test
    void itTakesFourFailuresInARowFromACleanRecordToPassHalf() {
        ResponseHealth h = ResponseHealth.NONE;
        for (int i = 0; i < 3; i++) {
            h = h.withOutcome(true, T);
        }
        assertThat(h.errorRate(T)).isCloseTo(0.488, within(0.001));
        assertThat(h.escapeReason(T, BOUND, 0.5)).isNull();
        h = h.withOutcome(true, T);
        assertThat(h.escapeReason(T, BOUND, 0.5)).isEqualTo("error rate 0.59 over 0.50");
        h = h.withOutcome(false, T);
        assertThat(h.errorRate(T)).isCloseTo(0.472, within(0.001));
    }

    @Test
    void theErrorRateHalvesEveryHalfLifeOfQuiet() {
        ResponseHealth h = ResponseHealth.NONE.withOutcome(true, T).withOutcome(true, T);
        double now = h.errorRate(T);
        assertThat(h.errorRate(T + ResponseHealth.ERROR_HALF_LIFE.toMillis())).isCloseTo(now / 2, within(1e-9));
    }

    @Test
    void healthierGoesFirstAmongEquals() {
        ResponseHealth failing = ResponseHealth.NONE.withOutcome(true, T);
        ResponseHealth fast = ResponseHealth.NONE.withTtft(Duration.ofSeconds(1), T);
        ResponseHealth slow = ResponseHealth.NONE.withTtft(Duration.ofSeconds(5), T);
        assertThat(fast.compareHealth(slow, T)).isNegative();
        assertThat(slow.compareHealth(fast, T)).isPositive();
        assertThat(fast.compareHealth(failing, T)).isNegative();
        assertThat(ResponseHealth.NONE.compareHealth(fast, T)).as("unknown speed is not slower").isZero();
    }

    @Test
    void describesBothAverages() {
        ResponseHealth h = ResponseHealth.NONE.withTtft(Duration.ofMillis(1250), T).withOutcome(true, T);
        assertThat(h.describe(T)).isEqualTo("TTFT avg 1.3 s, error rate 0.20");
        assertThat(ResponseHealth.NONE.describe(T)).isEqualTo("TTFT avg unknown, error rate 0.00");
    }
}
