package io.proxygate.bootstrap.config;

import io.proxygate.domain.routing.ErrorRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialControlsConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    private ProxyGateConfiguration load(String toml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, toml);
        return loader.load(file, env);
    }

    @Test
    void readsErrorRulesQueueTimeoutAndTheDefaultProxy() throws IOException {
        ProxyGateConfiguration c = load("""
                [upstream]
                proxy = "socks5://u:pw@127.0.0.1:1080"

                [routing]
                queue_timeout = "15s"

                [[routing.error_rules]]
                name = "overloaded"
                status = 400
                body_contains = "overloaded"
                model = "claude-*"
                action = "cooldown"
                for = "5m"

                [[routing.error_rules]]
                status = 403
                body_regex = "account (suspended|disabled)"
                action = "disable"
                """, Map.of("HTTPS_PROXY", "http://corp:3128"));
        assertThat(c.upstream.proxy).isEqualTo("socks5://u:pw@127.0.0.1:1080");
        assertThat(c.upstream.proxyEnvironment).containsEntry("HTTPS_PROXY", "http://corp:3128");
        assertThat(c.routing.queueTimeout).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.routing.errorRules).hasSize(2);
        ErrorRule first = c.routing.errorRules.get(0);
        assertThat(first.name()).isEqualTo("overloaded");
        assertThat(first.action()).isEqualTo(ErrorRule.Action.COOLDOWN);
        assertThat(first.cooldown()).isEqualTo(Duration.ofMinutes(5));
        assertThat(first.matches(400, "Overloaded!", "claude-opus-4")).isTrue();
        assertThat(c.routing.errorRules.get(1).matches(403, "Your account suspended", "m")).isTrue();
    }

    @Test
    void aBadProxyOrRuleStopsTheStartWithoutEchoingThePassword() {
        assertThatThrownBy(() -> load("[upstream]\nproxy = \"ftp://u:hunter2@h:21\"\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[upstream] proxy")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load("[[routing.error_rules]]\nstatus = 400\naction = \"explode\"\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("#1");
        assertThatThrownBy(() -> load("[[routing.error_rules]]\nstatus = 400\naction = \"cooldown\"\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("\"for\"");
        assertThatThrownBy(() -> load("[[routing.error_rules]]\nstatus = 400\nbody = \"x\"\naction = \"relay\"\n",
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"body\"");
    }
}
