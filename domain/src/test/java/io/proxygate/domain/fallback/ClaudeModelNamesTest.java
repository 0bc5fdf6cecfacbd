package io.proxygate.domain.fallback;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClaudeModelNamesTest {
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", nullValues = "NULL", value = {
            "claude-opus4.7              | claude-opus-4-7",
            "Claude Opus 4.7             | claude-opus-4-7",
            "claude opus 4.7             | claude-opus-4-7",
            "claude_sonnet4_6            | claude-sonnet-4-6",
            "haiku-4.5                   | claude-haiku-4-5",
            "claude-haiku-4-5@20251001   | claude-haiku-4-5@20251001",
            "claude-sonnet-4-6-thinking  | claude-sonnet-4-6",
            "'  --claude--opus--4--6-- ' | claude-opus-4-6",
            "CLAUDE-OPUS-4-6             | claude-opus-4-6",
            "unknown_model.v2            | unknown-model-v2",
            "claude-3-5-sonnet           | claude-3-5-sonnet",
            "''                          | ''",
            "NULL                        | ''",
    })
    void normalisesSpellingsOfClaudeModelNames(String input, String expected) {
        assertThat(ClaudeModelNames.normalise(input)).isEqualTo(expected);
    }
}
