package io.proxygate.domain.usage;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PriceTableTest {
    private static ModelPrice price(String input) {
        return ModelPrice.of(TokenRates.of(new BigDecimal(input), new BigDecimal(input).multiply(BigDecimal.TEN),
                BigDecimal.ZERO));
    }

    private static final ModelPrice GPT5 = price("0.00000125");
    private static final ModelPrice CODEX52 = price("0.00000175");
    private static final ModelPrice HAIKU = price("0.000001");
    private static final ModelPrice AZURE_ONLY = price("0.000002");
    private static final ModelPrice ZERO = ModelPrice.of(TokenRates.NONE);

    private final PriceTable table = PriceTable.of(Map.of(
            "gpt-5", GPT5,
            "gpt-5.2-codex", CODEX52,
            "claude-haiku-4-5", HAIKU,
            "azure/gpt-azure-only", AZURE_ONLY,
            "gpt-free", ZERO,
            "openai/gpt-free", GPT5));

    @Test
    void findsExactName() {
        assertThat(table.lookup("gpt-5")).contains(GPT5);
    }

    @Test
    void findsANameInAnyCase() {
        assertThat(table.lookup("GPT-5")).contains(GPT5);
        assertThat(table.lookup("OpenAI/GPT-5")).contains(GPT5);
    }

    @Test
    void stripsAProviderPrefixFromTheRequestedName() {
        assertThat(table.lookup("openai/gpt-5")).contains(GPT5);
        assertThat(table.lookup("openrouter/openai/gpt-5")).contains(GPT5);
        assertThat(table.lookup("anthropic/claude-haiku-4-5")).contains(HAIKU);
        assertThat(table.lookup("openrouter/anthropic/claude-haiku-4-5")).contains(HAIKU);
    }

    @Test
    void addsAProviderPrefixWhenOnlyThePrefixedEntryExists() {
        assertThat(table.lookup("gpt-azure-only")).contains(AZURE_ONLY);
    }

    @Test
    void zeroPricedEntryIsAMissAndLookupMovesOn() {
        assertThat(table.lookup("gpt-free")).contains(GPT5);
        assertThat(PriceTable.of(Map.of("gpt-free", ZERO)).lookup("gpt-free")).isEmpty();
    }

    @Test
    void appliesCodexAliases() {
        assertThat(table.lookup("gpt-5-codex")).contains(GPT5);
        assertThat(table.lookup("gpt-5.3-codex")).contains(CODEX52);
        assertThat(table.lookup("openai/gpt-5-codex")).contains(GPT5);
    }

    @Test
    void directMatchBeatsAlias() {
        ModelPrice ownCodexPrice = price("0.000009");
        PriceTable withCodex = PriceTable.of(Map.of("gpt-5", GPT5, "gpt-5-codex", ownCodexPrice));
        assertThat(withCodex.lookup("gpt-5-codex")).contains(ownCodexPrice);
    }

    @Test
    void datedSnapshotFallsBackToUndatedModel() {
        assertThat(table.lookup("claude-haiku-4-5-20251001")).contains(HAIKU);
        assertThat(table.lookup("anthropic/claude-haiku-4-5-20251001")).contains(HAIKU);
        assertThat(table.lookup("gpt-5-2025-08-07")).contains(GPT5);
    }

    @Test
    void datedSnapshotWithItsOwnEntryUsesIt() {
        ModelPrice old = price("0.000005");
        PriceTable dated = PriceTable.of(Map.of("gpt-4o", GPT5, "gpt-4o-2024-05-13", old));
        assertThat(dated.lookup("gpt-4o-2024-05-13")).contains(old);
    }

    @Test
    void blankAndUnknownMiss() {
        assertThat(table.lookup("")).isEmpty();
        assertThat(table.lookup(" ")).isEmpty();
        assertThat(table.lookup(null)).isEmpty();
        assertThat(table.lookup("unknown")).isEmpty();
        assertThat(table.lookup("gpt-6")).isEmpty();
        assertThat(table.lookup("GPT-6")).isEmpty();
    }

    @Test
    void fallbackTableAnswersWhatThePrimaryMisses() {
        PriceTable fallback = PriceTable.of(Map.of("gpt-6", CODEX52, "gpt-5", HAIKU));
        assertThat(table.lookup("gpt-6", fallback)).contains(CODEX52);
        assertThat(table.lookup("gpt-5", fallback)).contains(GPT5);
    }

    @Test
    void sizeCountsOnlyPricedEntries() {
        assertThat(table.size()).isEqualTo(5);
    }
}
