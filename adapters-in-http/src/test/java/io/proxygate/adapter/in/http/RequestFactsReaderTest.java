package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which conversation key a request pins by, and the body fields routing reads. */
class RequestFactsReaderTest {
    private static final byte[] CODEX_BODY = ("{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\","
            + "\"prompt_cache_key\":\"019a-sess\"}").getBytes(StandardCharsets.UTF_8);

    private static Optional<ConversationKey> conversation(Route route, byte[] body, Headers headers) {
        return RequestFactsReader.read(route, body, headers).conversation();
    }

    @Test
    void aSessionHeaderComesBeforePromptCacheKeySoAPinStoredUnderTheSessionHolds() {
        assertThat(conversation(Route.RESPONSES, CODEX_BODY, Headers.of("session_id", "019a-sess")))
                .contains(ConversationKey.session("019a-sess"));
    }

    @Test
    void theHyphenatedSessionIdHeaderOfNewerCodexIsTheSameSession() {
        assertThat(conversation(Route.RESPONSES, CODEX_BODY, Headers.of("session-id", "019a-sess")))
                .contains(ConversationKey.session("019a-sess"));
        assertThat(conversation(Route.MESSAGES, "{\"model\":\"claude-sonnet-4-6\"}".getBytes(StandardCharsets.UTF_8),
                Headers.of("Session-Id", "s-2"))).contains(ConversationKey.session("s-2"));
    }

    @Test
    void sessionAffinityComesNextThenPromptCacheKeyThenTheOtherHeaders() {
        assertThat(conversation(Route.RESPONSES, CODEX_BODY,
                Headers.of("x-session-affinity", "aff", "conversation_id", "conv")))
                .contains(ConversationKey.session("aff"));
        assertThat(conversation(Route.RESPONSES, CODEX_BODY, Headers.of("conversation_id", "conv")))
                .contains(ConversationKey.promptCache("019a-sess"));
        assertThat(conversation(Route.RESPONSES, "{\"model\":\"gpt-5\"}".getBytes(StandardCharsets.UTF_8),
                Headers.of("conversation_id", "conv"))).contains(ConversationKey.session("conv"));
    }

    @Test
    void aBodyWithoutSessionHeadersStillPinsByPromptCacheKey() {
        assertThat(conversation(Route.RESPONSES, CODEX_BODY, Headers.EMPTY))
                .contains(ConversationKey.promptCache("019a-sess"));
    }

    @Test
    void aBodyNamingModelTwiceIsRefused() {
        assertThatThrownBy(() -> RequestFactsReader.read(Route.RESPONSES,
                "{\"model\":\"gpt-5\",\"model\":\"o3\"}".getBytes(StandardCharsets.UTF_8), Headers.EMPTY))
                .hasMessageContaining("\"model\" appears twice");
    }
}
