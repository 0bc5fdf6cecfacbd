package io.proxygate.domain.fallback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaudeVariantsTest {
    @ParameterizedTest(name = "header={0} metadata={1} thinking={2}/{3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Thinking_32K | none      | disabled | -     | thinking-32k",
            "-            | Long Context | enabled | 8000 | long-context",
            "-            | -         | enabled  | 16000 | thinking-16k",
            "-            | -         | enabled  | 15001 | thinking-16k",
            "-            | -         | ENABLED  | 1     | thinking-1k",
            "-            | -         | enabled  | -     | thinking",
            "-            | -         | enabled  | 0     | thinking",
            "-            | -         | disabled | -     | none",
            "-            | -         | adaptive | -     | default",
            "-            | -         | -        | -     | default",
    })
    void detectsTheVariantByHeaderThenMetadataThenThinking(String header, String metadata, String type,
                                                           Long budget, String expected) {
        VariantHints hints = new VariantHints(Optional.ofNullable(metadata), Optional.ofNullable(type),
                budget == null ? OptionalLong.empty() : OptionalLong.of(budget));
        assertThat(ClaudeVariants.detect(Optional.ofNullable(header), hints)).isEqualTo(expected);
    }

    @Test
    void aBlankHeaderDoesNotHideTheBodyVariant() {
        VariantHints hints = new VariantHints(Optional.of("thinking-64k"), Optional.empty(), OptionalLong.empty());
        assertThat(ClaudeVariants.detect(Optional.of(" "), hints)).isEqualTo("thinking-64k");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "preserve     | Keep",
            "''           | Keep",
            "long-context | Keep",
            "Long_Context | Keep",
            "default      | RemoveThinking",
            "none         | RemoveThinking",
            "thinking-16k | SetThinking",
            "thinking-8k  | SetThinking",
    })
    void mapsEachApplicableVariantToItsChange(String variant, String expectedKind) {
        assertThat(ClaudeVariants.change(variant).getClass().getSimpleName()).isEqualTo(expectedKind);
    }

    @Test
    void thinkingVariantsSetABudgetOfThousandsOfTokens() {
        assertThat(ClaudeVariants.change("thinking-16k")).isEqualTo(new VariantChange.SetThinking(16_000));
        assertThat(ClaudeVariants.change("thinking-64k")).isEqualTo(new VariantChange.SetThinking(64_000));
    }

    @ParameterizedTest(name = "max_tokens {0} with a 16k budget -> {1}")
    @CsvSource({"1000, 17024", "16000, 17024", "16001, 16001", "0, 0", "-5, -5", "64000, 64000"})
    void raisesMaxTokensOnlyWhenItLeavesNoRoomAfterTheBudget(long requested, long expected) {
        assertThat(new VariantChange.SetThinking(16_000).maxTokensFor(requested)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "thinking     | unsupported claude variant \"thinking\"",
            "turbo        | unsupported claude variant \"turbo\"",
            "thinking-0k  | invalid claude variant \"thinking-0k\"",
            "thinking-xk  | invalid claude variant \"thinking-xk\"",
            "thinking-k   | invalid claude variant \"thinking-k\"",
    })
    void rejectsVariantsThatCannotBeApplied(String variant, String message) {
        assertThatThrownBy(() -> ClaudeVariants.change(variant))
                .isInstanceOf(UnsupportedVariantException.class)
                .hasMessage(message);
    }

    @Test
    void catalogListsTheOriginalsSevenVariantsAllApplicable() {
        assertThat(ClaudeVariants.CATALOG).extracting(VariantInfo::id).containsExactly("preserve", "default",
                "none", "thinking-16k", "thinking-32k", "thinking-64k", "long-context");
        ClaudeVariants.CATALOG.forEach(v -> assertThat(ClaudeVariants.change(v.id())).isNotNull());
        assertThat(ClaudeVariants.CATALOG).allSatisfy(v -> assertThat(v.label()).isNotBlank());
    }
}
