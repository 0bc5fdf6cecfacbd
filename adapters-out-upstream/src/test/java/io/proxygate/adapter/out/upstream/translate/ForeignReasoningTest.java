package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.http.Route;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ForeignReasoningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thinkingThatAResponsesUpstreamProducedLeavesARequestBackToAnthropic() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"pgr1:ENC\"},"
                + "{\"type\":\"thinking\",\"thinking\":\"own\",\"signature\":\"EqQBCkYI\"},{\"type\":\"text\",\"text\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":\"more\"}]}";

        JsonNode out = JSON.readTree(ForeignReasoning.strip(Route.MESSAGES, body.getBytes(StandardCharsets.UTF_8))
                .orElseThrow());

        JsonNode assistant = out.path("messages").get(1).path("content");
        assertThat(assistant).hasSize(2);
        assertThat(assistant.get(0).path("signature").asText()).isEqualTo("EqQBCkYI");
        assertThat(assistant.get(1).path("text").asText()).isEqualTo("a");
    }

    @Test
    void reasoningThatAnthropicProducedLeavesARequestBackToResponses() throws Exception {
        String body = "{\"model\":\"gpt-5\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"" + ResponsesToMessages.THINKING_PREFIX
                + "sig\"},{\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAAA-openai\"}]}";

        JsonNode out = JSON.readTree(ForeignReasoning.strip(Route.RESPONSES, body.getBytes(StandardCharsets.UTF_8))
                .orElseThrow());

        assertThat(out.path("input")).hasSize(2);
        assertThat(out.path("input").get(1).path("encrypted_content").asText()).isEqualTo("gAAAA-openai");
    }

    @Test
    void aRequestWithoutForeignReasoningIsLeftAloneWithoutBeingParsed() {
        byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"about anthropic-version\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(ForeignReasoning.strip(Route.MESSAGES, body)).isEmpty();
        assertThat(ForeignReasoning.strip(Route.RESPONSES, "{\"input\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(ForeignReasoning.strip(Route.CHAT_COMPLETIONS, body)).isEmpty();
    }
}
