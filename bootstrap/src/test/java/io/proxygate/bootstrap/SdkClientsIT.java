package io.proxygate.bootstrap;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI and Anthropic Java SDKs, unchanged, against ProxyGate: streaming and not, through an OAuth
 * account (account-first) and through an API key (apikey-first). The SDKs only see the proxy token.
 */
class SdkClientsIT {
    private static final String PROXY_TOKEN = "proxy-token-for-sdk-tests";

    /** One running ProxyGate over one mock upstream, with a given routing priority. */
    abstract static class Scenario {
        final MockUpstream upstream;
        final DropwizardAppExtension<ProxyGateConfiguration> app;

        Scenario(String priority) {
            try {
                upstream = ProxyGateRunner.upstreamWithEmptyUsage();
                Path root = Files.createTempDirectory("proxygate-sdk");
                Path pool = root.resolve("pool");
                PoolFiles.chatgpt(pool, "alpha@x.com", "acc-alpha", "pro");
                PoolFiles.claude(pool, "claude@x.com");
                PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-key");
                PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-key");
                app = ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(upstream.url(),
                        Map.of("PROXYGATE_PROXY_TOKEN", PROXY_TOKEN, "PROXYGATE_ROUTING_PRIORITY", priority))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_account", "Hello from the account"));
            upstream.on("POST", "/v1/responses", (r, ex) -> {
                if (r.body().contains("\"stream\":true")) {
                    UpstreamReplies.responsesStream(ex, "resp_key", "Hello from the key");
                } else {
                    MockUpstream.json(ex, 200, responseJson("resp_key", "Hello from the key"));
                }
            });
            upstream.on("POST", "/v1/messages", (r, ex) -> {
                String who = r.header("x-api-key") != null ? "key" : "account";
                if (r.body().contains("\"stream\":true")) {
                    UpstreamReplies.messagesStream(ex, "Claude via " + who);
                } else {
                    MockUpstream.json(ex, 200, UpstreamReplies.messageJson("Claude via " + who));
                }
            });
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("Chat via key")));
        }

        String base() {
            return "http://127.0.0.1:" + app.getLocalPort();
        }

        OpenAIClient openai() {
            return OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(PROXY_TOKEN).maxRetries(0).build();
        }

        AnthropicClient anthropic() {
            return AnthropicOkHttpClient.builder().baseUrl(base()).apiKey(PROXY_TOKEN).maxRetries(0).build();
        }

        MockUpstream.Recorded last(String path) {
            return upstream.requests(path).getLast();
        }

        @AfterAll
        void closeUpstream() {
            upstream.close();
        }

        static String responseJson(String id, String text) {
            return "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":1700000000,\"model\":\"gpt-5\","
                    + "\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\","
                    + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text
                    + "\",\"annotations\":[]}]}],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[],"
                    + "\"usage\":{\"input_tokens\":10,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":5,"
                    + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":15}}";
        }

        static String text(Response response) {
            return response.output().stream().flatMap(o -> o.message().stream())
                    .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
                    .map(t -> t.text()).collect(Collectors.joining());
        }

