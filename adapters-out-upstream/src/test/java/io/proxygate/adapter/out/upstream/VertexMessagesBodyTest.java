package io.proxygate.adapter.out.upstream;

import io.proxygate.domain.fallback.VariantChange;
import io.proxygate.domain.fallback.VariantHints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class VertexMessagesBodyTest {
    private static final VariantChange KEEP = new VariantChange.Keep();
    private static final VariantChange REMOVE = new VariantChange.RemoveThinking();
    private static final VariantChange THINK_16K = new VariantChange.SetThinking(16_000);

    private static String rewrite(String body, VariantChange change) {
        return new String(VertexMessagesBody.rewrite(body.getBytes(StandardCharsets.UTF_8), change),
                StandardCharsets.UTF_8);
    }

    @Test
    void dropsWhatVertexRejectsAndAddsItsVersionKeepingEverythingElseByteForByte() {
        String body = "{\"model\":\"claude-opus-4-7\", \"messages\" : [{\"role\":\"user\",\"content\":\"h\\u00e9\"}],"
                + "\"temperature\":0.70,\"service_tier\":\"auto\",\"context_management\":{\"edits\":[]},"
                + "\"anthropic_version\":\"2023-06-01\",\"stream\":true}";

        assertThat(rewrite(body, KEEP)).isEqualTo(
                "{\"messages\" : [{\"role\":\"user\",\"content\":\"h\\u00e9\"}],\"temperature\":0.70,"
                        + "\"stream\":true,\"anthropic_version\":\"vertex-2023-10-16\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // body | change | expected
            "{\"max_tokens\":1000,\"thinking\":{\"type\":\"disabled\"}} | THINK_16K"
                    + " | {\"max_tokens\":17024,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16000},"
                    + "\"anthropic_version\":\"vertex-2023-10-16\"}",
            "{\"max_tokens\":32000} | THINK_16K"
                    + " | {\"max_tokens\":32000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16000},"
                    + "\"anthropic_version\":\"vertex-2023-10-16\"}",
            "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000,\"display\":\"summarized\"}} | THINK_16K"
                    + " | {\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16000,\"display\":\"summarized\"},"
                    + "\"anthropic_version\":\"vertex-2023-10-16\"}",
            "{\"max_tokens\":1000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}} | REMOVE"
                    + " | {\"max_tokens\":1000,\"anthropic_version\":\"vertex-2023-10-16\"}",
            "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}} | KEEP"
                    + " | {\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},"
                    + "\"anthropic_version\":\"vertex-2023-10-16\"}",
            "{} | REMOVE | {\"anthropic_version\":\"vertex-2023-10-16\"}",
    })
    void appliesTheVariantToThinkingAndMaxTokens(String body, String change, String expected) {
        VariantChange c = switch (change) {
            case "THINK_16K" -> THINK_16K;
            case "REMOVE" -> REMOVE;
            default -> KEEP;
        };
        assertThat(rewrite(body, c)).isEqualTo(expected);
    }

    @Test
    void leavesABodyThatIsNotAJsonObjectAlone() {
        assertThat(rewrite("[1,2]", THINK_16K)).isEqualTo("[1,2]");
        assertThat(rewrite("{\"model\":", THINK_16K)).isEqualTo("{\"model\":");
    }

    @Test
    void readsVariantHintsFromMetadataAndThinking() {
        byte[] body = ("{\"metadata\":{\"user_id\":\"u\",\"proxygate_variant\":\"thinking-32k\"},"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":12000},\"messages\":[]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(VertexMessagesBody.hints(body)).isEqualTo(new VariantHints(Optional.of("thinking-32k"),
                Optional.of("enabled"), OptionalLong.of(12_000)));
    }

    @Test
    void hintsAreEmptyForBodiesWithoutThem() {
        assertThat(VertexMessagesBody.hints("{\"thinking\":null,\"metadata\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(VariantHints.NONE);
        assertThat(VertexMessagesBody.hints("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(VariantHints.NONE);
    }
}
