package io.proxygate.domain.fallback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FallbackPolicyTest {
    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource(delimiter = '|', value = {
            "claude-opus-4-7   | default      | claude-opus-4-6",
            "Claude Opus 4.7   | thinking-16k | claude-opus-4-6",
            "claude-haiku4.5   | default      | claude-sonnet-4-6",
            "claude-sonnet-4-6 | none         | claude-sonnet-4-6",
            "claude-opus-4-6   | default      | NONE",
            "gpt-5             | default      | NONE",
    })
    void defaultRulesMapTheOriginalsModels(String model, String variant, String expected) {
        String target = FallbackPolicy.DEFAULT.match(model, variant).map(FallbackMatch::toModel).orElse("NONE");
        assertThat(target).isEqualTo(expected);
    }

    @Test
    void defaultPolicyIsEnabledAndPreservesTheVariant() {
        assertThat(FallbackPolicy.DEFAULT.enabled()).isTrue();
        assertThat(FallbackPolicy.DEFAULT.rules()).extracting(FallbackRule::toVariant).containsOnly("preserve");
    }

    @Test
    void firstEnabledRuleWhoseModelAndVariantMatchWins() {
        FallbackPolicy policy = new FallbackPolicy(true, List.of(
                new FallbackRule(true, "claude-opus4.7", "thinking-32k", "claude-opus-4-6", "preserve"),
                new FallbackRule(false, "claude-haiku4.5", "", "claude-opus-4-6", ""),
                new FallbackRule(true, "claude-haiku4.5", "", "claude-sonnet4.6", "thinking-16k"),
                new FallbackRule(true, "claude-haiku-4-5", "", "claude-haiku-4-5", "")));

        FallbackMatch opus = policy.match("claude-opus-4-7", "thinking-32k").orElseThrow();
        assertThat(opus.toModel()).isEqualTo("claude-opus-4-6");
        assertThat(opus.toVariant()).isEqualTo("preserve");
        assertThat(opus.fromVariant()).isEqualTo("thinking-32k");
        assertThat(policy.match("claude-opus-4-7", "thinking-16k")).isEmpty();

        FallbackMatch haiku = policy.match("claude-haiku-4-5", "default").orElseThrow();
        assertThat(haiku.toModel()).isEqualTo("claude-sonnet-4-6");
        assertThat(haiku.change()).isEqualTo(new VariantChange.SetThinking(16_000));
    }

    @Test
    void disabledPolicyMatchesNothing() {
        FallbackPolicy off = new FallbackPolicy(false, FallbackPolicy.DEFAULT_RULES);
        assertThat(off.match("claude-opus-4-7", "default")).isEmpty();
    }

    @Test
    void emptyRulesMeanTheDefaultRulesButKeepTheEnabledFlag() {
        assertThat(new FallbackPolicy(false, List.of()).rules()).isEqualTo(FallbackPolicy.DEFAULT_RULES);
        assertThat(new FallbackPolicy(false, null).enabled()).isFalse();
    }

    @Test
    void rulesAreStoredNormalised() {
        FallbackRule rule = new FallbackRule(true, "Claude Opus 4.7", "Thinking_16K", "claude-opus4.6", "");
        assertThat(rule).isEqualTo(new FallbackRule(true, "claude-opus-4-7", "thinking-16k", "claude-opus-4-6",
                "preserve"));
        assertThat(rule.fromVariantFilter()).contains("thinking-16k");
    }

    @ParameterizedTest(name = "enabled={0} from={1} to={2} to_variant={3}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "true  | ''              | claude-opus-4-6 | preserve | enabled fallback rules require from_model and to_model",
            "true  | claude-opus-4-7 | '  '            | preserve | enabled fallback rules require from_model and to_model",
            "true  | claude-opus-4-7 | claude-opus-4-6 | turbo    | unsupported claude variant \"turbo\"",
            "false | ''              | ''              | thinking | unsupported claude variant \"thinking\"",
            "true  | claude-opus-4-7 | claude-opus-4-6 | thinking-0k | invalid claude variant \"thinking-0k\"",
    })
    void rejectsRulesThatCannotWork(boolean enabled, String from, String to, String toVariant, String reason) {
        assertThatThrownBy(() -> new FallbackRule(enabled, from, "", to, toVariant))
                .isInstanceOf(InvalidFallbackPolicyException.class)
                .hasMessage(reason);
    }

    @Test
    void aDisabledRuleMayLackModels() {
        FallbackRule draft = new FallbackRule(false, "", "", "", "");
        assertThat(new FallbackPolicy(true, List.of(draft)).match("", "default")).isEmpty();
    }
}