        static String text(Message message) {
            return message.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text())
                    .collect(Collectors.joining());
        }
    }

    @Nested
    @ExtendWith(DropwizardExtensionsSupport.class)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    class ThroughOAuthAccounts extends Scenario {
        ThroughOAuthAccounts() {
            super("account-first");
        }

        @Test
        void openAiResponsesWithoutStreamGetsJsonAssembledFromTheCodexStream() {
            Response response = openai().responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build());
            assertThat(response.id()).isEqualTo("resp_account");
            assertThat(text(response)).isEqualTo("Hello from the account");
            MockUpstream.Recorded seen = last("/backend-api/codex/responses");
            assertThat(seen.header("Authorization")).isEqualTo("Bearer fake-access-acc-alpha");
            assertThat(seen.header("ChatGPT-Account-Id")).isEqualTo("acc-alpha");
            assertThat(seen.body()).contains("\"stream\":true").contains("\"store\":false").contains("\"instructions\"");
        }

        @Test
        void openAiResponsesStreaming() {
            try (var stream = openai().responses().createStreaming(
                    ResponseCreateParams.builder().model("gpt-5").input("hi").build())) {
                List<ResponseStreamEvent> events = stream.stream().toList();
                String text = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
                        .collect(Collectors.joining());
                assertThat(text).isEqualTo("Hello from the account");
                assertThat(events.getLast().isCompleted()).isTrue();
            }
        }

        @Test
        void anthropicMessagesWithoutStream() {
            Message message = anthropic().messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5")
                    .maxTokens(16).addUserMessage("hi").build());
            assertThat(text(message)).isEqualTo("Claude via account");
            MockUpstream.Recorded seen = last("/v1/messages");
            assertThat(seen.header("Authorization")).startsWith("Bearer sk-ant-oat01-fake-");
            assertThat(seen.header("x-api-key")).isNull();
        }

        @Test
        void anthropicMessagesStreaming() {
            try (var stream = anthropic().messages().createStreaming(MessageCreateParams.builder()
                    .model("claude-sonnet-4-5").maxTokens(16).addUserMessage("hi").build())) {
                List<RawMessageStreamEvent> events = stream.stream().toList();
                String text = events.stream().flatMap(e -> e.contentBlockDelta().stream())
                        .flatMap(d -> d.delta().text().stream()).map(t -> t.text()).collect(Collectors.joining());
                assertThat(text).isEqualTo("Claude via account");
                assertThat(events.getLast().isMessageStop()).isTrue();
            }
        }

        @Test
        void aWrongProxyTokenIsRejectedInTheSdksOwnErrorType() {
            OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey("wrong").maxRetries(0).build();
            assertThatThrownBy(() -> wrong.responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build()))
                    .isInstanceOf(com.openai.errors.UnauthorizedException.class);
        }
    }

    @Nested
    @ExtendWith(DropwizardExtensionsSupport.class)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    class ThroughApiKeys extends Scenario {
        ThroughApiKeys() {
            super("apikey-first");
        }

        @Test
        void openAiResponsesWithoutStreamPassTheBodyThroughUnchanged() {
            Response response = openai().responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build());
            assertThat(text(response)).isEqualTo("Hello from the key");
            MockUpstream.Recorded seen = last("/v1/responses");
            assertThat(seen.header("Authorization")).isEqualTo("Bearer sk-test-openai-key");
            assertThat(seen.body()).doesNotContain("\"store\"").doesNotContain("instructions");
        }

        @Test
        void openAiResponsesStreaming() {
            try (var stream = openai().responses().createStreaming(
                    ResponseCreateParams.builder().model("gpt-5").input("hi").build())) {
                String text = stream.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
                        .collect(Collectors.joining());
                assertThat(text).isEqualTo("Hello from the key");
            }
        }

        @Test
        void openAiChatCompletions() {
            ChatCompletion completion = openai().chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("gpt-4o").addUserMessage("hi").build());
            assertThat(completion.choices().getFirst().message().content()).hasValue("Chat via key");
        }

        @Test
        void anthropicMessagesWithoutStreamAndStreaming() {
            Message message = anthropic().messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5")
                    .maxTokens(16).addUserMessage("hi").build());
            assertThat(text(message)).isEqualTo("Claude via key");
            assertThat(last("/v1/messages").header("x-api-key")).isEqualTo("sk-ant-test-key");
            try (var stream = anthropic().messages().createStreaming(MessageCreateParams.builder()
                    .model("claude-sonnet-4-5").maxTokens(16).addUserMessage("hi").build())) {
                String text = stream.stream().flatMap(e -> e.contentBlockDelta().stream())
                        .flatMap(d -> d.delta().text().stream()).map(t -> t.text()).collect(Collectors.joining());
                assertThat(text).isEqualTo("Claude via key");
            }
        }

        @Test
        @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // leaves the only OpenAI key cooling down
        void anUpstream429WithNoOtherCandidateReachesTheSdkAsRateLimit() {
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> {
                ex.getResponseHeaders().set("retry-after", "1");
                MockUpstream.json(ex, 429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}");
            });
            assertThatThrownBy(() -> openai().chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("gpt-4o").addUserMessage("hi").build())).isInstanceOf(RateLimitException.class);
        }
    }
}
