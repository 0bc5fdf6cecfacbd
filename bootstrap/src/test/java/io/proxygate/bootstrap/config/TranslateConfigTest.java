package io.proxygate.bootstrap.config;

import io.proxygate.domain.translate.TranslationPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslateConfigTest {
    @TempDir
    Path dir;

    private ProxyGateConfiguration load(String toml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, toml);
        return new ConfigLoader().load(file, env);
    }

    @Test
    void offByDefault() throws IOException {
        TranslationPolicy policy = load("", Map.of()).translate.policy();

        assertThat(policy.enabled()).isFalse();
        assertThat(policy.fallbackOnExhaustion()).isTrue();
        assertThat(policy.models()).isEmpty();
    }

    @Test
    void theIssuesExampleIsReadInFileOrder() throws IOException {
        ProxyGateConfiguration config = load("""
                [translate]
                enabled = true
                fallback_on_exhaustion = false
                [translate.models]
                "claude-sonnet-*" = "gpt-5-codex"
                "claude-opus-*"   = "gpt-5"
                "gpt-5*"          = "claude-sonnet-4-5"
                """, Map.of());
        TranslationPolicy policy = config.translate.policy();

        assertThat(policy.enabled()).isTrue();
        assertThat(policy.fallbackOnExhaustion()).isFalse();
        assertThat(policy.models()).containsExactly(
                new TranslationPolicy.ModelMapping("claude-sonnet-*", "gpt-5-codex"),
                new TranslationPolicy.ModelMapping("claude-opus-*", "gpt-5"),
                new TranslationPolicy.ModelMapping("gpt-5*", "claude-sonnet-4-5"));
        assertThat(config.warnings).isEmpty();
    }

    @Test
    void theEnvironmentTurnsItOn() throws IOException {
        assertThat(load("", Map.of("PROXYGATE_TRANSLATE_ENABLED", "true")).translate.enabled).isTrue();
    }

    @Test
    void aModelThatIsNotAStringStopsTheStart() {
        assertThatThrownBy(() -> load("[translate.models]\n\"claude-*\" = 5\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[translate.models]");
    }
}
