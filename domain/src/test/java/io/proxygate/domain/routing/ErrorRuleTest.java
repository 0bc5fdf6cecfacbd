package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorRuleTest {
    private static ErrorRule contains(int status, String text, String model) {
        return new ErrorRule(null, status, Optional.of(text), Optional.empty(), Optional.ofNullable(model),
                ErrorRule.Action.FAILOVER, Duration.ZERO);
    }

    @Test
    void matchesStatusBodyTextCaseInsensitivelyAndModelGlob() {
        ErrorRule rule = contains(400, "Overloaded", "claude-opus-*");
        assertThat(rule.matches(400, "{\"error\":\"server OVERLOADED\"}", "claude-opus-4-1")).isTrue();
        assertThat(rule.matches(400, "{\"error\":\"server OVERLOADED\"}", "claude-sonnet-4")).isFalse();
        assertThat(rule.matches(429, "overloaded", "claude-opus-4-1")).isFalse();
        assertThat(rule.matches(400, "bad request", "claude-opus-4-1")).isFalse();
        assertThat(rule.name()).isEqualTo("400 containing \"overloaded\" -> failover");
    }

    @Test
    void theFirstMatchingRuleWins() {
        ErrorRule relay = new ErrorRule("relay-quota", 400, Optional.empty(),
                Optional.of(ErrorRule.boundedPattern("quota (exceeded|exhausted)")), Optional.empty(),
                ErrorRule.Action.RELAY, Duration.ZERO);
        ErrorRule any = new ErrorRule("any-400", 400, Optional.empty(), Optional.empty(), Optional.empty(),
                ErrorRule.Action.COOLDOWN, Duration.ofMinutes(1));
        assertThat(ErrorRule.first(List.of(relay, any), 400, "Quota Exhausted", "m")).contains(relay);
        assertThat(ErrorRule.first(List.of(relay, any), 400, "nope", "m")).contains(any);
        assertThat(ErrorRule.first(List.of(relay, any), 500, "nope", "m")).isEmpty();
    }

    @Test
    void aCatastrophicPatternRunsOutOfBudgetInsteadOfHanging() {
        ErrorRule evil = new ErrorRule("evil", 400, Optional.empty(), Optional.of(ErrorRule.boundedPattern("(a+)+$")),
                Optional.empty(), ErrorRule.Action.FAILOVER, Duration.ZERO);
        String body = "a".repeat(5000) + "!";
        long start = System.nanoTime();
        assertThat(evil.matches(400, body, "m")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void badRulesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ErrorRule.boundedPattern("x".repeat(300))).hasMessageContaining("longer than");
        assertThatThrownBy(() -> ErrorRule.boundedPattern("(")).hasMessageContaining("does not compile");
        assertThatThrownBy(() -> new ErrorRule(null, 400, Optional.empty(), Optional.empty(), Optional.empty(),
                ErrorRule.Action.COOLDOWN, Duration.ZERO)).hasMessageContaining("\"for\"");
        assertThatThrownBy(() -> ErrorRule.action("explode")).hasMessageContaining("cooldown, failover");
    }
}
