package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.proxygate.adapter.out.upstream.ClaudeCodeMimicry.BANNER;
import static io.proxygate.adapter.out.upstream.ClaudeCodeMimicry.BANNER_BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

class ClaudeCodeMimicryTest {

    private static String withBanner(String body) {
        return new String(ClaudeCodeMimicry.withBanner(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static boolean isClaudeCode(Headers headers, String body) {
        return ClaudeCodeMimicry.isClaudeCode(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesClaudeCodeByHeaderUserAgentOrBanner() {
        assertThat(isClaudeCode(Headers.of("X-App", "cli"), "{}")).isTrue();
        assertThat(isClaudeCode(Headers.of("User-Agent", "claude-cli/2.1.3 (external, cli)"), "{}")).isTrue();
        assertThat(isClaudeCode(Headers.EMPTY, "{\"system\":[{\"type\":\"text\",\"text\":\"" + BANNER + "\"}]}"))
                .isTrue();
        assertThat(isClaudeCode(Headers.of("User-Agent", "opencode/1.0"), "{\"system\":\"You are helpful.\"}"))
                .isFalse();
    }

    @Test
    void prependsTheBannerToASystemArrayKeepingTheClientsBlocks() {
        assertThat(withBanner("{\"system\":[ {\"type\":\"text\",\"text\":\"mine\"} ],\"messages\":[]}"))
                .isEqualTo("{\"system\":[" + BANNER_BLOCK + ", {\"type\":\"text\",\"text\":\"mine\"} ],"
                        + "\"messages\":[]}");
    }

    @Test
    void addsASystemWhenThereIsNone() {
        assertThat(withBanner("{\"model\":\"m\",\"messages\":[]}"))
                .isEqualTo("{\"model\":\"m\",\"messages\":[],\"system\":[" + BANNER_BLOCK + "]}");
        assertThat(withBanner("{\"system\":[]}")).isEqualTo("{\"system\":[" + BANNER_BLOCK + "]}");
        assertThat(withBanner("{\"system\":null}")).isEqualTo("{\"system\":[" + BANNER_BLOCK + "]}");
    }

    @Test
    void leavesASystemThatAlreadyStartsWithTheBanner() {
        String body = "{\"system\":\"" + BANNER + " And more.\"}";

        assertThat(withBanner(body)).isEqualTo(body);
    }
}
