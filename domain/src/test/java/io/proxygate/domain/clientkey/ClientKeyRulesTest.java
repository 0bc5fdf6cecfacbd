package io.proxygate.domain.clientkey;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientKeyRulesTest {
    @Test
    void globsMatchWholeNamesWithStarsAndQuestionMarks() {
        assertThat(Globs.matches("claude-sonnet-*", "claude-sonnet-4-5")).isTrue();
        assertThat(Globs.matches("claude-sonnet-*", "claude-opus-4-1")).isFalse();
        assertThat(Globs.matches("gpt-5*", "gpt-5")).isTrue();
        assertThat(Globs.matches("gpt-5*", "GPT-5-codex")).isTrue();
        assertThat(Globs.matches("gpt-5", "gpt-5-mini")).isFalse();
        assertThat(Globs.matches("*-mini", "gpt-5-mini")).isTrue();
        assertThat(Globs.matches("gpt-?o", "gpt-4o")).isTrue();
        assertThat(Globs.matches("*a*b*c*", "xxaxxbxxcxx")).isTrue();
        assertThat(Globs.matches("*a*b*c*", "xxaxxcxxbxx")).isFalse();
        // No backtracking blow-up on hostile input.
        assertThat(Globs.matches("*a*a*a*a*a*a*a*a*b", "a".repeat(5000))).isFalse();
    }

    @Test
    void emptyRulesAllowEverythingAndAModelRuleNeedsAModel() {
        assertThat(ClientKeyRules.NONE.allowsModel("anything")).isTrue();
        assertThat(ClientKeyRules.NONE.allowsRoute("responses")).isTrue();
        assertThat(ClientKeyRules.NONE.allowsRoute("passthrough")).as("the accounts' own site: only when named")
                .isFalse();
        assertThat(rules(List.of(), List.of("responses", "passthrough")).allowsRoute("passthrough")).isTrue();
        ClientKeyRules rules = rules(List.of("claude-*"), List.of("messages"));
        assertThat(rules.allowsModel(null)).isFalse();
        assertThat(rules.allowsModel("claude-haiku-4-5")).isTrue();
        assertThat(rules.allowsRoute("responses")).isFalse();
    }

    @Test
    void invalidRulesAreRefused() {
        assertThatThrownBy(() -> rules(List.of(), List.of("images"))).hasMessageContaining("unknown route");
        assertThatThrownBy(() -> new ClientKeyRules(List.of(), List.of(), Optional.of(new BigDecimal("-1")),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of()))
                .hasMessageContaining("daily_budget_usd");
        assertThatThrownBy(() -> new ClientKeyRules(List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.of(0), Optional.empty(), Optional.empty(), Map.of())).hasMessageContaining("rpm");
    }

    @Test
    void expiryIsInclusiveOfItsInstant() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        ClientKeyRules rules = new ClientKeyRules(List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(at), Map.of());
        assertThat(rules.expired(at.minusMillis(1))).isFalse();
        assertThat(rules.expired(at)).isTrue();
    }

    private static ClientKeyRules rules(List<String> models, List<String> routes) {
        return new ClientKeyRules(models, routes, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
    }
}
