package io.proxygate.domain.usage;

import io.proxygate.domain.credential.Api;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class UsageConventionTest {
    @Test
    void messagesApiAndClaudeProvidersUseTheAnthropicConvention() {
        assertThat(UsageConvention.forApi(Api.MESSAGES)).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forApi(Api.RESPONSES)).isEqualTo(UsageConvention.OPENAI);
        assertThat(UsageConvention.forApi(Api.CHAT_COMPLETIONS)).isEqualTo(UsageConvention.OPENAI);
        assertThat(UsageConvention.forProvider("claude-pool")).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forProvider("anthropic-key")).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forProvider("vertex-ai")).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forProvider("chatgpt-pool")).isEqualTo(UsageConvention.OPENAI);
        assertThat(UsageConvention.forProvider("openai-key")).isEqualTo(UsageConvention.OPENAI);
    }

    @Test
    void serviceTierNamesMapToPriceTiers() {
        assertThat(PriceTier.of(Optional.of("priority"))).isEqualTo(PriceTier.PRIORITY);
        assertThat(PriceTier.of(Optional.of("Flex"))).isEqualTo(PriceTier.FLEX);
        assertThat(PriceTier.of(Optional.of("auto"))).isEqualTo(PriceTier.STANDARD);
        assertThat(PriceTier.of(Optional.empty())).isEqualTo(PriceTier.STANDARD);
    }

    @Test
    void claudeModelsAreGuessedToUseTheAnthropicConvention() {
        assertThat(UsageConvention.forModel("claude-sonnet-4-5")).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forModel("anthropic/claude-haiku-4-5")).isEqualTo(UsageConvention.ANTHROPIC);
        assertThat(UsageConvention.forModel("gpt-5")).isEqualTo(UsageConvention.OPENAI);
        assertThat(UsageConvention.forModel(null)).isEqualTo(UsageConvention.OPENAI);
    }
}
