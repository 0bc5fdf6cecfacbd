package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ModelWindowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSpentFamilyWindowIsReportedWithItsResetAndOthersAreNot() throws Exception {
        var root = JSON.readTree("""
                {"five_hour":{"utilization":40,"resets_at":"2026-12-04T20:00:00Z"},
                 "seven_day":{"utilization":70,"resets_at":"2026-12-08T00:00:00Z"},
                 "seven_day_opus":{"utilization":100,"resets_at":"2026-12-07T00:00:00Z"},
                 "seven_day_sonnet":{"utilization":55,"resets_at":"2026-12-07T00:00:00Z"},
                 "seven_day_oauth_apps":{"utilization":100}}""");
        assertThat(HttpUsagePollClient.spentFamilies(root))
                .containsExactly(java.util.Map.entry("opus", Optional.of(Instant.parse("2026-12-07T00:00:00Z"))));
        assertThat(HttpUsagePollClient.spentFamilies(JSON.readTree("{\"seven_day_opus\":null}"))).isEmpty();
    }
}
