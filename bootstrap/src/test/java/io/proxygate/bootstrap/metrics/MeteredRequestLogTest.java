package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.MetricRegistry;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MeteredRequestLogTest {
    private static final RequestLogPort NOWHERE = new RequestLogPort() {
        @Override
        public void append(RequestRecord record) {
        }

        @Override
        public List<RequestRecord> recent(int limit) {
            return List.of();
        }
    };

    @Test
    void modelsOutsideThePriceTableCountUnderOneOtherLabel() {
        MetricRegistry metrics = new MetricRegistry();
        MeteredRequestLog log = new MeteredRequestLog(NOWHERE, metrics, Set.of("gpt-5", "claude-sonnet-4-6")::contains);
        log.append(record("gpt-5"));
        int before = metrics.getCounters().size();
        for (int i = 0; i < 60; i++) {
            log.append(record("random-model-" + i));
        }
        log.append(record("claude-sonnet-4-6"));

        assertThat(metrics.getCounters().keySet()).allMatch(n -> n.startsWith("proxygate.tokens.gpt-5.")
                || n.startsWith("proxygate.tokens.claude-sonnet-4-6.") || n.startsWith("proxygate.tokens.other."));
        assertThat(metrics.getCounters().size()).isEqualTo(before + 10);
        assertThat(metrics.counter("proxygate.tokens.other.input").getCount()).isEqualTo(60 * 10);
        assertThat(metrics.counter("proxygate.tokens.gpt-5.input").getCount()).isEqualTo(10);
    }

    @Test
    void evenKnownSpellingsStopGettingLabelsOfTheirOwnPastTheCap() {
        MetricRegistry metrics = new MetricRegistry();
        MeteredRequestLog log = new MeteredRequestLog(NOWHERE, metrics, model -> true);
        for (int i = 0; i < MeteredRequestLog.MAX_MODEL_LABELS * 3; i++) {
            log.append(record("openai/gpt-5-" + i));
        }
        assertThat(metrics.getCounters().size()).isLessThanOrEqualTo((MeteredRequestLog.MAX_MODEL_LABELS + 1) * 5);
    }

    private static RequestRecord record(String model) {
        return new RequestRecord("r", Instant.EPOCH, "/v1/responses", "openai-key", Optional.empty(), model,
                Optional.empty(), 200, new TokenUsage(10, 0, 0, 5, 0), Optional.empty(), Duration.ofMillis(5),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, "");
    }
}
