package io.proxygate.adapter.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.domain.credential.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Error bodies in each API's own shape: the official SDKs pick their exception type from these fields (Anthropic's
 * from {@code error.type}, OpenAI's from the HTTP status with {@code error.code} and {@code error.type} as detail).
 */
class ApiErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(Api api, int status, String type, String message) throws Exception {
        return JSON.readTree(ApiErrors.body(api, status, type, message));
    }

    @ParameterizedTest
    @CsvSource({
            "400, invalid_request_error", "405, invalid_request_error", "415, invalid_request_error",
            "413, request_too_large", "401, authentication_error", "403, permission_error", "404, not_found_error",
            "429, rate_limit_error", "503, overloaded_error", "529, overloaded_error"})
    void anthropicErrorsCarryTheTypeTheSdkMapsFromTheStatus(int status, String expectedType) throws Exception {
        JsonNode root = body(Api.MESSAGES, status, "some_other_type", "why");

        assertThat(root.path("type").asText()).isEqualTo("error");
        assertThat(root.path("error").path("type").asText()).isEqualTo(expectedType);
        assertThat(root.path("error").path("message").asText()).isEqualTo("why");
        assertThat(root.size()).as("only type and error at the top").isEqualTo(2);
    }

    @Test
    void anthropicErrorsWithAnUnlistedStatusKeepTheGivenTypeOrFallBackToApiError() throws Exception {
        assertThat(body(Api.MESSAGES, 502, "upstream_error", "m").path("error").path("type").asText())
                .isEqualTo("upstream_error");
        assertThat(body(Api.MESSAGES, 500, null, "m").path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(body(Api.MESSAGES, 500, " ", "m").path("error").path("type").asText()).isEqualTo("api_error");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "400, invalid_request_error, null", "404, invalid_request_error, null",
            "413, invalid_request_error, request_too_large", "421, invalid_request_error, null",
            "401, authentication_error, invalid_api_key", "403, permission_error, null",
            "429, rate_limit_error, rate_limit_exceeded", "503, server_error, service_unavailable",
            "500, server_error, null", "502, server_error, null"})
    void openAiErrorsCarryTypeCodeAndANullParam(int status, String expectedType, String expectedCode)
            throws Exception {
        for (Api api : new Api[]{Api.RESPONSES, Api.CHAT_COMPLETIONS}) {
            JsonNode error = body(api, status, "ignored_for_openai", "why").path("error");

            assertThat(error.path("message").asText()).as(api.name()).isEqualTo("why");
            assertThat(error.path("type").asText()).as(api.name()).isEqualTo(expectedType);
            assertThat(error.has("param") && error.get("param").isNull()).as(api.name()).isTrue();
            if (expectedCode == null) {
                assertThat(error.get("code").isNull()).as(api.name()).isTrue();
            } else {
                assertThat(error.path("code").asText()).as(api.name()).isEqualTo(expectedCode);
            }
        }
    }

    @Test
    void messagesAreJsonEscapedNotSpliced() throws Exception {
        String hostile = "quote \" backslash \\ newline \n </script> \u0000";

        assertThat(body(Api.MESSAGES, 400, "x", hostile).path("error").path("message").asText()).isEqualTo(hostile);
        assertThat(body(Api.RESPONSES, 400, "x", hostile).path("error").path("message").asText()).isEqualTo(hostile);
        String event = new String(ApiErrors.streamEvent(Api.CHAT_COMPLETIONS, "x", hostile), StandardCharsets.UTF_8);
        assertThat(event.strip().lines().count()).as("one data line, whatever the message holds").isEqualTo(1);
    }

    @Test
    void aMessagesStreamEndsWithAnAnthropicErrorEvent() throws Exception {
        JsonNode data = streamErrorData(Api.MESSAGES, "overloaded_error", "try later");

        assertThat(data.path("type").asText()).isEqualTo("error");
        assertThat(data.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(data.path("error").path("message").asText()).isEqualTo("try later");
    }

    @Test
    void aResponsesStreamEndsWithAResponsesErrorEvent() throws Exception {
        JsonNode data = streamErrorData(Api.RESPONSES, "server_error", "upstream went away");

        assertThat(data.path("type").asText()).isEqualTo("error");
        assertThat(data.path("code").asText()).isEqualTo("server_error");
        assertThat(data.path("message").asText()).isEqualTo("upstream went away");
        assertThat(data.get("param").isNull()).isTrue();
    }

    @Test
    void aChatCompletionsStreamEndsWithADataOnlyChunkCarryingAnError() throws Exception {
        String event = new String(ApiErrors.streamEvent(Api.CHAT_COMPLETIONS, "server_error", "upstream went away"),
                StandardCharsets.UTF_8);

        // Chat Completions streams have no event names; SDKs look for an "error" member in a data chunk.
        assertThat(event).startsWith("data: ").doesNotContain("event:").endsWith("\n\n");
        JsonNode data = JSON.readTree(dataOf(event));
        assertThat(data.path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(data.path("error").path("message").asText()).isEqualTo("upstream went away");
    }

    /** The JSON data of the error event that ends an {@code api} stream, once it is seen framed as one SSE event. */
    private static JsonNode streamErrorData(Api api, String type, String message) throws Exception {
        String event = new String(ApiErrors.streamEvent(api, type, message), StandardCharsets.UTF_8);
        assertThat(event).startsWith("event: error\ndata: ").endsWith("\n\n");
        return JSON.readTree(dataOf(event));
    }

    private static String dataOf(String event) {
        return event.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
    }
}
